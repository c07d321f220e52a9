import {describe, expect, it, vi} from 'vitest';

import type {UserProfile} from '@mattermost/types/users';

import {setLocale} from '../i18n/i18n';
import {initialState} from '../store/state';
import {avatarColour, initials} from './Avatar';
import {customStatusOf, expiryFor} from './customStatus';
import {presenceOf, receiveStatuses} from './presence';
import {TYPING_SEND_MS, TYPING_SHOW_MS, TypingThrottle, expireTyping, startedTyping, stoppedTyping, typingMessage, typingUserIds} from './typing';
import {dndEndTime} from './UserMenu';

const users = ['ada', 'bo', 'cy'].map((username) => ({id: username, username, first_name: '', last_name: '', nickname: ''}) as UserProfile);

describe('sending typing notices', () => {
    it('sends at most one every few seconds per channel and thread', () => {
        const send = vi.fn();
        const throttle = new TypingThrottle(send);
        expect(throttle.typed('town', '', 1000)).toBe(true);
        expect(throttle.typed('town', '', 1000 + TYPING_SEND_MS - 1)).toBe(false);
        expect(throttle.typed('town', 'root', 1500)).toBe(true);
        expect(throttle.typed('town', '', 1000 + TYPING_SEND_MS)).toBe(true);
        expect(send.mock.calls).toEqual([['town', ''], ['town', 'root'], ['town', '']]);
    });

    it('starts afresh after a message is sent', () => {
        const send = vi.fn();
        const throttle = new TypingThrottle(send);
        throttle.typed('town', '', 1000);
        throttle.reset('town', '');
        expect(throttle.typed('town', '', 1001)).toBe(true);
    });
});

describe('showing who is typing', () => {
    it('lasts a few seconds, per channel and thread, and ends when their post arrives', () => {
        let state = startedTyping(initialState(), 'town', '', 'ada', 1000);
        state = startedTyping(state, 'town', '', 'bo', 2000);
        state = startedTyping(state, 'town', 'root', 'cy', 2000);
        expect(typingUserIds(state, 'town', '', 2500)).toEqual(['ada', 'bo']);
        expect(typingUserIds(state, 'town', 'root', 2500)).toEqual(['cy']);
        expect(typingUserIds(state, 'town', '', 1000 + TYPING_SHOW_MS)).toEqual(['bo']);
        state = stoppedTyping(state, 'town', '', 'bo');
        expect(typingUserIds(state, 'town', '', 2500)).toEqual(['ada']);
        expect(expireTyping(state, 2000 + TYPING_SHOW_MS).typing).toEqual({});
    });

    it('says who in a sentence', () => {
        setLocale('en');
        expect(typingMessage([], 'username')).toBe('');
        expect(typingMessage(users.slice(0, 1), 'username')).toBe('ada is typing…');
        expect(typingMessage(users.slice(0, 2), 'username')).toBe('ada and bo are typing…');
        expect(typingMessage(users, 'username')).toBe('ada, bo and cy are typing…');
    });
});

describe('presence', () => {
    it('keeps the latest status of each user', () => {
        let state = receiveStatuses(initialState(), [{user_id: 'ada', status: 'online'}]);
        expect(presenceOf(state, 'ada')).toBe('online');
        const same = receiveStatuses(state, [{user_id: 'ada', status: 'online'}]);
        expect(same).toBe(state);
        state = receiveStatuses(state, [{user_id: 'ada', status: 'dnd'}]);
        expect(presenceOf(state, 'ada')).toBe('dnd');
        expect(presenceOf(state, 'bo')).toBeUndefined();
    });

    it('ends do-not-disturb at the time chosen, in seconds', () => {
        const now = Date.UTC(2026, 0, 15, 12, 0);
        expect(dndEndTime(0, now)).toBe(0);
        expect(dndEndTime(30, now)).toBe(now / 1000 + 1800);
        const tomorrow = new Date(dndEndTime(-1, now) * 1000);
        expect(tomorrow.getHours()).toBe(9);
        expect(tomorrow.getTime()).toBeGreaterThan(now);
    });
});

describe('custom status', () => {
    it('reads the current one from the user, unless it has expired', () => {
        const now = Date.UTC(2026, 0, 15, 12, 0);
        const user = (status: object) => ({props: {customStatus: JSON.stringify(status)}}) as unknown as UserProfile;
        expect(customStatusOf(user({emoji: 'coffee', text: 'Break', expires_at: '0001-01-01T00:00:00Z'}), now)?.text).toBe('Break');
        expect(customStatusOf(user({emoji: 'coffee', text: 'Break', expires_at: new Date(now - 1).toISOString()}), now)).toBeUndefined();
        expect(customStatusOf({props: {customStatus: ''}} as unknown as UserProfile, now)).toBeUndefined();
        expect(customStatusOf({props: {customStatus: '{bad'}} as unknown as UserProfile, now)).toBeUndefined();
    });

    it('expires after the chosen time', () => {
        const now = Date.UTC(2026, 0, 15, 12, 0);
        expect(Date.parse(expiryFor('one_hour', now))).toBe(now + 3600_000);
        expect(expiryFor('', now)).toBe('0001-01-01T00:00:00Z');
        expect(new Date(expiryFor('today', now)).getDate()).toBe(new Date(now).getDate());
    });
});

describe('avatars without a picture', () => {
    it('show initials on a colour that stays the same for the user', () => {
        expect(initials({username: 'ada', first_name: 'Ada', last_name: 'Okafor'})).toBe('AO');
        expect(initials({username: 'hamlet.dane', first_name: '', last_name: ''})).toBe('HD');
        expect(initials({username: 'bo', first_name: '', last_name: ''})).toBe('B');
        expect(avatarColour('user1')).toBe(avatarColour('user1'));
    });
});
