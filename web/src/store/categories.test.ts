import {describe, expect, it} from 'vitest';

import type {ChannelCategory} from '@mattermost/types/channel_categories';

import {makeChannel} from '../test/fixtures';
import {categoryOf, favoriteTarget, isFavorite, moveChannel, placeChannel, replaceCategories, withoutCategory} from './categories';

function category(id: string, type: ChannelCategory['type'], channelIds: string[]): ChannelCategory {
    return {id, type, display_name: id, channel_ids: channelIds, team_id: 'denmark', user_id: 'hamlet', sorting: '' as never, muted: false, collapsed: false};
}

const sidebar = () => [
    category('fav', 'favorites', []),
    category('plays', 'custom', ['globe']),
    category('chan', 'channels', ['town', 'off']),
    category('dm', 'direct_messages', ['dm1']),
];

describe('moving channels between categories', () => {
    it('takes the channel out of its category and puts it on top of the target', () => {
        const changed = moveChannel(sidebar(), 'off', 'plays');
        expect(changed.map((c) => [c.id, c.channel_ids])).toEqual([['chan', ['town']], ['plays', ['off', 'globe']]]);
        const after = replaceCategories(sidebar(), changed);
        expect(categoryOf(after, 'off')?.id).toBe('plays');
        // Every channel is in exactly one category.
        expect(after.flatMap((c) => c.channel_ids).sort()).toEqual(['dm1', 'globe', 'off', 'town']);
    });

    it('changes nothing for a move to where it already is, or to an unknown category', () => {
        expect(moveChannel(sidebar(), 'off', 'chan')).toEqual([]);
        expect(moveChannel(sidebar(), 'off', 'nowhere')).toEqual([]);
    });

    it('favorites into Favorites and unfavorites back to the channel kind\'s own category', () => {
        const town = makeChannel({id: 'town'});
        const dm = makeChannel({id: 'dm1', type: 'D', team_id: ''});
        expect(favoriteTarget(sidebar(), town)?.id).toBe('fav');
        const favored = replaceCategories(sidebar(), moveChannel(sidebar(), 'dm1', 'fav'));
        expect(isFavorite(favored, 'dm1')).toBe(true);
        expect(favoriteTarget(favored, dm)?.id).toBe('dm');
        // A channel moved to a custom category is still unfavorited to Channels.
        const inCustom = replaceCategories(favored, moveChannel(favored, 'globe', 'fav'));
        expect(favoriteTarget(inCustom, makeChannel({id: 'globe'}))?.id).toBe('chan');
    });

    it('deleting a custom category sends its channels home, as the server does', () => {
        const channels = {globe: makeChannel({id: 'globe'}), gm: makeChannel({id: 'gm', type: 'G', team_id: ''})};
        const withGroup = replaceCategories(sidebar(), [category('plays', 'custom', ['globe', 'gm'])]);
        const after = withoutCategory(withGroup, 'plays', channels);
        expect(after.map((c) => c.id)).toEqual(['fav', 'chan', 'dm']);
        expect(categoryOf(after, 'globe')?.id).toBe('chan');
        expect(categoryOf(after, 'gm')?.id).toBe('dm');
    });
});

describe('dragging channels in the sidebar', () => {
    const town = makeChannel({id: 'town'});
    const off = makeChannel({id: 'off'});
    const dm = makeChannel({id: 'dm1', type: 'D', team_id: ''});
    const manual = (id: string, type: ChannelCategory['type'], ids: string[]) => ({...category(id, type, ids), sorting: 'manual' as never});

    it('orders a category by hand, which makes its sorting manual', () => {
        // Shown by name: Off-Topic, then Town Square; Town Square dropped on top.
        const [changed] = placeChannel(sidebar(), town, 'chan', 0, ['off', 'town']);
        expect([changed.id, changed.sorting, changed.channel_ids]).toEqual(['chan', 'manual', ['town', 'off']]);
        // Dropped below itself, one place further down: the index counts the dragged row too.
        const three = [manual('chan', 'channels', ['a', 'b', 'c'])];
        expect(placeChannel(three, makeChannel({id: 'a'}), 'chan', 2, ['a', 'b', 'c'])[0].channel_ids).toEqual(['b', 'a', 'c']);
        expect(placeChannel(three, makeChannel({id: 'c'}), 'chan', 1, ['a', 'b', 'c'])[0].channel_ids).toEqual(['a', 'c', 'b']);
        // Dropped where it already is: nothing to send.
        expect(placeChannel(three, makeChannel({id: 'b'}), 'chan', 1, ['a', 'b', 'c'])).toEqual([]);
        expect(placeChannel(three, makeChannel({id: 'b'}), 'chan', 2, ['a', 'b', 'c'])).toEqual([]);
    });

    it('moves a channel to its place in a hand-ordered category, and out of its old one', () => {
        const categories = replaceCategories(sidebar(), [manual('plays', 'custom', ['globe', 'moon'])]);
        const changed = placeChannel(categories, off, 'plays', 1, ['globe', 'moon']);
        expect(changed.map((c) => [c.id, c.channel_ids])).toEqual([['chan', ['town']], ['plays', ['globe', 'off', 'moon']]]);
    });

    it('leaves a category sorted by name or activity sorted, and keeps archived channels', () => {
        expect(placeChannel(sidebar(), off, 'plays', 1, ['globe']).map((c) => [c.id, c.channel_ids, c.sorting])).toEqual([
            ['chan', ['town'], ''], ['plays', ['off', 'globe'], ''],
        ]);
        // 'gone' is archived: not shown, still the category's.
        const withArchived = replaceCategories(sidebar(), [category('chan', 'channels', ['town', 'gone', 'off'])]);
        expect(placeChannel(withArchived, off, 'chan', 0, ['off', 'town'])[0].channel_ids).toEqual(['off', 'town', 'gone']);
    });

    it('keeps direct messages out of Channels and channels out of Direct Messages', () => {
        expect(placeChannel(sidebar(), dm, 'chan', 0, ['off', 'town'])).toEqual([]);
        expect(placeChannel(sidebar(), town, 'dm', 0, ['dm1'])).toEqual([]);
        expect(placeChannel(sidebar(), dm, 'plays', 0, ['globe']).map((c) => c.id)).toEqual(['dm', 'plays']);
    });
});
