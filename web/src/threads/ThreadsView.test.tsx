import type {Team} from '@mattermost/types/teams';
import type {UserThreadWithPost} from '@mattermost/types/threads';
import {fireEvent, render, screen, within} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import {makeChannel, makePost, stateWith} from '../test/fixtures';
import {store} from '../store/state';
import {receiveThreadList, threadRead} from '../store/threads';
import {ThreadsView} from './ThreadsView';

const threadActions = vi.hoisted(() => ({
    loadThreads: vi.fn(() => Promise.resolve()),
    loadOlderThreads: vi.fn(() => Promise.resolve()),
    loadUnreadThreads: vi.fn(() => Promise.resolve()),
    markAllThreadsRead: vi.fn(() => Promise.resolve()),
    unfollowThread: vi.fn(() => Promise.resolve()),
}));
vi.mock('../store/threadActions', () => threadActions);

const team = {id: 'denmark', name: 'denmark', display_name: 'Denmark'} as Team;

function thread(id: string, message: string, fields: Partial<UserThreadWithPost> = {}): UserThreadWithPost {
    const post = makePost({id, message, user_id: 'othello', channel_id: 'town'});
    return {
        id, reply_count: 2, last_reply_at: post.create_at + 1000, last_viewed_at: 0,
        participants: [{id: 'hamlet'}, {id: 'othello'}], unread_replies: 0, unread_mentions: 0, is_following: true, post, ...fields,
    };
}

function show(threads: UserThreadWithPost[], unreadThreads = 0, unreadMentions = 0) {
    const state = stateWith({
        channels: {town: makeChannel()},
        users: {othello: {id: 'othello', username: 'othello'} as never, hamlet: {id: 'hamlet', username: 'hamlet'} as never},
        view: {teamId: 'denmark', channelId: '', threadId: ''},
    });
    store.update(() => receiveThreadList(state, 'denmark', {threads, total: threads.length, total_unread_threads: unreadThreads, total_unread_mentions: unreadMentions}, 'first'));
    render(<ThreadsView team={team}/>);
}

describe('the Threads view', () => {
    beforeEach(() => {
        Object.values(threadActions).forEach((fn) => fn.mockClear());
    });

    it('says what the list is for when the user follows no threads', () => {
        show([]);
        expect(screen.getByText('You are not following any threads yet.')).toBeTruthy();
        expect((screen.getByRole('button', {name: 'Mark all as read'}) as HTMLButtonElement).disabled).toBe(true);
        expect(threadActions.loadThreads).toHaveBeenCalledWith('denmark');
    });

    it('shows each thread with its author, channel, counts and unread replies', () => {
        show([thread('a', 'To **be**', {unread_replies: 1, unread_mentions: 1}), thread('b', 'or not', {last_reply_at: 1})], 1, 1);
        const items = screen.getAllByRole('listitem');
        expect(items.map((item) => item.dataset.threadId)).toEqual(['a', 'b']);
        const first = within(items[0]);
        expect(first.getByText('othello')).toBeTruthy();
        expect(first.getByText('in Town Square')).toBeTruthy();
        expect(first.getByText('be').tagName).toBe('STRONG');
        expect(first.getByText('2 replies')).toBeTruthy();
        expect(first.getByText('1 new reply')).toBeTruthy();
        expect(first.getByLabelText('1 mention')).toBeTruthy();
        expect(within(first.getByRole('group', {name: 'Participants'})).getAllByRole('img')).toHaveLength(2);
        expect(items[0].className).toMatch(/\bunread\b/);
        expect(items[1].className).not.toMatch(/\bunread\b/);
    });

    it('opens a thread in the panel, and keeps it under Unread once read until the tab changes', () => {
        show([thread('a', 'To be', {unread_replies: 1}), thread('b', 'or not')], 1);
        fireEvent.click(screen.getByRole('tab', {name: /Unread/}));
        expect(threadActions.loadUnreadThreads).toHaveBeenCalledWith('denmark');
        expect(screen.getAllByRole('listitem')).toHaveLength(1);
        fireEvent.click(screen.getByRole('button', {name: 'Thread by othello in Town Square'}));
        expect(store.get().view.threadId).toBe('a');
        act(() => store.update((s) => threadRead(s, 'denmark', {threadId: 'a', timestamp: 5, unreadReplies: 0, unreadMentions: 0})));
        expect(screen.getAllByRole('listitem')).toHaveLength(1);
        fireEvent.click(screen.getByRole('tab', {name: 'All'}));
        fireEvent.click(screen.getByRole('tab', {name: /Unread/}));
        expect(screen.getByText('No unread threads. You are all caught up.')).toBeTruthy();
    });

    it('marks all read and unfollows through the store', () => {
        show([thread('a', 'To be', {unread_replies: 1})], 1);
        fireEvent.click(screen.getByRole('button', {name: 'Mark all as read'}));
        expect(threadActions.markAllThreadsRead).toHaveBeenCalledWith('denmark');
        fireEvent.click(screen.getByRole('button', {name: 'Unfollow the thread by othello in Town Square'}));
        expect(threadActions.unfollowThread).toHaveBeenCalledWith('denmark', 'a');
    });
});
