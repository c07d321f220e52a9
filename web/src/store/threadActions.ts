// What the Threads view asks for: the user's followed threads in a team, reading and unfollowing.
import type {UserThreadWithPost} from '@mattermost/types/threads';

import {client} from '../api/client';
import {loadUsers} from './actions';
import {store} from './state';
import {THREADS_PAGE_SIZE, allThreadsRead, followedThread, followedThreadsOf, receiveThreadList, threadRead, threadUnfollowed, threadUpdated} from './threads';

async function loadPeople(threads: UserThreadWithPost[]): Promise<void> {
    await loadUsers([...new Set(threads.map((thread) => thread.post.user_id))]);
}

const loading = new Map<string, Promise<void>>();

/** The newest page of the team's followed threads, with the totals the sidebar shows. Asked
 * for again while under way, the same request answers both. */
export function loadThreads(teamId: string): Promise<void> {
    let work = loading.get(teamId);
    if (!work) {
        work = fetchThreads(teamId).finally(() => loading.delete(teamId));
        loading.set(teamId, work);
    }
    return work;
}

async function fetchThreads(teamId: string): Promise<void> {
    const list = await client.getUserThreads('me', teamId, {perPage: THREADS_PAGE_SIZE, extended: true});
    store.update((state) => receiveThreadList(state, teamId, list, 'first'));
    // A thread opened before the list arrived (from a permalink, say) is read now.
    const {view} = store.get();
    if (view.teamId === teamId && view.threadId) {
        await markThreadRead(teamId, view.threadId);
    }
    await loadPeople(list.threads);
}

export async function loadOlderThreads(teamId: string): Promise<void> {
    const threads = followedThreadsOf(store.get(), teamId);
    if (!threads.hasOlder || !threads.pageEnd) {
        return;
    }
    const list = await client.getUserThreads('me', teamId, {perPage: THREADS_PAGE_SIZE, extended: true, before: threads.pageEnd});
    store.update((state) => receiveThreadList(state, teamId, list, 'older'));
    await loadPeople(list.threads);
}

/** Unread threads older than the loaded pages, for the Unread tab. */
export async function loadUnreadThreads(teamId: string): Promise<void> {
    const list = await client.getUserThreads('me', teamId, {perPage: THREADS_PAGE_SIZE, extended: true, unread: true});
    store.update((state) => receiveThreadList(state, teamId, list, 'unread'));
    await loadPeople(list.threads);
}

/** A thread the user just followed (on another device, or by being mentioned) joins the list. */
export async function loadFollowedThread(teamId: string, threadId: string): Promise<void> {
    const thread = await client.getUserThread('me', teamId, threadId, true);
    store.update((state) => threadUpdated(state, teamId, thread));
    await loadPeople([thread]);
}

/** Reading a followed thread: it stops counting as unread here at once, and on the server. */
export async function markThreadRead(teamId: string, threadId: string): Promise<void> {
    const thread = followedThread(store.get(), teamId, threadId);
    if (!thread || (thread.unread_replies === 0 && thread.unread_mentions === 0)) {
        return;
    }
    // Never before the last reply, whatever this device's clock says, or it would stay unread.
    const timestamp = Math.max(Date.now(), thread.last_reply_at);
    store.update((state) => threadRead(state, teamId, {threadId, timestamp, unreadReplies: 0, unreadMentions: 0}));
    await client.updateThreadReadForUser('me', teamId, threadId, timestamp);
}

export async function markAllThreadsRead(teamId: string): Promise<void> {
    store.update((state) => allThreadsRead(state, teamId, Date.now()));
    await client.updateThreadsReadForUser('me', teamId);
}

export async function unfollowThread(teamId: string, threadId: string): Promise<void> {
    await client.updateThreadFollowForUser('me', teamId, threadId, false);
    store.update((state) => threadUnfollowed(state, teamId, threadId));
}
