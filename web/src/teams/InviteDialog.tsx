import {useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {inviteLink} from '../store/channelActions';

/** The team's invite link, to copy and send: whoever opens it can sign up into the team. */
export function InviteDialog({team, onClose}: {team: Team; onClose: () => void}) {
    const [link, setLink] = useState<string | null>(null);
    const [error, setError] = useState('');
    const [copied, setCopied] = useState(false);

    useEffect(() => {
        inviteLink(team.id).then(setLink, (failure) => setError(errorMessage(failure)));
    }, [team.id]);

    async function copy() {
        if (!link) {
            return;
        }
        try {
            await navigator.clipboard.writeText(link);
            setCopied(true);
        } catch {
            // Without clipboard permission the link stays selected for the reader to copy.
            document.querySelector<HTMLInputElement>('#invite-link')?.select();
        }
    }

    return (
        <Dialog title={t('invite.title', {team: team.display_name})} onClose={onClose}>
            {error && <p className='form-error' role='alert'>{error}</p>}
            {link === null && !error && <p className='hint' role='status'>{t('app.loading')}</p>}
            {link === '' && <p>{t('invite.notAllowed')}</p>}
            {link && (
                <>
                    <label htmlFor='invite-link'>{t('invite.link')}</label>
                    <input id='invite-link' readOnly value={link} dir='ltr' onFocus={(e) => e.target.select()}/>
                    <p className='hint'>{t('invite.hint')}</p>
                    <div className='dialog-buttons'>
                        <span role='status' className='hint'>{copied ? t('invite.copied') : ''}</span>
                        <button type='button' className='primary' onClick={() => void copy()}>{t('invite.copy')}</button>
                    </div>
                </>
            )}
        </Dialog>
    );
}
