import {useEffect, useState, type FormEvent} from 'react';

import type {Team} from '@mattermost/types/teams';

import {emailInvitationsEnabled, inviteByEmail} from '../account/actions';
import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {inviteLink} from '../store/channelActions';

/** E-mail invitations, when the server sends them: each address gets a link that works once. */
function InviteByEmail({teamId}: {teamId: string}) {
    const [addresses, setAddresses] = useState('');
    const [sent, setSent] = useState<string[]>([]);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function submit(event: FormEvent) {
        event.preventDefault();
        const emails = addresses.split(/[\s,;]+/).map((email) => email.trim()).filter(Boolean);
        if (emails.length === 0) {
            return;
        }
        setBusy(true);
        setError('');
        try {
            await inviteByEmail(teamId, emails);
            setSent(emails);
            setAddresses('');
        } catch (failure) {
            setError(errorMessage(failure));
        }
        setBusy(false);
    }

    return (
        <form onSubmit={(e) => void submit(e)} className='form'>
            <label htmlFor='invite-emails'>{t('invite.emails')}</label>
            <textarea id='invite-emails' rows={2} value={addresses} dir='ltr' aria-describedby='invite-emails-hint'
                onChange={(e) => setAddresses(e.target.value)}/>
            <p className='hint' id='invite-emails-hint'>{t('invite.emailsHint')}</p>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='dialog-buttons'>
                <span role='status' className='hint'>{sent.length > 0 ? t('invite.emailsSent', {count: String(sent.length)}) : ''}</span>
                <button type='submit' className='primary' disabled={busy}>{t('invite.sendEmails')}</button>
            </div>
        </form>
    );
}

/** The team's invite link, to copy and send: whoever opens it can sign up into the team. */
export function InviteDialog({team, onClose}: {team: Team; onClose: () => void}) {
    const [link, setLink] = useState<string | null>(null);
    const [error, setError] = useState('');
    const [copied, setCopied] = useState(false);
    const [byEmail, setByEmail] = useState(false);

    useEffect(() => {
        inviteLink(team.id).then(setLink, (failure) => setError(errorMessage(failure)));
        emailInvitationsEnabled().then(setByEmail, () => setByEmail(false));
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
            {byEmail && <InviteByEmail teamId={team.id}/>}
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
