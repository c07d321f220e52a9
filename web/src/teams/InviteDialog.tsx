import {useEffect, useMemo, useState, type FormEvent} from 'react';

import type {Team} from '@mattermost/types/teams';

import {emailInvitationsEnabled, guestInvitationsAllowed, inviteByEmail, inviteGuests} from '../account/actions';
import {errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {Dialog} from '../posts/Dialog';
import {inviteLink} from '../store/channelActions';
import {channelTitle} from '../store/channels';
import {store, useAppState} from '../store/state';
import '../settings/settings.css';

/** The addresses typed, separated by spaces, commas or semicolons. */
export function addressesIn(text: string): string[] {
    return text.split(/[\s,;]+/).map((email) => email.trim()).filter(Boolean);
}

/** E-mail invitations, when the server sends them: each address gets a link that works once. */
function InviteByEmail({teamId}: {teamId: string}) {
    const [addresses, setAddresses] = useState('');
    const [sent, setSent] = useState<string[]>([]);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function submit(event: FormEvent) {
        event.preventDefault();
        const emails = addressesIn(addresses);
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

/** Guests, by e-mail, into the channels chosen here (of those the inviter is in); a guest sees
 * only those channels and the people in them. */
function InviteGuests({teamId}: {teamId: string}) {
    // The store's own objects are selected; the list is derived from them (a selector that made a
    // new array each time would never settle).
    const all = useAppState((state) => state.channels);
    const members = useAppState((state) => state.members);
    const channels = useMemo(() => {
        const state = store.get();
        return Object.values(all)
            .filter((channel) => channel.team_id === teamId && channel.delete_at === 0 && members[channel.id])
            .map((channel) => ({id: channel.id, title: channelTitle(state, channel)}))
            .sort((a, b) => a.title.localeCompare(b.title));
    }, [all, members, teamId]);
    const [addresses, setAddresses] = useState('');
    const [chosen, setChosen] = useState<string[]>([]);
    const [message, setMessage] = useState('');
    const [sent, setSent] = useState(0);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    async function submit(event: FormEvent) {
        event.preventDefault();
        const emails = addressesIn(addresses);
        if (emails.length === 0) {
            return;
        }
        if (chosen.length === 0) {
            setError(t('invite.guestChannelsNeeded'));
            return;
        }
        setBusy(true);
        setError('');
        try {
            await inviteGuests(teamId, chosen, emails, message);
            setSent(emails.length);
            setAddresses('');
        } catch (failure) {
            setError(errorMessage(failure));
        }
        setBusy(false);
    }

    const toggle = (id: string, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((other) => other !== id));
    return (
        <form onSubmit={(e) => void submit(e)} className='form'>
            <label htmlFor='invite-guest-emails'>{t('invite.guests')}</label>
            <textarea id='invite-guest-emails' rows={2} value={addresses} dir='ltr' onChange={(e) => setAddresses(e.target.value)}/>
            <fieldset className='settings-choice'>
                <legend>{t('invite.guestChannels')}</legend>
                {channels.map((channel) => (
                    <label key={channel.id}>
                        <input type='checkbox' checked={chosen.includes(channel.id)} onChange={(e) => toggle(channel.id, e.target.checked)}/>
                        {' '}{channel.title}
                    </label>
                ))}
            </fieldset>
            <label htmlFor='invite-guest-message'>{t('invite.guestMessage')}</label>
            <textarea id='invite-guest-message' rows={2} value={message} dir='auto' maxLength={500} onChange={(e) => setMessage(e.target.value)}/>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='dialog-buttons'>
                <span role='status' className='hint'>{sent > 0 ? t('invite.emailsSent', {count: String(sent)}) : ''}</span>
                <button type='submit' className='primary' disabled={busy}>{t('invite.sendGuests')}</button>
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
    const [guests, setGuests] = useState(false);
    const me = useAppState((state) => state.me!);

    useEffect(() => {
        inviteLink(team.id).then(setLink, (failure) => setError(errorMessage(failure)));
        emailInvitationsEnabled().then(setByEmail, () => setByEmail(false));
        guestInvitationsAllowed(team.id, me.id, me.roles).then(setGuests, () => setGuests(false));
    }, [team.id, me.id, me.roles]);

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
            {guests && <InviteGuests teamId={team.id}/>}
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
