import {describe, expect, it} from 'vitest';

import {parseRoute} from './router';

describe("Mattermost's URLs", () => {
    it.each([
        ['/', {name: 'root'}],
        ['/login', {name: 'login'}],
        ['/setup/abc', {name: 'setup', token: 'abc'}],
        ['/select_team', {name: 'select-team'}],
        ['/signup_user_complete/', {name: 'signup'}],
        ['/reset_password', {name: 'forgot-password'}],
        ['/reset_password_complete', {name: 'reset-password'}],
        ['/do_verify_email', {name: 'verify-email'}],
        ['/denmark', {name: 'team', team: 'denmark'}],
        ['/denmark/channels/town-square', {name: 'channel', team: 'denmark', channel: 'town-square'}],
        ['/denmark/messages/@hamlet', {name: 'direct', team: 'denmark', username: 'hamlet'}],
        ['/denmark/pl/abcdefghijklmnopqrstuvwxyz', {name: 'permalink', team: 'denmark', postId: 'abcdefghijklmnopqrstuvwxyz'}],
        ['/denmark/threads', {name: 'threads', team: 'denmark'}],
        ['/denmark/threads/abcdefghijklmnopqrstuvwxyz', {name: 'threads', team: 'denmark'}],
        ['/denmark/messages/0a1b2c3d4e5f', {name: 'channel', team: 'denmark', channel: '0a1b2c3d4e5f'}],
        ['/admin_console', {name: 'console', section: ''}],
        ['/admin_console/users', {name: 'console', section: 'users'}],
        ['/denmark/whatever/x', {name: 'not-found'}],
        ['/denmark/channels/a/b', {name: 'not-found'}],
    ])('%s', (path, route) => {
        expect(parseRoute(path)).toEqual(route);
    });
});
