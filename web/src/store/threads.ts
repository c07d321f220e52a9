// Pure updates for the followed-threads list (Mattermost's collapsed reply threads): the server's
// pages and its thread_updated, thread_read_changed and thread_follow_changed events, folded in.
import type {UserThreadList, UserThreadWithPost} from '@mattermost/types/threads';

import type {FollowedThreads, State} from './state';

export const THREADS_PAGE_SIZE = 25;

export function emptyThreads(): FollowedThreads {
    return {byId: {}, loaded: false, hasOlder: false, pageEnd: '', unreadThreads: 0, unreadMentions: 0};
}

export function followedThreadsOf(state: State, teamId: string): FollowedThreads {
    return state.followedThreads[teamId] ?? emptyThreads();
}

// A direct or group message has no team: its threads are listed in every team, so an event
// about one (broadcast without a team) touches every team's list.
function teamsFor(state: State, teamId: string): string[] {
    return teamId ? [teamId] : Object.keys(state.followedThreads);
}

function withTeams(state: State, teamId: string, change: (threads: FollowedThreads, teamId: string) => FollowedThreads): State {
    const teams = teamsFor(state, teamId);
    if (teams.length === 0) {
        return state;
    }
    const followedThreads = {...state.followedThreads};
    for (const id of teams) {
        followedThreads[id] = change(followedThreads[id] ?? emptyThreads(), id);
    }
    return {...state, followedThreads};
}

function counts(thread: {unread_replies: number; unread_mentions: number} | undefined): [number, number] {
    return thread ? [thread.unread_replies > 0 ? 1 : 0, thread.unread_mentions] : [0, 0];
}

/** Totals moved from what `before` counted to what `after` counts, never below zero. */
function adjust(threads: FollowedThreads, before: [number, number], after: [number, number]): FollowedThreads {
    return {
        ...threads,
        unreadThreads: Math.max(0, threads.unreadThreads - before[0] + after[0]),
        unreadMentions: Math.max(0, threads.unreadMentions - before[1] + after[1]),
    };
}

/** A page from GET /users/me/teams/{team}/threads: the first replaces the list, an older one adds
 * to it, and the unread ones (for the Unread tab) add those beyond the loaded pages. */
export function receiveThreadList(state: State, teamId: string, list: UserThreadList, page: 'first' | 'older' | 'unread', pageSize = THREADS_PAGE_SIZE): State {
    const current = followedThreadsOf(state, teamId);
    const received = Object.fromEntries(list.threads.map((thread) => [thread.id, thread]));
    const next: FollowedThreads = {
        byId: page === 'first' ? received : {...current.byId, ...received},
        loaded: page === 'unread' ? current.loaded : true,
        hasOlder: page === 'unread' ? current.hasOlder : list.threads.length >= pageSize,
        pageEnd: page === 'unread' || list.threads.length === 0 ? current.pageEnd : list.threads[list.threads.length - 1].id,
        unreadThreads: list.total_unread_threads,
        unreadMentions: list.total_unread_mentions,
    };
    return {...state, followedThreads: {...state.followedThreads, [teamId]: next}};
}

/** thread_updated (a new reply, or the thread as just fetched): the user's own view of one thread. */
export function threadUpdated(state: State, teamId: string, thread: UserThreadWithPost): State {
    if (!thread.is_following) {
        return threadUnfollowed(state, teamId, thread.id);
    }
    return withTeams(state, teamId, (threads) => {
        const before = threads.byId[thread.id];
        // An event carries the root as it was when sent; keep the list's copy if it is newer.
        const post = before && before.post.update_at > thread.post.update_at ? before.post : thread.post;
        const next = {...threads, byId: {...threads.byId, [thread.id]: {...thread, post}}};
        return adjust(next, counts(before), counts(thread));
    });
}

export interface ThreadRead {
    threadId: string;
    timestamp: number;
    unreadReplies: number;
    unreadMentions: number;
    /** What the server counted before, for a thread that is not in the loaded list. */
    previousUnreadReplies?: number;
    previousUnreadMentions?: number;
}

/** thread_read_changed for one thread: read up to `timestamp` (or marked unread back to it). */
export function threadRead(state: State, teamId: string, read: ThreadRead): State {
    return withTeams(state, teamId, (threads) => {
        const before = threads.byId[read.threadId];
        const after = {unread_replies: read.unreadReplies, unread_mentions: read.unreadMentions};
        if (!before) {
            // Outside the loaded page, but counted in the totals if followed; the server told us
            // what it counted before, and the list itself has nothing to change.
            const previous = {unread_replies: read.previousUnreadReplies ?? 0, unread_mentions: read.previousUnreadMentions ?? 0};
            return threads.loaded ? adjust(threads, counts(previous), counts(after)) : threads;
        }
        const thread = {...before, ...after, last_viewed_at: read.timestamp};
        return adjust({...threads, byId: {...threads.byId, [read.threadId]: thread}}, counts(before), counts(after));
    });
}

/** thread_read_changed without a thread: "mark all as read" in the team. */
export function allThreadsRead(state: State, teamId: string, timestamp: number): State {
    return withTeams(state, teamId, (threads) => ({
        ...threads,
        byId: Object.fromEntries(Object.entries(threads.byId).map(([id, thread]) => [
            id, {...thread, unread_replies: 0, unread_mentions: 0, last_viewed_at: Math.max(thread.last_viewed_at, timestamp)},
        ])),
        unreadThreads: 0,
        unreadMentions: 0,
    }));
}

/** thread_follow_changed with state false, or an unfollow from the list. */
export function threadUnfollowed(state: State, teamId: string, threadId: string): State {
    return withTeams(state, teamId, (threads) => {
        const before = threads.byId[threadId];
        if (!before) {
            return threads;
        }
        const byId = {...threads.byId};
        delete byId[threadId];
        return adjust({...threads, byId}, counts(before), [0, 0]);
    });
}

/** The list's order: newest activity (last reply, else the root itself) first. With
 * `unreadOnly`, only unread threads and `keep` (the one just opened, read now but still shown). */
export function threadOrder(threads: FollowedThreads, unreadOnly: boolean, keep = ''): string[] {
    return Object.values(threads.byId)
        .filter((thread) => !unreadOnly || thread.unread_replies > 0 || thread.unread_mentions > 0 || thread.id === keep)
        .sort((a, b) => activity(b) - activity(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .map((thread) => thread.id);
}

export function activity(thread: UserThreadWithPost): number {
    return thread.last_reply_at || thread.post.create_at;
}

/** The team's thread for `rootId`, if the user follows it. */
export function followedThread(state: State, teamId: string, rootId: string): UserThreadWithPost | undefined {
    return state.followedThreads[teamId]?.byId[rootId];
}
