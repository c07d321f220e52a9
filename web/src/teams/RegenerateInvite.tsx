import {useState} from 'react';

import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {regenerateInviteLink} from './inviteLinks';

/** A team admin replaces the team's invite link, after a confirmation; the old one dies at once. */
export function RegenerateInvite({team, onClose}: {team: Team; onClose: () => void}) {
    const [done, setDone] = useState(false);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function regenerate() {
        setBusy(true);
        setError('');
        try {
            await regenerateInviteLink(team.id);
            setDone(true);
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setBusy(false);
        }
    }

    return (
        <Dialog title={t('inviteLink.regenerateTitle')} onClose={onClose}>
            {done ? <p role='status'>{t('inviteLink.regenerated')}</p>
                : <p>{t('inviteLink.regenerateConfirm', {team: team.display_name})}</p>}
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='dialog-buttons'>
                <button type='button' onClick={onClose}>{t(done ? 'dialog.close' : 'dialog.cancel')}</button>
                {!done && (
                    <button type='button' className='primary' disabled={busy} onClick={() => void regenerate()}>
                        {t('inviteLink.regenerate')}
                    </button>
                )}
            </div>
        </Dialog>
    );
}
