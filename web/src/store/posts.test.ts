import {describe, expect, it} from 'vitest';

import {makePost, postList, stateWith} from '../test/fixtures';
import {PAGE_SIZE, addReaction, expectChannel, expectThread, groupReactions, lastPostBy, receivePost, receivePostList, receiveThread, removePost, removeReaction} from './posts';

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
