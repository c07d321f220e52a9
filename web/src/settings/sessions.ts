// The user's own sessions and account: listing and ending sessions, deactivating the account.
import type {Session} from '@mattermost/types/sessions';

import {client} from '../api/client';
import {store} from '../store/state';

function myId(): string {
    return store.get().me!.id;
}

/** The server marks the session asking as `props.is_current` (it never sends addresses). */
export function isCurrentSession(session: Session): boolean {
    return session.props?.is_current === 'true';
}

/** Newest activity first, this device on top. */
export async function mySessions(): Promise<Session[]> {
    const sessions = await client.getSessions(myId());
    return sessions.sort((a, b) => Number(isCurrentSession(b)) - Number(isCurrentSession(a)) || b.last_activity_at - a.last_activity_at);
}

export async function revokeSession(sessionId: string): Promise<void> {
    await client.revokeSession(myId(), sessionId);
}

/** Signs out every other device; this one stays signed in. */
export async function revokeOtherSessions(sessions: Session[]): Promise<void> {
    for (const session of sessions.filter((s) => !isCurrentSession(s))) {
        await client.revokeSession(myId(), session.id);
    }
}

/** Whether the server lets users deactivate themselves (TeamSettings.EnableUserDeactivation). */
export async function selfDeactivationAllowed(): Promise<boolean> {
    const config = await client.getClientConfig();
    return (config as Record<string, string>).EnableUserDeactivation === 'true';
}

export async function deactivateMe(): Promise<void> {
    await client.updateUserActive(myId(), false);
}

/** "Chrome/120 on Linux", from the device props the server keeps at login. */
export function deviceName(session: Session, unknown: string): string {
    const {browser = '', os = '', platform = ''} = (session.props ?? {}) as Record<string, string>;
    const system = os || platform;
    if (browser && system) {
        return `${browser.replace('/', ' ')} · ${system}`;
    }
    return browser.replace('/', ' ') || system || (session.device_id ? session.device_id.split(':')[0] : unknown);
}
