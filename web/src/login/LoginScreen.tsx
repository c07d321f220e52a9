import {useState, type FormEvent} from 'react';

import {resendVerification} from '../account/actions';
import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {MFA_CODE_NEEDED, errorId, login} from '../store/actions';
import {loginWithKey, isSupported as keysSupported} from '../security/webauthn';
import {useAppState} from '../store/state';
import {SsoButtons} from './SsoButtons';

/** Where to go after signing in: the page that sent us here, if it is one of ours. */
function redirectTarget(): string {
    const target = new URLSearchParams(window.location.search).get('redirect_to') ?? '/';
    return target.startsWith('/') && !target.startsWith('//') ? target : '/';
}

export function LoginScreen() {
    const siteName = useAppState((state) => state.siteName);
    const sessionEnded = useAppState((state) => state.sessionEnded);
    const [loginId, setLoginId] = useState('');
    const [password, setPassword] = useState('');
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [unverified, setUnverified] = useState(false);
    const [resent, setResent] = useState(false);
    // The second step, when the account has two-factor authentication: the same login again,
    // with a code (as Mattermost's apps do on this error).
    const [needsCode, setNeedsCode] = useState(false);
    const [code, setCode] = useState('');

    async function submit(event: FormEvent) {
        event.preventDefault();
        setBusy(true);
        setError('');
        try {
            await login(loginId.trim(), password, needsCode ? code.trim() : '');
            navigate(redirectTarget(), {replace: true});
        } catch (failure) {
            if (!needsCode && errorId(failure) === MFA_CODE_NEEDED) {
                setNeedsCode(true);
            } else {
                setUnverified(errorId(failure) === 'api.user.login.not_verified.app_error');
                setError(errorMessage(failure));
            }
            setBusy(false);
        }
    }

    // The second step with a security key instead of a code: the browser asks for the key.
    async function signInWithKey() {
        setBusy(true);
        setError('');
        try {
            await loginWithKey(loginId.trim(), password);
            navigate(redirectTarget(), {replace: true});
        } catch (failure) {
            setError(failure instanceof DOMException ? t('keys.cancelled') : errorMessage(failure));
            setBusy(false);
        }
    }

    async function resend() {
        await resendVerification(loginId.trim()).catch(() => undefined);
        setResent(true);
    }

    if (needsCode) {
        return (
            <main className='centered-page'>
                <h1>{siteName}</h1>
                <form className='form' onSubmit={submit} aria-labelledby='login-code-title'>
                    <h2 id='login-code-title'>{t('login.codeTitle')}</h2>
                    <p className='hint'>{t('login.codeHint')}</p>
                    <label htmlFor='login-code'>{t('login.code')}</label>
                    <input id='login-code' name='code' autoComplete='one-time-code' required autoFocus
                        value={code} onChange={(e) => setCode(e.target.value)}/>
                    {error && <p className='form-error' role='alert'>{error}</p>}
                    <button type='submit' className='primary' disabled={busy}>{t('login.submit')}</button>
                    {keysSupported() && (
                        <button type='button' disabled={busy} onClick={() => void signInWithKey()}>{t('login.useKey')}</button>
                    )}
                    <button type='button' onClick={() => { setNeedsCode(false); setCode(''); setError(''); }}>{t('login.back')}</button>
                </form>
            </main>
        );
    }

    return (
        <main className='centered-page'>
            <h1>{siteName}</h1>
            <form className='form' onSubmit={submit} aria-labelledby='login-title'>
                <h2 id='login-title'>{t('login.title')}</h2>
                {sessionEnded && <p className='notice' role='status'>{t('login.sessionEnded')}</p>}
                <label htmlFor='login-id'>{t('login.loginId')}</label>
                <input id='login-id' name='username' autoComplete='username' required autoFocus
                    value={loginId} onChange={(e) => setLoginId(e.target.value)}/>
                <label htmlFor='login-password'>{t('login.password')}</label>
                <input id='login-password' name='password' type='password' autoComplete='current-password' required
                    value={password} onChange={(e) => setPassword(e.target.value)}/>
                {error && <p className='form-error' role='alert'>{error}</p>}
                {unverified && loginId.includes('@') && (
                    <p className='hint'>
                        {resent ? <span role='status'>{t('login.verificationSent')}</span> : (
                            <button type='button' className='link-button' onClick={() => void resend()}>{t('login.resendVerification')}</button>
                        )}
                    </p>
                )}
                <button type='submit' className='primary' disabled={busy}>{t('login.submit')}</button>
                <p className='hint'>
                    <a href='/reset_password' onClick={(e) => {
                        e.preventDefault();
                        navigate('/reset_password');
                    }}>{t('login.forgotPassword')}</a>
                </p>
                <SsoButtons redirectTo={redirectTarget() === '/' ? '' : redirectTarget()}/>
            </form>
        </main>
    );
}
