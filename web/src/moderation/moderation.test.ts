import {ClientError} from '@mattermost/client';
import {describe, expect, it} from 'vitest';

import {isModerator, isProtected, MUTED_ERROR} from './api';
import {allows} from './channelModeration';
import {postingError} from './postingError';

const moderations = [
    {name: 'create_post', roles: {members: {value: false, enabled: true}, guests: {value: false, enabled: true}, admins: {value: true, enabled: false}}},
    {name: 'reply_to_threads', roles: {members: {value: true, enabled: true}, guests: {value: false, enabled: true}, admins: {value: true, enabled: false}}},
];

describe('moderation', () => {
    it('reads who may post and reply from the channel moderations', () => {
        expect(allows(moderations, 'create_post', 'members')).toBe(false);
        expect(allows(moderations, 'reply_to_threads', 'members')).toBe(true);
        expect(allows(moderations, 'reply_to_threads', 'guests')).toBe(false);
        expect(allows(undefined, 'create_post', 'members')).toBe(true);
    });

    it('knows moderators and whom they may not act on', () => {
        expect(isModerator('system_user system_moderator')).toBe(true);
        expect(isModerator('system_user')).toBe(false);
        expect(isProtected('system_admin system_user')).toBe(true);
    });

    it('says until when a muted user is muted, in their own words', async () => {
        const until = Date.UTC(2030, 0, 2, 3, 4);
        const error = new ClientError('http://localhost', {
            message: 'You are muted', server_error_id: MUTED_ERROR, status_code: 403, url: '/posts', detailed_error: String(until),
        } as never);
        expect(await postingError(error)).toMatch(/^You are muted until .*2030/);
        const forever = new ClientError('http://localhost', {message: 'x', server_error_id: MUTED_ERROR, status_code: 403, url: '', detailed_error: '0'} as never);
        expect(await postingError(forever)).toMatch(/muted by the moderators/);
        expect(await postingError(new Error('boom'))).toBe('boom');
    });
});
