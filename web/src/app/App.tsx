import {useEffect} from 'react';

import {useLocale, t} from '../i18n/i18n';
import {LoginScreen} from '../login/LoginScreen';
import {useAppliedSettings} from '../settings/apply';
import {loadSession} from '../store/actions';
import {startRealtime} from '../store/realtime';
import {useAppState} from '../store/state';
import {TeamSelect} from '../teams/TeamSelect';
import {deferred} from './deferred';
import {navigate, parseRoute, usePath} from './router';
import {TeamLayout} from './TeamLayout';

// Pages a signed-in visit to a channel does not show load when asked for. The login page stays
// in the first script: it is the first page of everyone who is signed out.
const whenOpened = {prefetch: false, frame: 'splash'};
const SetupScreen = deferred(() => import('../login/SetupScreen').then((m) => m.SetupScreen), whenOpened);
const SignupScreen = deferred(() => import('../signup/SignupScreen').then((m) => m.SignupScreen), whenOpened);
const ForgotPasswordScreen = deferred(() => import('../account/AccountScreens').then((m) => m.ForgotPasswordScreen), whenOpened);
const ResetPasswordScreen = deferred(() => import('../account/AccountScreens').then((m) => m.ResetPasswordScreen), whenOpened);
const VerifyEmailScreen = deferred(() => import('../account/AccountScreens').then((m) => m.VerifyEmailScreen), whenOpened);
const EnrolScreen = deferred(() => import('../security/EnrolScreen').then((m) => m.EnrolScreen), whenOpened);
const TermsScreen = deferred(() => import('../terms/TermsScreen').then((m) => m.TermsScreen), whenOpened);
const ConsolePage = deferred(() => import('../console/ConsolePage').then((m) => m.default), whenOpened);

const SIGNED_OUT_PAGES = new Set(['login', 'setup', 'signup', 'forgot-password', 'reset-password', 'verify-email']);

export function App() {
    useLocale();
    useAppliedSettings();
    const path = usePath();
    const route = parseRoute(path);
    const session = useAppState((state) => state.session);

    useEffect(() => {
        void loadSession();
    }, []);

    // The socket listens from sign-in on, before any channel loads, so nothing falls in between.
    useEffect(() => {
        if (session === 'signed-in') {
            startRealtime();
        }
    }, [session]);

    useEffect(() => {
        if (session === 'signed-out' && !SIGNED_OUT_PAGES.has(route.name)) {
            const back = route.name === 'root' ? '' : `?redirect_to=${encodeURIComponent(path)}`;
            navigate(`/login${back}`, {replace: true});
        }
    }, [session, route.name, path]);

    if (route.name === 'setup') {
        return <SetupScreen token={route.token}/>;
    }
    // The pages mails link to work whether or not this browser is signed in.
    if (route.name === 'forgot-password') {
        return <ForgotPasswordScreen/>;
    }
    if (route.name === 'reset-password') {
        return <ResetPasswordScreen/>;
    }
    if (route.name === 'verify-email') {
        return <VerifyEmailScreen/>;
    }
    if (session === 'loading') {
        return <div className='splash' role='status'>{t('app.loading')}</div>;
    }
    if (route.name === 'signup') {
        return <SignupScreen/>;
    }
    if (session === 'enrol') {
        return <EnrolScreen/>;
    }
    if (session === 'terms') {
        return <TermsScreen/>;
    }
    if (route.name === 'login' || session === 'signed-out') {
        return <LoginScreen/>;
    }
    switch (route.name) {
    case 'root':
    case 'select-team':
        return <TeamSelect automatic={route.name === 'root'}/>;
    case 'not-found':
        return <NotFound/>;
    case 'console':
        return <ConsolePage section={route.section}/>;
    default:
        return <TeamLayout route={route}/>;
    }
}

function NotFound() {
    return (
        <main className='centered-page'>
            <h1>{t('notFound.title')}</h1>
            <p><a href='/' onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('notFound.home')}</a></p>
        </main>
    );
}
