import {afterEach, describe, expect, it} from 'vitest';

import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {UserProfile} from '@mattermost/types/users';

import {recentSearches, rememberSearch} from './recent';
import {activeFilter, applySuggestion, channelSuggestions, dateSuggestions, directSuggestions, mentionTerms} from './suggest';

function channel(fields: Partial<Channel>): Channel {
    return {id: fields.name ?? 'c', team_id: 'team', type: 'O', name: 'c', display_name: 'C', delete_at: 0, ...fields} as Channel;
}

describe('activeFilter', () => {
    it('finds the filter word under the cursor', () => {
        expect(activeFilter('ghost from:ham', 14)).toEqual({filter: 'from', negate: '', prefix: 'ham', start: 6, end: 14});
        expect(activeFilter('from:@ham ghost', 9)).toMatchObject({filter: 'from', prefix: 'ham', start: 0, end: 9});
        expect(activeFilter('-in:~town', 9)).toMatchObject({filter: 'in', negate: '-', prefix: 'town'});
        expect(activeFilter('ON:2026', 7)).toMatchObject({filter: 'on', prefix: '2026'});
        expect(activeFilter('before:', 7)).toMatchObject({filter: 'before', prefix: ''});
    });

    it('is nothing for plain words, or when the cursor is past the filter word', () => {
        expect(activeFilter('ghost', 5)).toBeNull();
        expect(activeFilter('from:hamlet ghost', 17)).toBeNull();
        expect(activeFilter('fromage', 7)).toBeNull();
        expect(activeFilter('"from: the castle', 17)).toBeNull();
    });

    it('uses only what is typed before the cursor but replaces the whole word', () => {
        const active = activeFilter('ghost from:hamxyz walks', 14)!;
        expect(active).toMatchObject({prefix: 'ham', start: 6, end: 17});
        expect(applySuggestion('ghost from:hamxyz walks', active, 'hamlet')).toEqual({value: 'ghost from:hamlet walks', cursor: 18});
    });

    it('completes at the end with a space to go on typing, keeping an exclusion', () => {
        const active = activeFilter('-in:to', 6)!;
        expect(applySuggestion('-in:to', active, 'town-square')).toEqual({value: '-in:town-square ', cursor: 16});
    });
});

describe('suggestions', () => {
    const channels = [
        channel({name: 'town-square', display_name: 'Town Square'}),
        channel({name: 'off-topic', display_name: 'Off-Topic'}),
        channel({name: 'secret', display_name: 'Secret Plans', type: 'P'}),
        channel({name: 'elsewhere', display_name: 'Town Hall', team_id: 'other'}),
        channel({name: 'old-town', display_name: 'Old Town', delete_at: 5}),
        channel({name: 'dm', display_name: '', type: 'D'}),
    ];

    it('offers the user\'s open and private channels of the team by name or display-name word', () => {
        expect(channelSuggestions(channels, 'team', 'to').map((c) => c.name)).toEqual(['town-square']);
        expect(channelSuggestions(channels, 'team', 'squ').map((c) => c.name)).toEqual(['town-square']);
        expect(channelSuggestions(channels, 'team', 'PLANS').map((c) => c.name)).toEqual(['secret']);
        expect(channelSuggestions(channels, 'team', '').map((c) => c.name)).toEqual(['off-topic', 'secret', 'town-square']);
    });

    it('offers today and yesterday as dates, in the format the server reads', () => {
        const now = new Date(2026, 0, 1, 9);
        expect(dateSuggestions('', now)).toEqual(['2026-01-01', '2025-12-31']);
        expect(dateSuggestions('2025', now)).toEqual(['2025-12-31']);
        expect(dateSuggestions('2026-01-01', now)).toEqual([]);
    });

    it('searches mentions by @username and the user\'s own mention keys', () => {
        const user = {username: 'hamlet', notify_props: {mention_keys: 'Dane, @hamlet ,prince of denmark,'}} as unknown as UserProfile;
        expect(mentionTerms(user)).toBe('@hamlet Dane "prince of denmark"');
        expect(mentionTerms({username: 'ophelia', notify_props: {} as UserProfile['notify_props']})).toBe('@ophelia');
    });
});

describe('recent searches', () => {
    afterEach(() => localStorage.clear());

    it('keeps the last five per user, newest first, each once', () => {
        for (const terms of ['one', 'two', 'three', 'four', 'five', 'six']) {
            rememberSearch('u1', terms);
        }
        expect(recentSearches('u1')).toEqual(['six', 'five', 'four', 'three', 'two']);
        expect(rememberSearch('u1', ' four ')).toEqual(['four', 'six', 'five', 'three', 'two']);
        expect(recentSearches('u2')).toEqual([]);
    });

    it('survives a damaged store', () => {
        localStorage.setItem('villagepump.recentSearches.u1', '{not json');
        expect(recentSearches('u1')).toEqual([]);
        localStorage.setItem('villagepump.recentSearches.u1', JSON.stringify(['a', 3, 'b']));
        expect(recentSearches('u1')).toEqual(['a', 'b']);
    });
});

describe('directSuggestions', () => {
    const users = {me: {username: 'hamlet'}, o: {username: 'othello'}, h: {username: 'horatio'}, gone: {username: 'gonzalo'}};
    const directs = [
        channel({id: 'd1', type: 'D', name: 'me__o'}),
        channel({id: 'd2', type: 'D', name: 'h__me'}),
        channel({id: 'd3', type: 'D', name: 'me__me'}),
        channel({id: 'g', type: 'G', name: 'group'}),
        channel({id: 'old', type: 'D', name: 'gone__me', delete_at: 5}),
    ];

    it('names the other person of each direct message, with or without the @', () => {
        expect(directSuggestions(directs, users, 'me', '@h')).toEqual(['hamlet', 'horatio']);
        expect(directSuggestions(directs, users, 'me', 'oth')).toEqual(['othello']);
        expect(directSuggestions(directs, users, 'me', '')).toEqual(['hamlet', 'horatio', 'othello']);
    });

    it('skips group messages, archived ones and people not loaded yet', () => {
        expect(directSuggestions(directs, {me: {username: 'hamlet'}}, 'me', '')).toEqual(['hamlet']);
    });
});
