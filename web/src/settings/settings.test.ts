import {afterEach, describe, expect, it} from 'vitest';

import type {ChannelMembership, ServerChannel} from '@mattermost/types/channels';
import type {UserProfile} from '@mattermost/types/users';

import {formatTime, setClock, setLocale} from '../i18n/i18n';
import {unreadOf} from '../store/channels';
import {expectChannel, receivePost, receivePostList} from '../store/posts';
import {initialState, type State} from '../store/state';
import {makePost, postList} from '../test/fixtures';
import {emailChoiceOf} from './NotificationsSection';
import {availableLocales, matchLocale} from './apply';
import {displaySettings, formatName, receivePreferences, removePreferences} from './preferences';
import {DARK_THEME, LIGHT_THEME, applyTheme, effectiveScheme, parseTheme, storedTheme, themeValue, themeVariables} from './theme';

const ada = {id: 'ada', username: 'ada', first_name: 'Ada', last_name: 'Okafor', nickname: 'Lovelace'} as UserProfile;

function withPreferences(items: [string, string, string][]): State {
    return receivePreferences(initialState(), items.map(([category, name, value]) => ({user_id: 'me', category, name, value})));
}

describe('display settings', () => {
    it('falls back to Mattermost defaults when nothing is saved', () => {
        expect(displaySettings(initialState())).toEqual({militaryTime: undefined, collapsedThreads: true, density: 'clean', nameFormat: 'username', linkPreviews: true});
    });

    it('reads the names and values Mattermost stores', () => {
        const state = withPreferences([
            ['display_settings', 'use_military_time', 'true'],
            ['display_settings', 'collapsed_reply_threads', 'off'],
            ['display_settings', 'message_display', 'compact'],
            ['display_settings', 'name_format', 'full_name'],
            ['display_settings', 'link_previews', 'false'],
        ]);
        expect(displaySettings(state)).toEqual({militaryTime: true, collapsedThreads: false, density: 'compact', nameFormat: 'full_name', linkPreviews: false});
        expect(displaySettings(withPreferences([['display_settings', 'use_military_time', 'false']])).militaryTime).toBe(false);
    });

    it('ignores a name format it does not know', () => {
        expect(displaySettings(withPreferences([['display_settings', 'name_format', 'shouting']])).nameFormat).toBe('username');
    });

    it('forgets deleted preferences', () => {
        const state = withPreferences([['display_settings', 'message_display', 'compact']]);
        expect(displaySettings(removePreferences(state, [{category: 'display_settings', name: 'message_display'}])).density).toBe('clean');
    });
});

describe('name format', () => {
    it('shows usernames, full names or nicknames, falling back to the username', () => {
        expect(formatName(ada, 'username')).toBe('ada');
        expect(formatName(ada, 'full_name')).toBe('Ada Okafor');
        expect(formatName(ada, 'nickname_full_name')).toBe('Lovelace');
        expect(formatName({...ada, nickname: ''}, 'nickname_full_name')).toBe('Ada Okafor');
        expect(formatName({...ada, first_name: '', last_name: ''}, 'full_name')).toBe('ada');
        expect(formatName(undefined, 'full_name')).toBe('…');
    });
});

describe('themes', () => {
    afterEach(() => {
        document.documentElement.removeAttribute('data-theme');
        document.documentElement.removeAttribute('style');
    });

    it('recognises its own themes and treats no theme as following the system', () => {
        expect(parseTheme(themeValue('light'))).toEqual({choice: 'light'});
        expect(parseTheme(themeValue('dark'))).toEqual({choice: 'dark'});
        expect(themeValue('system')).toBeUndefined();
        expect(parseTheme(undefined)).toEqual({choice: 'system'});
        expect(parseTheme('not json')).toEqual({choice: 'system'});
        expect(parseTheme('[1]')).toEqual({choice: 'system'});
    });

    it('prefers the team theme over the one for all teams', () => {
        const state = withPreferences([['theme', '', themeValue('light')!], ['theme', 'team1', themeValue('dark')!]]);
        expect(storedTheme(state, 'team1').choice).toBe('dark');
        expect(storedTheme(state, 'team2').choice).toBe('light');
    });

    it('follows the system only when asked to', () => {
        expect(effectiveScheme({choice: 'system'}, true)).toBe('dark');
        expect(effectiveScheme({choice: 'system'}, false)).toBe('light');
        expect(effectiveScheme({choice: 'light'}, true)).toBe('light');
        expect(effectiveScheme({choice: 'dark'}, false)).toBe('dark');
    });

    it('applies a theme from another app as custom properties, dark or light by its background', () => {
        const onyx = {type: 'Onyx', centerChannelBg: '#202124', centerChannelColor: '#dddddd', buttonBg: '#4a7ad1', sidebarBg: 'url(https://evil.example/x)'};
        const stored = parseTheme(JSON.stringify(onyx));
        expect(stored.choice).toBe('custom');
        expect(effectiveScheme(stored, false)).toBe('dark');
        const variables = themeVariables(onyx);
        expect(variables['--bg']).toBe('#202124');
        expect(variables['--accent']).toBe('#4a7ad1');
        // Only colours reach the style sheet.
        expect(variables['--bg-sidebar']).toBeUndefined();
        applyTheme(stored, false);
        expect(document.documentElement.dataset.theme).toBe('dark');
        expect(document.documentElement.style.getPropertyValue('--bg')).toBe('#202124');
        applyTheme({choice: 'light'}, true);
        expect(document.documentElement.dataset.theme).toBe('light');
        expect(document.documentElement.style.getPropertyValue('--bg')).toBe('');
    });

    it('keeps the built-in themes in Mattermost theme shape', () => {
        for (const theme of [LIGHT_THEME, DARK_THEME]) {
            expect(Object.keys(theme)).toEqual(expect.arrayContaining(['sidebarBg', 'centerChannelBg', 'buttonBg', 'mentionHighlightBg', 'codeTheme', 'type']));
        }
    });
});

describe('clock', () => {
    afterEach(() => setClock({}));
    const evening = Date.UTC(2026, 0, 15, 21, 41);

    it('shows a 24-hour or a 12-hour clock as chosen, in the chosen time zone', () => {
        setLocale('en-US');
        setClock({militaryTime: true, timeZone: 'UTC'});
        expect(formatTime(evening)).toBe('21:41');
        setClock({militaryTime: false, timeZone: 'UTC'});
        expect(formatTime(evening)).toMatch(/^9:41\s?PM$/);
        setClock({militaryTime: true, timeZone: 'Asia/Tokyo'});
        expect(formatTime(evening)).toBe('06:41');
    });

    it('ignores a time zone it does not know', () => {
        setLocale('en-US');
        setClock({militaryTime: true, timeZone: 'Mars/Olympus'});
        expect(formatTime(evening)).toMatch(/^\d\d:41$/);
    });
});

describe('languages', () => {
    it('matches a user locale to an available language', () => {
        expect(matchLocale('pt-BR', ['en', 'pt'])).toBe('pt');
        expect(matchLocale('pt_BR', ['en', 'pt-BR'])).toBe('pt-BR');
        expect(matchLocale('xx', ['en', 'de'])).toBe('en');
    });

    it('offers one language per file, not the generated part of English', () => {
        expect(availableLocales()).toEqual(['en']);
    });
});

describe('collapsed reply threads off', () => {
    it('shows replies in the channel, from pages and live', () => {
        let state = withPreferences([['display_settings', 'collapsed_reply_threads', 'off']]);
        const root = makePost({channel_id: 'town'});
        const reply = makePost({channel_id: 'town', root_id: root.id});
        state = receivePostList(expectChannel(state, 'town'), 'town', postList([root, reply]), 'latest');
        expect(state.channelPosts.town.order).toEqual([root.id, reply.id]);
        const live = makePost({channel_id: 'town', root_id: root.id});
        expect(receivePost(state, live).channelPosts.town.order).toEqual([root.id, reply.id, live.id]);
    });

    it('keeps replies in their threads when on', () => {
        const root = makePost({channel_id: 'town'});
        const reply = makePost({channel_id: 'town', root_id: root.id});
        const state = receivePostList(expectChannel(initialState(), 'town'), 'town', postList([root, reply]), 'latest');
        expect(state.channelPosts.town.order).toEqual([root.id]);
        expect(receivePost(state, makePost({channel_id: 'town', root_id: root.id})).channelPosts.town.order).toEqual([root.id]);
    });
});

describe('unread channels with collapsed reply threads off', () => {
    it('count replies too', () => {
        const channel = {total_msg_count: 5, total_msg_count_root: 3} as ServerChannel;
        const member = {msg_count: 4, msg_count_root: 3, mention_count: 1, mention_count_root: 0} as ChannelMembership;
        expect(unreadOf(channel, member)).toEqual({unread: false, mentions: 0});
        expect(unreadOf(channel, member, false)).toEqual({unread: true, mentions: 1});
    });
});

describe('the e-mail notification choice', () => {
    it('is off when the user turned mails off, whatever the interval', () => {
        expect(emailChoiceOf('false', '3600', true)).toBe('never');
    });
    it('is immediate when the server does not batch, whatever the preference', () => {
        expect(emailChoiceOf('true', '3600', false)).toBe('30');
    });
    it('is the 15-minute batch for a user who never chose, and the chosen interval otherwise', () => {
        expect(emailChoiceOf(undefined, undefined, true)).toBe('900');
        expect(emailChoiceOf('true', '3600', true)).toBe('3600');
        expect(emailChoiceOf('true', '30', true)).toBe('30');
    });
});
