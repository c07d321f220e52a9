import {describe, expect, it} from 'vitest';

import type {UserProfile} from '@mattermost/types/users';

import {localTime} from '../profile/ProfileCard';
import {makeChannel, makeMember, stateWith} from '../test/fixtures';
import {canManageChannel, isMuted, urlNameFor} from './channelActions';

describe('a new channel\'s URL name', () => {
    it.each([
        ['Élsinore Battlements', 'elsinore-battlements'],
        ['  Q&A: the play!  ', 'q-a-the-play'],
        ['Ünïcode   ✨ dance', 'unicode-dance'],
        ['日本', ''],
        ['x', ''],
    ])('%s → %s', (display, name) => {
        expect(urlNameFor(display)).toBe(name);
    });

    it('is at most 64 characters', () => {
        expect(urlNameFor('a'.repeat(100))).toHaveLength(64);
    });
});

describe('who may change a channel', () => {
    it('its members and system admins, while it is not archived', () => {
        const channel = makeChannel();
        expect(canManageChannel(stateWith({members: {town: makeMember()}}), channel)).toBe(true);
        expect(canManageChannel(stateWith(), channel)).toBe(false);
        expect(canManageChannel(stateWith({me: {id: 'root', roles: 'system_user system_admin'} as UserProfile}), channel)).toBe(true);
        expect(canManageChannel(stateWith({members: {town: makeMember()}}), makeChannel({delete_at: 9}))).toBe(false);
    });
});

describe('muting', () => {
    it('is mark_unread "mention" in the membership\'s notify props', () => {
        expect(isMuted(makeMember({notify_props: {mark_unread: 'mention'}}))).toBe(true);
        expect(isMuted(makeMember({notify_props: {mark_unread: 'all'}}))).toBe(false);
        expect(isMuted(undefined)).toBe(false);
    });
});

describe('a person\'s local time', () => {
    const noon = Date.UTC(2026, 0, 15, 12, 0);
    const user = (timezone: UserProfile['timezone']) => ({timezone} as UserProfile);

    it('follows the automatic or the manual zone, as the account says', () => {
        expect(localTime(user({useAutomaticTimezone: 'true', automaticTimezone: 'Asia/Tokyo', manualTimezone: 'Europe/Paris'}), noon, 'en-GB')).toMatch(/^21:00/);
        expect(localTime(user({useAutomaticTimezone: 'false', automaticTimezone: 'Asia/Tokyo', manualTimezone: 'Europe/Paris'}), noon, 'en-GB')).toMatch(/^13:00/);
    });

    it('falls back to the reader\'s clock for an unknown zone', () => {
        expect(localTime(user({useAutomaticTimezone: 'true', automaticTimezone: 'Mars/Olympus', manualTimezone: ''}), noon, 'en-GB')).toMatch(/^\d{2}:\d{2}$/);
    });
});
