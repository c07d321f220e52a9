import type {Session} from '@mattermost/types/sessions';

import {formatDateTime, t} from '../i18n/i18n';
import {ActionList, useListActions, type ListedItem} from './ActionList';
import {settingsError} from './errors';
import './sessions.css';
import {deviceName, isCurrentSession, mySessions, revokeOtherSessions, revokeSession} from './sessions';

/**
 * Where the account is signed in: each device with its last activity, "this device" marked;
 * any other one can be signed out, or all of them at once. No addresses: the server keeps none.
 */
export function SessionsSection() {
    const {items: sessions, busy, error, act} = useListActions(mySessions, settingsError);

    const others = (sessions ?? []).filter((session) => !isCurrentSession(session));
    return (
        <section className='settings-section' aria-labelledby='settings-sessions-title'>
            <h3 id='settings-sessions-title'>{t('sessions.title')}</h3>
            {sessions === null && !error && <p className='hint' role='status'>{t('app.loading')}</p>}
            {sessions && (
                <ActionList label={t('sessions.title')} className='session-list' itemClassName='session' busy={busy}
                    items={sessions.map((session) => listed(session, act))}/>
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

function listed(session: Session, act: (work: () => Promise<void>) => Promise<void>): ListedItem {
    const device = deviceName(session, t('sessions.unknownDevice'));
    const current = isCurrentSession(session);
    return {
        id: session.id,
        name: device,
        badge: current && <span className='session-current'>{t('sessions.thisDevice')}</span>,
        detail: t('sessions.lastActive', {time: formatDateTime(session.last_activity_at)}),
        action: current ? undefined : {
            text: t('sessions.revoke'),
            label: t('sessions.revokeNamed', {device}),
            onClick: () => void act(() => revokeSession(session.id)),
        },
    };
}
