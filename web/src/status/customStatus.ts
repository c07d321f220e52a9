// Custom statuses (an emoji and a short text, with an expiry) as Mattermost keeps them: the
// current one in the user's props.customStatus (a JSON string), recent ones in a preference.
import type {UserCustomStatus, UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {preference} from '../settings/preferences';
import {store, type State} from '../store/state';

export type Duration = '' | 'thirty_minutes' | 'one_hour' | 'four_hours' | 'today' | 'this_week';

export const DURATIONS: Duration[] = ['', 'thirty_minutes', 'one_hour', 'four_hours', 'today', 'this_week'];

// Go's zero time: Mattermost's "never expires".
const NEVER = '0001-01-01T00:00:00Z';

/** The user's custom status, or undefined when there is none or it has expired. */
export function customStatusOf(user: UserProfile | undefined, now: number = Date.now()): UserCustomStatus | undefined {
    const raw = user?.props?.customStatus;
    if (!raw || typeof raw !== 'string') {
        return undefined;
    }
    try {
        const status = JSON.parse(raw) as UserCustomStatus;
        if (!status || (!status.emoji && !status.text)) {
            return undefined;
        }
        const expires = expiresAt(status);
        return expires && expires <= now ? undefined : status;
    } catch {
        return undefined;
    }
}

/** Milliseconds, or 0 for never. */
export function expiresAt(status: Pick<UserCustomStatus, 'expires_at'>): number {
    if (!status.expires_at || status.expires_at.startsWith('0001-')) {
        return 0;
    }
    const time = Date.parse(status.expires_at);
    return Number.isNaN(time) ? 0 : time;
}

/** When a status set now with this duration ends (local time for "today" and "this week"). */
export function expiryFor(duration: Duration, now: number = Date.now()): string {
    const minutes = {thirty_minutes: 30, one_hour: 60, four_hours: 240} as Record<string, number>;
    if (minutes[duration]) {
        return new Date(now + minutes[duration] * 60_000).toISOString();
    }
    if (duration === 'today' || duration === 'this_week') {
        const end = new Date(now);
        end.setHours(23, 59, 59, 999);
        if (duration === 'this_week') {
            // Through Sunday.
            end.setDate(end.getDate() + ((7 - end.getDay()) % 7));
        }
        return end.toISOString();
    }
    return NEVER;
}

export function recentCustomStatuses(state: Pick<State, 'preferences'>): UserCustomStatus[] {
    try {
        const recent = JSON.parse(preference(state, 'custom_status', 'recent_custom_statuses') ?? '[]') as unknown;
        return Array.isArray(recent) ? recent.filter((item): item is UserCustomStatus => Boolean(item) && typeof item === 'object') : [];
    } catch {
        return [];
    }
}

function meWithCustomStatus(value: string): void {
    store.update((state) => {
        const me = state.me!;
        const user = {...me, props: {...me.props, customStatus: value}};
        return {...state, me: user, users: {...state.users, [me.id]: user}};
    });
}

export async function setCustomStatus(emoji: string, text: string, duration: Duration): Promise<void> {
    const status = {emoji, text, duration, expires_at: expiryFor(duration)} as UserCustomStatus;
    await client.updateCustomStatus(status);
    meWithCustomStatus(JSON.stringify(status));
}

export async function clearCustomStatus(): Promise<void> {
    await client.unsetCustomStatus();
    meWithCustomStatus('');
}

export async function forgetRecentCustomStatus(status: UserCustomStatus): Promise<void> {
    await client.removeRecentCustomStatus(status);
}
