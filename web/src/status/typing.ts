// Typing indicators. Sending: `user_typing` over the WebSocket at most once per TYPING_SEND_MS
// while the person types (Mattermost's web app waits as long between two). Showing: the
// server's `typing` event marks someone as typing in a channel (or one thread of it) for
// TYPING_SHOW_MS, or until their post arrives.
import type {UserProfile} from '@mattermost/types/users';

import {t} from '../i18n/i18n';
import {formatName, type NameFormat} from '../settings/preferences';
import type {State} from '../store/state';

export const TYPING_SEND_MS = 3_000;
export const TYPING_SHOW_MS = 5_000;

export function typingKey(channelId: string, parentId = ''): string {
    return `${channelId}:${parentId}`;
}

/** Remembers when the last notice went out, so typing sends one every few seconds at most. */
export class TypingThrottle {
    private last = new Map<string, number>();

    constructor(private readonly send: (channelId: string, parentId: string) => void, private readonly interval = TYPING_SEND_MS) {}

    typed(channelId: string, parentId: string, now: number = Date.now()): boolean {
        const key = typingKey(channelId, parentId);
        const previous = this.last.get(key);
        if (previous !== undefined && now - previous < this.interval) {
            return false;
        }
        this.last.set(key, now);
        this.send(channelId, parentId);
        return true;
    }

    /** After a send: the next keystroke is a new burst of typing. */
    reset(channelId: string, parentId: string): void {
        this.last.delete(typingKey(channelId, parentId));
    }
}

export function startedTyping(state: State, channelId: string, parentId: string, userId: string, now: number): State {
    const key = typingKey(channelId, parentId);
    return {...state, typing: {...state.typing, [key]: {...state.typing[key], [userId]: now + TYPING_SHOW_MS}}};
}

/** Their post arrived: they are no longer typing there. */
export function stoppedTyping(state: State, channelId: string, parentId: string, userId: string): State {
    const key = typingKey(channelId, parentId);
    if (!state.typing[key]?.[userId]) {
        return state;
    }
    const users = {...state.typing[key]};
    delete users[userId];
    const typing = {...state.typing};
    if (Object.keys(users).length === 0) {
        delete typing[key];
    } else {
        typing[key] = users;
    }
    return {...state, typing};
}

/** Drops the indicators whose time is up. */
export function expireTyping(state: State, now: number): State {
    let changed = false;
    const typing: State['typing'] = {};
    for (const [key, users] of Object.entries(state.typing)) {
        const kept = Object.fromEntries(Object.entries(users).filter(([, until]) => until > now));
        changed ||= Object.keys(kept).length !== Object.keys(users).length;
        if (Object.keys(kept).length > 0) {
            typing[key] = kept;
        }
    }
    return changed ? {...state, typing} : state;
}

/** Who is typing in a channel or thread, in the order they started (oldest first). */
export function typingUserIds(state: State, channelId: string, parentId: string, now: number): string[] {
    const users = state.typing[typingKey(channelId, parentId)] ?? {};
    return Object.entries(users)
        .filter(([, until]) => until > now)
        .sort((a, b) => a[1] - b[1])
        .map(([userId]) => userId);
}

export function typingMessage(users: (UserProfile | undefined)[], format: NameFormat): string {
    const names = users.map((user) => formatName(user, format));
    switch (names.length) {
    case 0:
        return '';
    case 1:
        return t('typing.one', {name: names[0]});
    case 2:
        return t('typing.two', {first: names[0], second: names[1]});
    default:
        return t('typing.many', {names: names.slice(0, -1).join(', '), last: names[names.length - 1]});
    }
}
