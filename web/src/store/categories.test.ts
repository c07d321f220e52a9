import {describe, expect, it} from 'vitest';

import type {ChannelCategory} from '@mattermost/types/channel_categories';

import {makeChannel} from '../test/fixtures';
import {categoryOf, favoriteTarget, isFavorite, moveChannel, replaceCategories, withoutCategory} from './categories';

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
