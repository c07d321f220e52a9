import type {WebSocketMessage} from '@mattermost/client';
import type {UserThreadList, UserThreadWithPost} from '@mattermost/types/threads';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {makePost, stateWith} from '../test/fixtures';
import {handleEvent} from './realtime';
import {store, type State} from './state';
import {allThreadsRead, followedThreadsOf, receiveThreadList, threadOrder, threadRead, threadUnfollowed, threadUpdated} from './threads';

const actions = vi.hoisted(() => ({
    loadTeam: vi.fn(() => Promise.resolve()),
    loadCategories: vi.fn(() => Promise.resolve()),
    loadUsers: vi.fn(() => Promise.resolve()),
    viewChannel: vi.fn(() => Promise.resolve()),
    catchUp: vi.fn(() => Promise.resolve()),
    sessionExpired: vi.fn(),
}));
vi.mock('./actions', () => actions);

const threadActions = vi.hoisted(() => ({
    loadThreads: vi.fn(() => Promise.resolve()),
    loadFollowedThread: vi.fn(() => Promise.resolve()),
    markThreadRead: vi.fn(() => Promise.resolve()),
}));
vi.mock('./threadActions', () => threadActions);

function thread(id: string, fields: Partial<UserThreadWithPost> = {}): UserThreadWithPost {
    const post = makePost({id, user_id: 'othello', reply_count: fields.reply_count ?? 1});
    return {
        id, reply_count: 1, last_reply_at: post.create_at + 1000, last_viewed_at: 0, participants: [{id: 'othello'}],
        unread_replies: 0, unread_mentions: 0, is_following: true, post, ...fields,
    };
}

function list(threads: UserThreadWithPost[], unreadThreads = 0, unreadMentions = 0): UserThreadList {
    return {threads, total: threads.length, total_unread_threads: unreadThreads, total_unread_mentions: unreadMentions};
}

function withList(threads: UserThreadWithPost[], unreadThreads = 0, unreadMentions = 0): State {
    return receiveThreadList(stateWith(), 'denmark', list(threads, unreadThreads, unreadMentions), 'first');
}

describe('the followed-threads list', () => {
    it('lists newest activity first, and the Unread tab only unread threads', () => {
        const old = thread('old', {last_reply_at: 1000});
        const fresh = thread('fresh', {last_reply_at: 3000, unread_replies: 2});
        const middle = thread('middle', {last_reply_at: 2000, unread_mentions: 1, unread_replies: 1});
        const threads = followedThreadsOf(withList([old, fresh, middle], 2, 1), 'denmark');
        expect(threadOrder(threads, false)).toEqual(['fresh', 'middle', 'old']);
        expect(threadOrder(threads, true)).toEqual(['fresh', 'middle']);
        expect(threadOrder(threads, true, 'old')).toEqual(['fresh', 'middle', 'old']);
        expect(threads.unreadThreads).toBe(2);
        expect(threads.unreadMentions).toBe(1);
    });

    it('adds unread threads beyond the loaded page without losing the older-page marker', () => {
        // As the server sends them: newest first.
        const page = Array.from({length: 25}, (_, i) => thread(`t${i}`, {last_reply_at: 10_000 + i})).reverse();
        let state = receiveThreadList(stateWith(), 'denmark', list(page, 0), 'first');
        expect(followedThreadsOf(state, 'denmark').hasOlder).toBe(true);
        state = receiveThreadList(state, 'denmark', list([thread('far', {last_reply_at: 5, unread_replies: 1})], 1), 'unread');
        const threads = followedThreadsOf(state, 'denmark');
        expect(threads.hasOlder).toBe(true);
        expect(threads.pageEnd).toBe('t0');
        expect(threads.unreadThreads).toBe(1);
        expect(threadOrder(threads, true)).toEqual(['far']);
        expect(threadOrder(threads, false)).toHaveLength(26);
    });

    it('takes a new reply into an unread count, and a new thread to the top', () => {
        let state = withList([thread('a', {last_reply_at: 5000})]);
        state = threadUpdated(state, 'denmark', thread('b', {last_reply_at: 9000, unread_replies: 1, reply_count: 1}));
        let threads = followedThreadsOf(state, 'denmark');
        expect(threadOrder(threads, false)).toEqual(['b', 'a']);
        expect(threads.unreadThreads).toBe(1);

        // A second reply to the same thread is still one unread thread, now with a mention.
        state = threadUpdated(state, 'denmark', thread('b', {last_reply_at: 9500, unread_replies: 2, unread_mentions: 1, reply_count: 2}));
        threads = followedThreadsOf(state, 'denmark');
        expect(threads.unreadThreads).toBe(1);
        expect(threads.unreadMentions).toBe(1);
        expect(threads.byId.b.reply_count).toBe(2);
    });

    it('reading a thread clears its unread replies and mentions from the totals', () => {
        let state = withList([thread('a', {unread_replies: 2, unread_mentions: 1}), thread('b', {unread_replies: 1})], 2, 1);
        state = threadRead(state, 'denmark', {threadId: 'a', timestamp: 7000, unreadReplies: 0, unreadMentions: 0});
        const threads = followedThreadsOf(state, 'denmark');
        expect(threads.byId.a).toMatchObject({unread_replies: 0, unread_mentions: 0, last_viewed_at: 7000});
        expect(threads.unreadThreads).toBe(1);
        expect(threads.unreadMentions).toBe(0);
        expect(threadOrder(threads, true)).toEqual(['b']);
    });

    it('a read of a thread beyond the loaded page moves the totals by what the server counted', () => {
        let state = withList([thread('a')], 3, 2);
        state = threadRead(state, 'denmark', {threadId: 'far', timestamp: 1, unreadReplies: 0, unreadMentions: 0, previousUnreadReplies: 4, previousUnreadMentions: 2});
        expect(followedThreadsOf(state, 'denmark')).toMatchObject({unreadThreads: 2, unreadMentions: 0});
        expect(Object.keys(followedThreadsOf(state, 'denmark').byId)).toEqual(['a']);
    });

    it('marks everything read, and forgets an unfollowed thread with its counts', () => {
        let state = withList([thread('a', {unread_replies: 1, unread_mentions: 1}), thread('b', {unread_replies: 3})], 2, 1);
        expect(followedThreadsOf(threadUnfollowed(state, 'denmark', 'a'), 'denmark')).toMatchObject({unreadThreads: 1, unreadMentions: 0});
        state = allThreadsRead(state, 'denmark', 8000);
        const threads = followedThreadsOf(state, 'denmark');
        expect(threads).toMatchObject({unreadThreads: 0, unreadMentions: 0});
        expect(Object.values(threads.byId).every((t) => t.unread_replies === 0 && t.last_viewed_at === 8000)).toBe(true);
    });

    it('a thread in a direct message (no team) is updated in every team listed', () => {
        let state = withList([thread('dm')]);
        state = receiveThreadList(state, 'elsinore', list([thread('dm')]), 'first');
        state = threadUpdated(state, '', thread('dm', {unread_replies: 1}));
        expect(followedThreadsOf(state, 'denmark').unreadThreads).toBe(1);
        expect(followedThreadsOf(state, 'elsinore').unreadThreads).toBe(1);
    });
});

function event(name: string, data: Record<string, unknown>, teamId = 'denmark'): WebSocketMessage {
    return {event: name, data, broadcast: {omit_users: {}, user_id: 'hamlet', channel_id: '', team_id: teamId}, seq: 1} as unknown as WebSocketMessage;
}

describe('thread events from the WebSocket', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        Object.values(threadActions).forEach((fn) => fn.mockClear());
        store.update(() => ({...withList([thread('a', {last_reply_at: 1000})]), view: {teamId: 'denmark', channelId: '', threadId: ''}}));
    });

    afterEach(() => {
        vi.useRealTimers();
    });

    it('thread_updated brings the new reply into the list as unread', () => {
        handleEvent(event('thread_updated', {thread: JSON.stringify(thread('b', {last_reply_at: 2000, unread_replies: 1}))}));
        const threads = followedThreadsOf(store.get(), 'denmark');
        expect(threadOrder(threads, false)).toEqual(['b', 'a']);
        expect(threads.unreadThreads).toBe(1);
        expect(actions.loadUsers).toHaveBeenCalledWith(['othello']);
    });

    it('a reply to the thread open in the panel is read soon after it arrives', () => {
        store.update((s) => ({...s, view: {...s.view, threadId: 'a'}}));
        handleEvent(event('thread_updated', {thread: JSON.stringify(thread('a', {last_reply_at: 2000, unread_replies: 1}))}));
        expect(threadActions.markThreadRead).not.toHaveBeenCalled();
        vi.advanceTimersByTime(600);
        expect(threadActions.markThreadRead).toHaveBeenCalledWith('denmark', 'a');
    });

    it('thread_read_changed from another device clears the thread; without a thread, all of them', () => {
        handleEvent(event('thread_updated', {thread: JSON.stringify(thread('b', {unread_replies: 2, unread_mentions: 1}))}));
        handleEvent(event('thread_read_changed', {thread_id: 'b', timestamp: 5000, unread_replies: 0, unread_mentions: 0, previous_unread_replies: 2, previous_unread_mentions: 1}));
        expect(followedThreadsOf(store.get(), 'denmark')).toMatchObject({unreadThreads: 0, unreadMentions: 0});
        expect(followedThreadsOf(store.get(), 'denmark').byId.b.last_viewed_at).toBe(5000);

        handleEvent(event('thread_updated', {thread: JSON.stringify(thread('a', {unread_replies: 1}))}));
        handleEvent(event('thread_read_changed', {timestamp: 6000}));
        expect(followedThreadsOf(store.get(), 'denmark').unreadThreads).toBe(0);
        expect(followedThreadsOf(store.get(), 'denmark').byId.a.unread_replies).toBe(0);
    });

    it('thread_follow_changed: unfollowing drops the thread, following fetches it', () => {
        handleEvent(event('thread_follow_changed', {thread_id: 'a', state: false, reply_count: 1}));
        expect(followedThreadsOf(store.get(), 'denmark').byId.a).toBeUndefined();
        handleEvent(event('thread_follow_changed', {thread_id: 'c', state: true, reply_count: 1}));
        expect(threadActions.loadFollowedThread).toHaveBeenCalledWith('denmark', 'c');
    });
});
