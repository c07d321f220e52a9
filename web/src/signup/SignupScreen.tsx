import {useEffect, useState} from 'react';

import {invitationFromLink} from '../account/actions';
import {useFormSubmit} from '../account/formSubmit';
import {errorMessage} from '../api/client';
import {channelPath, navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {SsoButtons} from '../login/SsoButtons';
import {joinTeamByInvite, signUpWithEmailInvitation, signUpWithInvite, teamOfInvite, type InvitedTeam} from '../store/channelActions';
import {useAppState} from '../store/state';

/** Mattermost's invite link, /signup_user_complete/?id=<invite id>: the team it names. */
function inviteIdFromUrl(): string {
    return new URLSearchParams(window.location.search).get('id') ?? '';
}

/**
 * Sign-up from a team's invite link: a new account lands in the team. Someone already signed in
 * who follows the link joins the team instead. An e-mail invitation's link (?d=...&t=...) has
 * its own form: the address is the invited one.
 */
export function SignupScreen() {
    const invitation = invitationFromLink();
    if (invitation) {
        return <EmailInvitationSignup token={invitation.token} team={invitation.team} email={invitation.email}/>;
    }
    return <InviteLinkSignup/>;
}

function EmailInvitationSignup({token, team, email}: {token: string; team: string; email: string}) {
    const siteName = useAppState((state) => state.siteName);
    const [username, setUsername] = useState('');
    const [password, setPassword] = useState('');
    const {submit, busy, error} = useFormSubmit(async () => {
        await signUpWithEmailInvitation(token, {email, username: username.trim().toLowerCase(), password});
        navigate('/', {replace: true});
    }, {leavesPage: true});

    return (
        <main className='centered-page'>
            <h1>{siteName}</h1>
            <form className='form' onSubmit={submit} aria-labelledby='signup-title'>
                <h2 id='signup-title'>{team ? t('signup.titleTeam', {team}) : t('signup.title')}</h2>
                {error && <p className='form-error' role='alert'>{error}</p>}
                <label htmlFor='signup-email'>{t('signup.email')}</label>
                <input id='signup-email' type='email' readOnly value={email}/>
                <NameAndPassword username={username} setUsername={setUsername} password={password} setPassword={setPassword}
                    busy={busy} focusUsername/>
            </form>
        </main>
    );
}

function InviteLinkSignup() {
    const inviteId = inviteIdFromUrl();
    const siteName = useAppState((state) => state.siteName);
    const session = useAppState((state) => state.session);
    const [team, setTeam] = useState<InvitedTeam | null>(null);
    const [email, setEmail] = useState('');
    const [username, setUsername] = useState('');
    const [password, setPassword] = useState('');
    const {submit, busy, error, setError} = useFormSubmit(team ? async () => {
        await signUpWithInvite(inviteId, {email: email.trim(), username: username.trim().toLowerCase(), password});
        navigate(channelPath(team.name, 'town-square'), {replace: true});
    } : null, {leavesPage: true});

    useEffect(() => {
        if (!inviteId) {
            setError(t('signup.noInvite'));
            return;
        }
        teamOfInvite(inviteId).then(setTeam, () => setError(t('signup.badInvite')));
    }, [inviteId]);

    useEffect(() => {
        // Not while this page's own sign-up signs in: that account is in the team already.
        if (session === 'signed-in' && team && !busy) {
            joinTeamByInvite(inviteId).then(
                () => navigate(channelPath(team.name, 'town-square'), {replace: true}),
                (failure) => setError(errorMessage(failure)),
            );
        }
    }, [session, team, inviteId, busy]);

    return (
        <main className='centered-page'>
            <h1>{siteName}</h1>
            <form className='form' onSubmit={submit} aria-labelledby='signup-title'>
                <h2 id='signup-title'>{team ? t('signup.titleTeam', {team: team.display_name}) : t('signup.title')}</h2>
                {error && <p className='form-error' role='alert'>{error}</p>}
                {team && session !== 'signed-in' && (
                    <>
                        <label htmlFor='signup-email'>{t('signup.email')}</label>
                        <input id='signup-email' type='email' autoComplete='email' required autoFocus value={email}
                            onChange={(e) => setEmail(e.target.value)}/>
                        <NameAndPassword username={username} setUsername={setUsername} password={password} setPassword={setPassword}
                            busy={busy}/>
                        <SsoButtons inviteId={inviteId} redirectTo={channelPath(team.name, 'town-square')}/>
                    </>
                )}
                <p className='hint'>
                    <a href='/login' onClick={(e) => {
                        e.preventDefault();
                        navigate('/login');
                    }}>{t('signup.haveAccount')}</a>
                </p>
            </form>
        </main>
    );
}

/** The new account's username and password, and the button that makes it. */
function NameAndPassword({username, setUsername, password, setPassword, busy, focusUsername = false}: {
    username: string;
    setUsername: (username: string) => void;
    password: string;
    setPassword: (password: string) => void;
    busy: boolean;
    focusUsername?: boolean;
}) {
    return (
        <>
            <label htmlFor='signup-username'>{t('signup.username')}</label>
            <input id='signup-username' autoComplete='username' required autoFocus={focusUsername} value={username} maxLength={22}
                aria-describedby='signup-username-hint' onChange={(e) => setUsername(e.target.value)}/>
            <p className='hint' id='signup-username-hint'>{t('signup.usernameHint')}</p>
            <label htmlFor='signup-password'>{t('signup.password')}</label>
            <input id='signup-password' type='password' autoComplete='new-password' required value={password}
                onChange={(e) => setPassword(e.target.value)}/>
            <button type='submit' className='primary' disabled={busy}>{t('signup.submit')}</button>
        </>
    );
}
