import {useEffect, useState, type FormEvent, type ReactNode} from 'react';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {t} from '../i18n/i18n';
import {useAppState} from '../store/state';
import {linkParameter, requestPasswordReset, resetPassword, verifyEmail} from './actions';
import {useFormSubmit} from './formSubmit';

function Page({titleId, title, children}: {titleId: string; title: string; children: ReactNode}) {
    const siteName = useAppState((state) => state.siteName);
    return (
        <main className='centered-page'>
            <h1>{siteName}</h1>
            <section className='form' aria-labelledby={titleId}>
                <h2 id={titleId}>{title}</h2>
                {children}
            </section>
        </main>
    );
}

function SignInLink() {
    return (
        <p className='hint'>
            <a href='/login' onClick={(e) => {
                e.preventDefault();
                navigate('/login');
            }}>{t('account.signIn')}</a>
        </p>
    );
}

/** /reset_password: asks for a reset link. The answer is the same whether or not the address has an account. */
export function ForgotPasswordScreen() {
    const [email, setEmail] = useState('');
    const [sent, setSent] = useState(false);
    const {submit, busy, error} = useFormSubmit(async () => {
        await requestPasswordReset(email.trim());
        setSent(true);
    });

    return (
        <Page titleId='forgot-title' title={t('account.forgotTitle')}>
            {sent ? (
                <p className='notice' role='status'>{t('account.forgotSent', {email: email.trim()})}</p>
            ) : (
                <form onSubmit={submit} className='form'>
                    <p>{t('account.forgotHint')}</p>
                    <label htmlFor='forgot-email'>{t('account.email')}</label>
                    <input id='forgot-email' type='email' autoComplete='email' required autoFocus value={email}
                        onChange={(e) => setEmail(e.target.value)}/>
                    {error && <p className='form-error' role='alert'>{error}</p>}
                    <button type='submit' className='primary' disabled={busy}>{t('account.forgotSubmit')}</button>
                </form>
            )}
            <SignInLink/>
        </Page>
    );
}

/** /reset_password_complete?token=...: the page a reset mail links to. */
export function ResetPasswordScreen() {
    const token = linkParameter('token');
    const [password, setPassword] = useState('');
    const [repeated, setRepeated] = useState('');
    const [done, setDone] = useState(false);
    const {submit: reset, busy, error, setError} = useFormSubmit(async () => {
        await resetPassword(token, password);
        setDone(true);
    });

    function submit(event: FormEvent) {
        if (password !== repeated) {
            event.preventDefault();
            setError(t('account.resetMismatch'));
            return;
        }
        reset(event);
    }

    return (
        <Page titleId='reset-title' title={t('account.resetTitle')}>
            {done ? (
                <p className='notice' role='status'>{t('account.resetDone')}</p>
            ) : (
                <form onSubmit={submit} className='form'>
                    <label htmlFor='reset-password'>{t('account.newPassword')}</label>
                    <input id='reset-password' type='password' autoComplete='new-password' required autoFocus
                        value={password} onChange={(e) => setPassword(e.target.value)}/>
                    <label htmlFor='reset-password-again'>{t('account.newPasswordAgain')}</label>
                    <input id='reset-password-again' type='password' autoComplete='new-password' required
                        value={repeated} onChange={(e) => setRepeated(e.target.value)}/>
                    {error && <p className='form-error' role='alert'>{error}</p>}
                    <button type='submit' className='primary' disabled={busy || !token}>{t('account.resetSubmit')}</button>
                </form>
            )}
            <SignInLink/>
        </Page>
    );
}

/** /do_verify_email?token=...&email=...: the page a verification mail links to; it verifies at once. */
export function VerifyEmailScreen() {
    const token = linkParameter('token');
    const email = linkParameter('email');
    const [state, setState] = useState<'working' | 'done' | string>('working');

    useEffect(() => {
        verifyEmail(token).then(() => setState('done'), (failure) => setState(errorMessage(failure)));
    }, [token]);

    return (
        <Page titleId='verify-title' title={t('account.verifyTitle')}>
            {state === 'working' && <p role='status'>{t('app.loading')}</p>}
            {state === 'done' && <p className='notice' role='status'>{t('account.verifyDone', {email})}</p>}
            {state !== 'working' && state !== 'done' && <p className='form-error' role='alert'>{state}</p>}
            <SignInLink/>
        </Page>
    );
}
