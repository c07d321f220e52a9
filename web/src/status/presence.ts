// Presence: who is online, away, busy (do not disturb) or offline. Mattermost tells a user only
// about their own status changes (`status_change`); everyone else's is asked for, as its web app
// does, with `POST /users/status/ids` for the people on screen: when they appear, when the tab
// comes back, and every STATUS_INTERVAL_MS while it is visible.
import type {UserStatus} from '@mattermost/types/users';

import {client} from '../api/client';
import {directPartnerId} from '../store/channels';
import {store, type State} from '../store/state';

export type Presence = 'online' | 'away' | 'dnd' | 'offline';

export const STATUS_INTERVAL_MS = 30_000;

export function presenceOf(state: State, userId: string): Presence | undefined {
    const status = state.statuses[userId]?.status;
    return status === 'online' || status === 'away' || status === 'dnd' || status === 'offline' ? status : undefined;
}

export function receiveStatuses(state: State, statuses: Pick<UserStatus, 'user_id' | 'status'>[]): State {
    let changed = false;
    const next = {...state.statuses};
    for (const status of statuses) {
        const known = next[status.user_id];
        if (!known || known.status !== status.status || (status as UserStatus).dnd_end_time !== known.dnd_end_time) {
            next[status.user_id] = {...known, ...status};
            changed = true;
        }
    }
    return changed ? {...state, statuses: next} : state;
}

/** The people whose dots are on screen: the open channel's authors, direct-message partners. */
export function visibleUserIds(state: State): string[] {
    const ids = new Set<string>();
    const me = state.me?.id;
    if (me) {
        ids.add(me);
        for (const channel of Object.values(state.channels)) {
            if (channel.type === 'D' && state.members[channel.id]) {
                ids.add(directPartnerId(channel, me));
            }
        }
    }
    const open = state.view.channelId;
    for (const id of state.channelPosts[open]?.order.slice(-100) ?? []) {
        const author = state.posts[id]?.user_id;
        if (author) {
            ids.add(author);
        }
    }
    for (const id of state.threads[state.view.threadId] ?? []) {
        const author = state.posts[id]?.user_id;
        if (author) {
            ids.add(author);
        }
    }
    return [...ids];
}

export async function loadStatuses(ids: string[] = visibleUserIds(store.get())): Promise<void> {
    const wanted = ids.filter(Boolean);
    if (wanted.length === 0) {
        return;
    }
    const statuses = await client.getStatusesByIds(wanted);
    store.update((state) => receiveStatuses(state, statuses));
}

/** The statuses of people not asked about yet (new authors, a new DM), soon and in one request. */
let pending = new Set<string>();
let pendingTimer: ReturnType<typeof setTimeout> | undefined;

export function loadMissingStatuses(ids: string[]): void {
    const known = store.get().statuses;
    for (const id of ids) {
        if (id && !known[id]) {
            pending.add(id);
        }
    }
    if (pending.size > 0 && pendingTimer === undefined) {
        pendingTimer = setTimeout(() => {
            const batch = [...pending];
            pending = new Set();
            pendingTimer = undefined;
            loadStatuses(batch).catch(console.error);
        }, 200);
    }
}

export async function setMyStatus(status: Presence, dndEndTime = 0): Promise<void> {
    const me = store.get().me!;
    const saved = await client.updateStatus({user_id: me.id, status, dnd_end_time: dndEndTime});
    store.update((state) => receiveStatuses(state, [saved]));
}

let timer: ReturnType<typeof setInterval> | undefined;
let lastChannel = '';

function refresh(): void {
    if (document.visibilityState === 'visible') {
        loadStatuses().catch(console.error);
    }
}

function onChange(): void {
    const {channelId} = store.get().view;
    if (channelId !== lastChannel) {
        lastChannel = channelId;
        refresh();
    }
}

let unsubscribe: (() => void) | undefined;

export function startPresence(): void {
    if (timer !== undefined) {
        return;
    }
    refresh();
    timer = setInterval(refresh, STATUS_INTERVAL_MS);
    document.addEventListener('visibilitychange', refresh);
    unsubscribe = store.subscribe(onChange);
}

export function stopPresence(): void {
    clearInterval(timer);
    timer = undefined;
    lastChannel = '';
    document.removeEventListener('visibilitychange', refresh);
    unsubscribe?.();
    unsubscribe = undefined;
}
