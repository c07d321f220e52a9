import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {UserProfile} from '@mattermost/types/users';
import {describe, expect, it} from 'vitest';

import {makeChannel, makeMember, makePost, stateWith} from '../test/fixtures';
import {channelTitle, countNewPost, markViewed, sortedChannelIds, teamUnreads, unreadOf} from './channels';

describe('unread state', () => {
    it('is unread when there are root posts the member has not seen', () => {
        expect(unreadOf(makeChannel(), makeMember())).toEqual({unread: false, mentions: 0});
        expect(unreadOf(makeChannel({total_msg_count_root: 9}), makeMember())).toEqual({unread: true, mentions: 0});
        expect(unreadOf(makeChannel(), makeMember({mention_count_root: 2}))).toEqual({unread: true, mentions: 2});
    });

    it('counts a new post from someone else, and a mention of me', () => {
        const state = stateWith({channels: {town: makeChannel()}, members: {town: makeMember()}});
        const plain = countNewPost(state, makePost({user_id: 'othello'}), [], false);
        expect(unreadOf(plain.channels.town, plain.members.town)).toEqual({unread: true, mentions: 0});
        const mention = countNewPost(plain, makePost({user_id: 'othello'}), ['hamlet'], false);
        expect(unreadOf(mention.channels.town, mention.members.town)).toEqual({unread: true, mentions: 1});
    });

    it('leaves the channel read when I am reading it or the post is mine', () => {
        const state = stateWith({channels: {town: makeChannel()}, members: {town: makeMember()}});
        const reading = countNewPost(state, makePost({user_id: 'othello'}), ['hamlet'], true);
        expect(unreadOf(reading.channels.town, reading.members.town).unread).toBe(false);
        const mine = countNewPost(state, makePost({user_id: 'hamlet'}), [], false);
        expect(unreadOf(mine.channels.town, mine.members.town).unread).toBe(false);
    });

    it('a reply counts as a message but not as an unread root', () => {
        const state = stateWith({channels: {town: makeChannel()}, members: {town: makeMember()}});
        const next = countNewPost(state, makePost({user_id: 'othello', root_id: 'x'}), [], false);
        expect(next.channels.town.total_msg_count).toBe(11);
        expect(unreadOf(next.channels.town, next.members.town).unread).toBe(false);
    });

    it('viewing clears counts and mentions', () => {
        const state = stateWith({channels: {town: makeChannel({total_msg_count_root: 12})}, members: {town: makeMember({mention_count_root: 3, mention_count: 3})}});
        const viewed = markViewed(state, 'town', 5);
        expect(unreadOf(viewed.channels.town, viewed.members.town)).toEqual({unread: false, mentions: 0});
        expect(viewed.members.town.last_viewed_at).toBe(5);
    });

    it('adds mentions over a team', () => {
        const state = stateWith({
            channels: {a: makeChannel({id: 'a'}), b: makeChannel({id: 'b', total_msg_count_root: 9})},
            members: {a: makeMember({channel_id: 'a', mention_count_root: 2}), b: makeMember({channel_id: 'b', mention_count_root: 1})},
        });
        expect(teamUnreads(state, ['a', 'b'])).toEqual({unread: true, mentions: 3});
    });
});

describe('sidebar', () => {
    const users = {othello: {id: 'othello', username: 'othello'} as UserProfile};
    const state = stateWith({
        users,
        channels: {
            b: makeChannel({id: 'b', display_name: 'beta', last_post_at: 30}),
            a: makeChannel({id: 'a', display_name: 'Alpha', last_post_at: 10}),
            c: makeChannel({id: 'c', display_name: 'charlie 10', last_post_at: 20}),
            d: makeChannel({id: 'd', display_name: 'charlie 9', last_post_at: 5, delete_at: 3}),
            dm: makeChannel({id: 'dm', name: 'hamlet__othello', display_name: '', type: 'D', last_post_at: 40}),
        },
    });
    const category = (sorting: string, type = 'channels') => ({id: 'x', channel_ids: ['b', 'a', 'c', 'd'], sorting, type}) as unknown as ChannelCategory;

    it('sorts by name, by recent activity or as the user arranged, without deleted channels', () => {
        expect(sortedChannelIds(state, category('alpha'))).toEqual(['a', 'b', 'c']);
        expect(sortedChannelIds(state, category('recent'))).toEqual(['b', 'c', 'a']);
        expect(sortedChannelIds(state, category('manual'))).toEqual(['b', 'a', 'c']);
        expect(sortedChannelIds(state, category(''))).toEqual(['a', 'b', 'c']);
    });

    it('names a direct channel after the other person, and a group after the others', () => {
        expect(channelTitle(state, state.channels.dm)).toBe('othello');
        const group = makeChannel({id: 'g', type: 'G', name: 'abc', display_name: 'hamlet, iago, othello'});
        expect(channelTitle(state, group)).toBe('iago, othello');
    });
});
