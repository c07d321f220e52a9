import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import type {WebSocketMessage} from '@mattermost/client';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {navigate} from '../app/router';
import {systemPrefersDark} from '../settings/theme';
import {initialState, store} from '../store/state';
import {makeChannel, makeMember, makePost, stateWith} from '../test/fixtures';
import {faviconHref} from './favicon';
import {notifyOfPost, startShell} from './shell';

type Call = [string, unknown[]];

// The desktop's main process checks each call with Joi and drops a call with a wrong type
// (mattermost/desktop src/main/app/initialize.ts, src/app/views/webContentsManager.ts,
// src/app/navigationManager.ts). The fake checks the same schemas and fails loudly instead.
const isString = (value: unknown) => typeof value === 'string';
const isBoolean = (value: unknown) => typeof value === 'boolean';
const SCHEMAS: Record<string, (args: unknown[]) => boolean> = {
    reactAppInitialized: (args) => args.length === 0,
    onLogin: (args) => args.length === 0,
    onLogout: (args) => args.length === 0,
    setSessionExpired: ([expired]) => isBoolean(expired),
    setUnreadsAndMentions: ([unread, mentions]) => isBoolean(unread) && Number.isInteger(mentions) && (mentions as number) >= 0,
    sendNotification: (args) => args.length === 7 && args.slice(0, 5).every(isString) && isBoolean(args[5]) && isString(args[6]),
    sendBrowserHistoryPush: ([path]) => isString(path) && (path as string).length > 0,
    updateTheme: ([theme]) => typeof theme === 'object' && theme !== null && isString((theme as {centerChannelBg: unknown}).centerChannelBg) &&
        Object.entries(theme).every(([key, value]) => (key === 'isUsingSystemTheme' ? isBoolean(value) : isString(value))),
};

function fakeDesktop() {
    const calls: Call[] = [];
    const listeners: Record<string, (...args: never[]) => void> = {};
    const api: Record<string, unknown> = {};
    for (const [name, valid] of Object.entries(SCHEMAS)) {
        api[name] = (...args: unknown[]) => {
            if (!valid(args)) {
                throw new Error(`the desktop app would drop ${name}(${JSON.stringify(args)})`);
            }
            calls.push([name, args]);
            return name === 'sendNotification' ? Promise.resolve({status: 'success'}) : undefined;
        };
    }
    for (const name of ['onBrowserHistoryPush', 'onNotificationClicked', 'onUserActivityUpdate', 'onDarkModeChanged']) {
        api[name] = (listener: (...args: never[]) => void) => {
            listeners[name] = listener;
            return () => delete listeners[name];
        };
    }
    api.getDarkMode = () => Promise.resolve(false);
    return {api, calls, listeners, named: (name: string) => calls.filter(([call]) => call === name).map(([, args]) => args)};
}

const team = {id: 'denmark', name: 'denmark', display_name: 'Denmark'} as Team;
const me = {id: 'hamlet', username: 'hamlet', notify_props: {desktop: 'mention'}} as unknown as UserProfile;
const othello = {id: 'othello', username: 'othello'} as UserProfile;

function signedIn() {
    return stateWith({
        me,
        teams: {denmark: team},
        users: {hamlet: me, othello},
        channels: {town: makeChannel({total_msg_count_root: 8})},
        members: {town: makeMember({msg_count_root: 8})},
        view: {teamId: 'denmark', channelId: '', threadId: ''},
    });
}

function posted(fields: Parameters<typeof makePost>[0], data: Record<string, unknown> = {}): WebSocketMessage {
    const post = makePost({user_id: 'othello', channel_id: 'town', ...fields});
    return {
        event: 'posted', seq: 1,
        broadcast: {channel_id: post.channel_id, team_id: '', user_id: '', omit_users: {}},
        data: {post: JSON.stringify(post), channel_type: 'O', team_id: 'denmark', sender_name: '@othello', ...data},
    } as unknown as WebSocketMessage;
}

describe('inside the desktop app', () => {
    let desktop: ReturnType<typeof fakeDesktop>;
    let stop: () => void;

    beforeEach(() => {
        window.history.replaceState(null, '', '/');
        store.update(() => initialState());
        desktop = fakeDesktop();
        window.desktopAPI = desktop.api as Window['desktopAPI'];
        stop = startShell();
    });

    afterEach(() => {
        stop();
        delete window.desktopAPI;
    });

    it('says the app is ready once, and tells of sign-in, sign-out and an expired session', () => {
        expect(desktop.named('reactAppInitialized')).toEqual([]);
        store.update(() => signedIn());
        store.update((state) => ({...state}));
        expect(desktop.named('reactAppInitialized')).toEqual([[]]);
        expect(desktop.named('onLogin')).toEqual([[]]);
        expect(desktop.named('setSessionExpired')).toEqual([[false]]);

        store.update(() => ({...initialState(), session: 'signed-out', sessionEnded: true}));
        expect(desktop.named('setSessionExpired')).toEqual([[false], [true]]);
        expect(desktop.named('onLogout')).toEqual([]);

        store.update(() => signedIn());
        store.update(() => ({...initialState(), session: 'signed-out'}));
        expect(desktop.named('onLogout')).toEqual([[]]);
        expect(desktop.named('reactAppInitialized')).toHaveLength(1);
    });

    it('keeps the dock badge current: unread as a boolean, mentions as a whole number', () => {
        store.update(() => signedIn());
        expect(desktop.named('setUnreadsAndMentions').at(-1)).toEqual([false, 0]);
        store.update((state) => ({...state, channels: {town: makeChannel({total_msg_count_root: 9})}}));
        expect(desktop.named('setUnreadsAndMentions').at(-1)).toEqual([true, 0]);
        store.update((state) => ({...state, members: {town: makeMember({msg_count_root: 8, mention_count_root: 2})}}));
        expect(desktop.named('setUnreadsAndMentions').at(-1)).toEqual([true, 2]);
        const sent = desktop.named('setUnreadsAndMentions').length;
        store.update((state) => ({...state, connected: true}));
        // Nothing changed, nothing sent.
        expect(desktop.named('setUnreadsAndMentions')).toHaveLength(sent);
    });

    it('notifies of a mention through the desktop, with its seven typed arguments', () => {
        store.update(() => signedIn());
        notifyOfPost(posted({message: 'hello **all**'}));
        expect(desktop.named('sendNotification')).toEqual([]);

        notifyOfPost(posted({message: '@hamlet look **here**', id: 'p'.repeat(26)}, {mentions: JSON.stringify(['hamlet'])}));
        expect(desktop.named('sendNotification')).toEqual([
            ['Town Square', 'othello: @hamlet look here', 'town', 'denmark', '/denmark/channels/town-square', false, 'Bing'],
        ]);
    });

    it('notifies of a direct message, never of your own post or of a muted channel', () => {
        store.update(() => ({...signedIn(), members: {town: makeMember({notify_props: {mark_unread: 'mention'} as never})}}));
        notifyOfPost(posted({message: 'hi'}, {channel_type: 'D', team_id: ''}));
        notifyOfPost(posted({message: '@hamlet'}, {mentions: JSON.stringify(['hamlet'])}));
        notifyOfPost(posted({message: 'mine', user_id: 'hamlet'}, {channel_type: 'D'}));
        expect(desktop.named('sendNotification')).toEqual([]);

        store.update(() => signedIn());
        notifyOfPost(posted({message: 'a word', channel_id: 'town'}, {channel_type: 'D', team_id: ''}));
        const [[title, body, channelId, teamId, url]] = desktop.named('sendNotification');
        expect([title, body, channelId, teamId, url]).toEqual(['othello', 'a word', 'town', '', '/denmark/messages/@othello']);
    });

    it('opens the notification\'s channel and pushes the path, so the desktop shows its window', () => {
        store.update(() => signedIn());
        desktop.listeners.onNotificationClicked('town' as never, 'denmark' as never, '/denmark/channels/town-square' as never);
        expect(window.location.pathname).toBe('/denmark/channels/town-square');
        expect(desktop.named('sendBrowserHistoryPush')).toEqual([['/denmark/channels/town-square']]);

        // Already there: the push is still sent, or the window would stay hidden.
        desktop.listeners.onNotificationClicked('town' as never, 'denmark' as never, '/denmark/channels/town-square' as never);
        expect(desktop.named('sendBrowserHistoryPush')).toHaveLength(2);
    });

    it('routes in-app navigation through the desktop and follows its pushes', () => {
        navigate('/denmark/channels/off-topic');
        expect(desktop.named('sendBrowserHistoryPush')).toEqual([['/denmark/channels/off-topic']]);
        navigate('/denmark/channels/town-square', {replace: true});
        expect(desktop.named('sendBrowserHistoryPush')).toHaveLength(1);

        desktop.listeners.onBrowserHistoryPush('/denmark/threads' as never);
        expect(window.location.pathname).toBe('/denmark/threads');
    });

    it('follows the desktop app\'s dark mode for the "system" theme, and forgets it when stopped', async () => {
        await Promise.resolve();
        expect(systemPrefersDark()).toBe(false);
        desktop.listeners.onDarkModeChanged(true as never);
        expect(systemPrefersDark()).toBe(true);
        desktop.listeners.onDarkModeChanged(false as never);
        expect(systemPrefersDark()).toBe(false);
        desktop.listeners.onDarkModeChanged(true as never);
        stop();
        stop = () => undefined;
        expect(systemPrefersDark()).toBe(false);
    });

    it('sends the theme with every field a string', async () => {
        await Promise.resolve();
        await Promise.resolve();
        expect(desktop.named('updateTheme').length).toBeGreaterThan(0);
    });
});

describe('in a plain browser', () => {
    let stop: () => void;

    beforeEach(() => {
        store.update(() => initialState());
        stop = startShell();
    });

    afterEach(() => {
        stop();
        vi.unstubAllGlobals();
    });

    it('badges the favicon with the mention count, or a dot for unread', () => {
        store.update(() => signedIn());
        const icon = () => document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.getAttribute('href');
        store.update((state) => ({...state, channels: {town: makeChannel({total_msg_count_root: 9})}}));
        expect(icon()).toBe(faviconHref(true, 0));
        store.update((state) => ({...state, members: {town: makeMember({mention_count_root: 3})}}));
        expect(icon()).toBe(faviconHref(true, 3));
        expect(decodeURIComponent(icon()!)).toContain('>3</text>');
        store.update(() => ({...initialState(), session: 'signed-out'}));
        expect(icon()).toBe('/favicon.svg');
    });

    it('uses the Notification API once the user allowed it, and a click opens the channel', () => {
        const shown: {title: string; options: NotificationOptions; onclick?: () => void; close: () => void}[] = [];
        class FakeNotification {
            static permission = 'granted';
            onclick?: () => void;
            constructor(public title: string, public options: NotificationOptions) {
                shown.push(this as never);
            }
            close() {}
        }
        vi.stubGlobal('Notification', FakeNotification);
        store.update(() => signedIn());
        notifyOfPost(posted({message: 'hi'}, {channel_type: 'D', team_id: ''}));
        expect(shown.map((n) => [n.title, n.options.body])).toEqual([['othello', 'hi']]);
        shown[0].onclick!();
        expect(window.location.pathname).toBe('/denmark/messages/@othello');

        FakeNotification.permission = 'default';
        notifyOfPost(posted({message: 'again'}, {channel_type: 'D', team_id: ''}));
        expect(shown).toHaveLength(1);
    });
});
