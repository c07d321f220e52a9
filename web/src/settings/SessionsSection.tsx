import {useEffect, useState} from 'react';

import type {Session} from '@mattermost/types/sessions';

import {formatDateTime, t} from '../i18n/i18n';
import {settingsError} from './errors';
import './sessions.css';
import {deviceName, isCurrentSession, mySessions, revokeOtherSessions, revokeSession} from './sessions';

/**
 * Where the account is signed in: each device with its last activity, "this device" marked;
 * any other one can be signed out, or all of them at once. No addresses: the server keeps none.
 */
export function SessionsSection() {
    const [sessions, setSessions] = useState<Session[] | null>(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);

    const reload = () => mySessions().then(setSessions, (failure) => setError(settingsError(failure)));
    useEffect(() => {
        void reload();
    }, []);

    async function act(work: () => Promise<void>) {
        setBusy(true);
        setError('');
        try {
            await work();
            await reload();
        } catch (failure) {
            setError(settingsError(failure));
        } finally {
            setBusy(false);
        }
    }

    const others = (sessions ?? []).filter((session) => !isCurrentSession(session));
    return (
        <section className='settings-section' aria-labelledby='settings-sessions-title'>
            <h3 id='settings-sessions-title'>{t('sessions.title')}</h3>
            {sessions === null && !error && <p className='hint' role='status'>{t('app.loading')}</p>}
            {sessions && (
                <ul className='session-list' aria-label={t('sessions.title')}>
                    {sessions.map((session) => (
                        <li key={session.id} className='session'>
                            <div>
                                <strong>{deviceName(session, t('sessions.unknownDevice'))}</strong>
                                {isCurrentSession(session) && <span className='session-current'>{t('sessions.thisDevice')}</span>}
                                <p className='hint'>{t('sessions.lastActive', {time: formatDateTime(session.last_activity_at)})}</p>
                            </div>
                            {!isCurrentSession(session) && (
                                <button type='button' className='link-button' disabled={busy}
                                    aria-label={t('sessions.revokeNamed', {device: deviceName(session, t('sessions.unknownDevice'))})}
                                    onClick={() => void act(() => revokeSession(session.id))}>{t('sessions.revoke')}</button>
                            )}
                        </li>
                    ))}
                </ul>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
            {others.length > 0 && (
                <button type='button' disabled={busy} onClick={() => void act(() => revokeOtherSessions(sessions ?? []))}>
                    {t('sessions.revokeOthers')}
                </button>
            )}
        </section>
    );
}
