import {describe, expect, it} from 'vitest';

import {makePost, postList, stateWith} from '../test/fixtures';
import {KEPT_PER_CHANNEL, PAGE_SIZE, addReaction, expectChannel, expectThread, groupReactions, lastPostBy, receivePost, receivePostList, receiveThread, removePost, removeReaction, showChannel} from './posts';
import type {State} from './state';

describe('pages of posts', () => {
    it('keeps a channel\'s root posts oldest first, replies out of the channel list', () => {
        const first = makePost();
        const second = makePost();
        const reply = makePost({root_id: first.id});
        const state = receivePostList(stateWith(), 'town', postList([first, second, reply], ''), 'latest');
        expect(state.channelPosts.town.order).toEqual([first.id, second.id]);
        expect(state.posts[reply.id]).toBeDefined();
        expect(state.channelPosts.town.hasOlder).toBe(false);
    });

    it('adds an older page in front and learns from prev_post_id whether there is more', () => {
        const older = Array.from({length: 3}, () => makePost());
        const newer = Array.from({length: 3}, () => makePost());
        let state = receivePostList(stateWith(), 'town', postList(newer, older[2].id), 'latest');
        expect(state.channelPosts.town.hasOlder).toBe(true);
        state = receivePostList(state, 'town', postList(older, ''), 'older');
        expect(state.channelPosts.town.order).toEqual([...older, ...newer].map((post) => post.id));
        expect(state.channelPosts.town.hasOlder).toBe(false);
    });

    it('without prev_post_id, a full page means there may be more', () => {
        const page = Array.from({length: PAGE_SIZE}, () => makePost());
        const list = postList(page);
        delete (list as Partial<typeof list>).prev_post_id;
        expect(receivePostList(stateWith(), 'town', list, 'latest').channelPosts.town.hasOlder).toBe(true);
    });

    it('drops posts a catch-up reports deleted, and applies its edits', () => {
        const kept = makePost();
        const gone = makePost();
        let state = receivePostList(stateWith(), 'town', postList([kept, gone]), 'latest');
        const edited = {...kept, message: 'edited', edit_at: kept.create_at + 5, update_at: kept.create_at + 5};
        state = receivePostList(state, 'town', postList([edited, {...gone, delete_at: 99, update_at: 99}]), 'since');
        expect(state.channelPosts.town.order).toEqual([kept.id]);
        expect(state.posts[kept.id].message).toBe('edited');
        expect(state.posts[gone.id]).toBeUndefined();
    });
});

describe('posts that arrive while a page is loading', () => {
    it('keeps a live post the first page was read too early to hold', () => {
        const old = makePost();
        const live = makePost();
        let state = expectChannel(stateWith(), 'town');
        state = receivePost(state, live);
        state = receivePostList(state, 'town', postList([old], ''), 'latest');
        expect(state.channelPosts.town.order).toEqual([old.id, live.id]);
        expect(state.channelPosts.town.hasOlder).toBe(false);
        expect(state.channelPosts.town.loaded).toBe(true);
    });

    it('keeps a live reply the thread page was read too early to hold', () => {
        const root = makePost();
        const early = makePost({root_id: root.id});
        const live = makePost({root_id: root.id});
        let state = receivePost(expectThread(stateWith(), root.id), live);
        state = receiveThread(state, root.id, postList([root, early]));
        expect(state.threads[root.id]).toEqual([early.id, live.id]);
    });
});

describe('live posts', () => {
    it('adds a new post once, however often it arrives', () => {
        const first = makePost();
        let state = receivePostList(stateWith(), 'town', postList([first]), 'latest');
        const fresh = makePost();
        state = receivePost(state, fresh);
        state = receivePost(state, fresh);
        expect(state.channelPosts.town.order).toEqual([first.id, fresh.id]);
    });

    it('keeps posts in time order when they arrive out of order', () => {
        const early = makePost();
        const late = makePost();
        let state = receivePostList(stateWith(), 'town', postList([]), 'latest');
        state = receivePost(receivePost(state, late), early);
        expect(state.channelPosts.town.order).toEqual([early.id, late.id]);
    });

    it('ignores an older version of a post it already has', () => {
        const post = makePost();
        const edited = {...post, message: 'new', update_at: post.update_at + 10};
        let state = receivePost(receivePostList(stateWith(), 'town', postList([post]), 'latest'), edited);
        state = receivePost(state, post);
        expect(state.posts[post.id].message).toBe('new');
    });

    it('counts a new reply on its root and lists it in an open thread', () => {
        const root = makePost();
        let state = receivePostList(stateWith(), 'town', postList([root]), 'latest');
        state = receiveThread(state, root.id, postList([root]));
        const reply = makePost({root_id: root.id});
        state = receivePost(receivePost(state, reply), reply);
        expect(state.threads[root.id]).toEqual([reply.id]);
        expect(state.posts[root.id].reply_count).toBe(1);
        expect(state.channelPosts.town.order).toEqual([root.id]);
    });

    it('removes a deleted reply from its thread and count, and a deleted root with its thread', () => {
        const root = makePost({reply_count: 1});
        const reply = makePost({root_id: root.id});
        let state = receivePostList(stateWith(), 'town', postList([root]), 'latest');
        state = receiveThread(state, root.id, postList([root, reply]));
        state = removePost(state, reply);
        expect(state.threads[root.id]).toEqual([]);
        expect(state.posts[root.id].reply_count).toBe(0);
        state = removePost(state, root);
        expect(state.channelPosts.town.order).toEqual([]);
        expect(state.threads[root.id]).toBeUndefined();
    });

    it('a post_edited for a deleted post removes it', () => {
        const post = makePost();
        const state = receivePost(receivePostList(stateWith(), 'town', postList([post]), 'latest'), {...post, delete_at: 5});
        expect(state.channelPosts.town.order).toEqual([]);
    });
});

describe('a long-open tab keeps a bounded number of posts', () => {
    const viewing = (channelId: string): State => ({...stateWith(), view: {teamId: 'denmark', channelId, threadId: ''}});
    const flood = (state: State, channelId: string, count: number): State => {
        for (let i = 0; i < count; i++) {
            state = receivePost(state, makePost({channel_id: channelId}));
        }
        return state;
    };

    it('keeps only the newest page of a busy channel the reader is not looking at', () => {
        let state = receivePostList(viewing('court'), 'town', postList([makePost()]), 'latest');
        state = flood(state, 'town', 1000);
        const order = state.channelPosts.town.order;
        expect(order.length).toBeLessThanOrEqual(KEPT_PER_CHANNEL + 20);
        expect(Object.keys(state.posts)).toHaveLength(order.length);
        expect(state.channelPosts.town.hasOlder).toBe(true);
        // The newest are the ones kept, in order.
        const newest = Object.values(state.posts).reduce((a, b) => (a.create_at > b.create_at ? a : b));
        expect(order[order.length - 1]).toBe(newest.id);
    });

    it('keeps every post of the channel on screen, and trims it once the reader leaves', () => {
        let state = receivePostList(viewing('town'), 'town', postList([makePost()]), 'latest');
        state = flood(state, 'town', 300);
        expect(state.channelPosts.town.order).toHaveLength(301);
        state = showChannel(state, 'court');
        expect(state.channelPosts.town.order).toHaveLength(KEPT_PER_CHANNEL);
        expect(Object.keys(state.posts)).toHaveLength(KEPT_PER_CHANNEL);
        expect(state.view.channelId).toBe('court');
    });

    it('forgets the threads of the roots it drops, but not the thread open in the panel', () => {
        const open = makePost();
        const other = makePost();
        const openReply = makePost({root_id: open.id});
        const otherReply = makePost({root_id: other.id});
        let state = receivePostList(viewing('town'), 'town', postList([open, other]), 'latest');
        state = receiveThread(state, open.id, postList([open, openReply]));
        state = receiveThread(state, other.id, postList([other, otherReply]));
        state = flood(state, 'town', KEPT_PER_CHANNEL);
        state = {...state, view: {...state.view, threadId: open.id}};
        state = showChannel(state, 'court');
        expect(state.channelPosts.town.order).not.toContain(open.id);
        expect(state.posts[open.id]).toBeDefined();
        expect(state.threads[open.id]).toEqual([openReply.id]);
        expect(state.posts[openReply.id]).toBeDefined();
        expect(state.posts[other.id]).toBeUndefined();
        expect(state.posts[otherReply.id]).toBeUndefined();
        expect(state.threads[other.id]).toBeUndefined();
    });

    it('does not trim while an older page is on its way, which would land before a gap', () => {
        let state = receivePostList(viewing('town'), 'town', postList([makePost()]), 'latest');
        state = flood(state, 'town', 200);
        state = {...state, channelPosts: {...state.channelPosts, town: {...state.channelPosts.town, loadingOlder: true}}};
        expect(showChannel(state, 'court').channelPosts.town.order).toHaveLength(201);
    });

    it('stores no post of a channel never opened', () => {
        const state = flood(viewing('court'), 'town', 5);
        expect(state.posts).toEqual({});
        expect(state.channelPosts.town).toBeUndefined();
    });
});

describe('reactions', () => {
    const reaction = (user: string, emoji: string, at = 1) => ({user_id: user, post_id: '', emoji_name: emoji, create_at: at, remote_id: '', channel_id: ''});

    it('adds and removes reactions idempotently', () => {
        const post = makePost();
        let state = receivePostList(stateWith(), 'town', postList([post]), 'latest');
        const heart = {...reaction('othello', 'heart'), post_id: post.id};
        state = addReaction(addReaction(state, heart), heart);
        expect(state.posts[post.id].metadata.reactions).toHaveLength(1);
        state = removeReaction(removeReaction(state, heart), heart);
        expect(state.posts[post.id].metadata.reactions).toEqual([]);
    });

    it('keeps reactions an event added when the post is fetched without them', () => {
        const post = makePost();
        let state = receivePostList(stateWith(), 'town', postList([post]), 'latest');
        state = addReaction(state, {...reaction('othello', 'heart'), post_id: post.id});
        const refetched = {...post, metadata: {embeds: [], emojis: [], files: [], images: {}}, update_at: post.update_at + 1};
        state = receivePost(state, refetched as typeof post);
        expect(state.posts[post.id].metadata.reactions).toHaveLength(1);
    });

    it('groups by emoji in order of first use, noting mine', () => {
        const groups = groupReactions([reaction('othello', 'tada', 3), reaction('hamlet', 'heart', 1), reaction('iago', 'heart', 2)], 'hamlet');
        expect(groups).toEqual([
            {emoji: 'heart', count: 2, mine: true, userIds: ['hamlet', 'iago']},
            {emoji: 'tada', count: 1, mine: false, userIds: ['othello']},
        ]);
    });
});

it('finds my last ordinary post for Up-to-edit, skipping system messages', () => {
    const mine = makePost({user_id: 'hamlet'});
    const system = makePost({user_id: 'hamlet', type: 'system_join_channel'});
    const theirs = makePost({user_id: 'othello'});
    const state = receivePostList(stateWith(), 'town', postList([mine, system, theirs]), 'latest');
    expect(lastPostBy(state, state.channelPosts.town.order, 'hamlet')?.id).toBe(mine.id);
});
