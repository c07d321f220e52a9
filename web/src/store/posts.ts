// Pure functions that fold posts into the state: loaded pages, live events, edits and deletes.
import type {Post, PostList} from '@mattermost/types/posts';
import type {Reaction} from '@mattermost/types/reactions';

import {isCollapsedThreads} from '../settings/preferences';
import type {ChannelPosts, State} from './state';

export const PAGE_SIZE = 60;

/** A channel the reader is not looking at keeps its newest page of posts, what opening it shows
 * first; older ones load again when scrolled to. Without a bound, an open tab kept every post
 * of every busy channel for as long as it stayed open (Mattermost tabs grow to gigabytes), and
 * each new post copied the whole collection. A channel is trimmed once it holds TRIM_SLACK more,
 * so not every post that arrives pays for a trim. */
export const KEPT_PER_CHANNEL = PAGE_SIZE;
const TRIM_SLACK = 20;

const EMPTY: ChannelPosts = {order: [], hasOlder: true, loadingOlder: false, loaded: false};

/** Starts collecting a channel's live posts before its first page arrives. */
export function expectChannel(state: State, channelId: string): State {
    return state.channelPosts[channelId] ? state : {...state, channelPosts: {...state.channelPosts, [channelId]: EMPTY}};
}

/** The same for a thread's replies. */
export function expectThread(state: State, rootId: string): State {
    return state.threads[rootId] ? state : {...state, threads: {...state.threads, [rootId]: []}};
}

export function channelPostsOf(state: State, channelId: string): ChannelPosts {
    return state.channelPosts[channelId] ?? EMPTY;
}

function byCreateAt(posts: Record<string, Post>) {
    return (a: string, b: string) => (posts[a]?.create_at ?? 0) - (posts[b]?.create_at ?? 0);
}

function mergeIds(existing: string[], incoming: string[], posts: Record<string, Post>): string[] {
    const seen = new Set(existing);
    const added = incoming.filter((id) => !seen.has(id) && (seen.add(id), true));
    if (added.length === 0) {
        return existing;
    }
    return [...existing, ...added].sort(byCreateAt(posts));
}

/**
 * Folds a page of posts into the state. `older` says the page was asked for before the oldest
 * known post, so a short page means the beginning of the channel was reached.
 */
export function receivePostList(state: State, channelId: string, list: PostList, page: 'latest' | 'older' | 'since'): State {
    const posts = {...state.posts};
    const threads = {...state.threads};
    const gone = new Set<string>();
    for (const post of Object.values(list.posts)) {
        if (post.delete_at > 0) {
            gone.add(post.id);
            delete posts[post.id];
            continue;
        }
        posts[post.id] = mergeReactionsKept(posts[post.id], post);
    }
    // With collapsed reply threads off, replies show in the channel among the roots.
    const inline = !isCollapsedThreads(state);
    const roots = list.order.filter((id) => posts[id] && (inline || !posts[id].root_id));
    for (const id of list.order) {
        const post = posts[id];
        if (post?.root_id && threads[post.root_id]) {
            threads[post.root_id] = mergeIds(threads[post.root_id], [id], posts);
        }
    }
    const current = channelPostsOf(state, channelId);
    let order = mergeIds(current.order, roots, posts);
    if (gone.size > 0) {
        order = order.filter((id) => !gone.has(id));
    }
    // The server names the post before the page (prev_post_id); an empty one means the start.
    const pageHasOlder = typeof list.prev_post_id === 'string' ? list.prev_post_id !== '' : list.order.length >= PAGE_SIZE;
    const hasOlder = page === 'older' || (page === 'latest' && !current.loaded) ? pageHasOlder : current.hasOlder;
    return trimHidden({
        ...state,
        posts,
        threads,
        channelPosts: {...state.channelPosts, [channelId]: {order, hasOlder, loadingOlder: false, loaded: current.loaded || page !== 'since'}},
    }, channelId);
}

// Reactions arrive both inside posts and as their own events; a post fetched before a reaction
// event was applied must not lose it.
function mergeReactionsKept(previous: Post | undefined, next: Post): Post {
    if (!previous || next.metadata?.reactions !== undefined || !previous.metadata?.reactions) {
        return next;
    }
    return {...next, metadata: {...next.metadata, reactions: previous.metadata.reactions}};
}

/** A root post and its replies, as the thread endpoint returns them. */
export function receiveThread(state: State, rootId: string, list: PostList): State {
    const posts = {...state.posts};
    for (const post of Object.values(list.posts)) {
        if (post.delete_at === 0) {
            posts[post.id] = post;
        }
    }
    const replies = Object.values(list.posts).filter((post) => post.root_id === rootId && post.delete_at === 0);
    // Replies that arrived live while the thread was loading stay.
    const live = (state.threads[rootId] ?? []).filter((id) => posts[id]);
    return {
        ...state,
        posts,
        threads: {...state.threads, [rootId]: mergeIds(live, replies.map((post) => post.id), posts)},
    };
}

/** A new or edited post from an event or our own request; idempotent. */
export function receivePost(state: State, post: Post): State {
    if (post.delete_at > 0) {
        return removePost(state, post);
    }
    const known = state.posts[post.id];
    if (known && known.update_at > post.update_at) {
        return state;
    }
    if (!known && !state.channelPosts[post.channel_id] && !state.threads[post.root_id || post.id] && !state.posts[post.root_id]) {
        // Nothing on screen holds it, and opening its channel loads it: keeping it would only
        // grow the store with every post of every channel never opened.
        return state;
    }
    const posts = {...state.posts, [post.id]: mergeReactionsKept(known, post)};
    let next: State = {...state, posts};
    if (!post.root_id) {
        const channel = state.channelPosts[post.channel_id];
        if (channel) {
            next.channelPosts = {...state.channelPosts, [post.channel_id]: {...channel, order: mergeIds(channel.order, [post.id], posts)}};
        }
        return trimHidden(next, post.channel_id);
    }
    const channel = state.channelPosts[post.channel_id];
    if (channel && !isCollapsedThreads(state)) {
        next.channelPosts = {...state.channelPosts, [post.channel_id]: {...channel, order: mergeIds(channel.order, [post.id], posts)}};
    }
    const thread = state.threads[post.root_id];
    if (thread) {
        next.threads = {...state.threads, [post.root_id]: mergeIds(thread, [post.id], posts)};
    }
    const root = posts[post.root_id];
    if (!known && root && !(thread ?? []).includes(post.id)) {
        posts[root.id] = {
            ...root,
            reply_count: (root.reply_count ?? 0) + 1,
            last_reply_at: Math.max(root.last_reply_at ?? 0, post.create_at),
        };
        next = {...next, posts};
    }
    return trimHidden(next, post.channel_id);
}

/** Trims a channel that is not on screen once it holds more than its page and the slack. */
function trimHidden(state: State, channelId: string): State {
    const channel = state.channelPosts[channelId];
    if (!channel || state.view.channelId === channelId || channel.order.length <= KEPT_PER_CHANNEL + TRIM_SLACK) {
        return state;
    }
    return trimChannel(state, channelId);
}

/**
 * Keeps only a channel's newest `keep` posts, and forgets the threads of the roots it drops;
 * what the reader has open (the thread in the right-hand panel, a highlighted message) stays.
 * The channel then has older posts to load again, as after its first page.
 */
export function trimChannel(state: State, channelId: string, keep: number = KEPT_PER_CHANNEL): State {
    const channel = state.channelPosts[channelId];
    // A page of older posts on its way would land before a gap the trim leaves.
    if (!channel || channel.loadingOlder || channel.order.length <= keep) {
        return state;
    }
    const cut = channel.order.length - keep;
    const order = channel.order.slice(cut);
    const kept = new Set(order);
    const open = new Set([state.view.threadId, state.highlightPostId].filter(Boolean));
    const posts = {...state.posts};
    const threads = {...state.threads};
    for (const id of channel.order.slice(0, cut)) {
        if (open.has(id) || open.has(posts[id]?.root_id ?? '')) {
            continue;
        }
        for (const reply of threads[id] ?? []) {
            if (!kept.has(reply)) {
                delete posts[reply];
            }
        }
        delete threads[id];
        delete posts[id];
    }
    return {...state, posts, threads, channelPosts: {...state.channelPosts, [channelId]: {...channel, order, hasOlder: true}}};
}

/** The reader opens another channel (or a screen without one): the channel left keeps only its
 * newest page, however far back it was scrolled. */
export function showChannel(state: State, channelId: string): State {
    const left = state.view.channelId;
    const next = {...state, view: {...state.view, channelId}};
    return left && left !== channelId ? trimChannel(next, left) : next;
}

export function removePost(state: State, post: Pick<Post, 'id' | 'channel_id' | 'root_id'>): State {
    if (!state.posts[post.id] && !state.threads[post.id]) {
        return state;
    }
    const posts = {...state.posts};
    delete posts[post.id];
    const next: State = {...state, posts};
    const channel = state.channelPosts[post.channel_id];
    if (channel?.order.includes(post.id)) {
        next.channelPosts = {...state.channelPosts, [post.channel_id]: {...channel, order: channel.order.filter((id) => id !== post.id)}};
    }
    if (post.root_id && state.threads[post.root_id]?.includes(post.id)) {
        next.threads = {...state.threads, [post.root_id]: state.threads[post.root_id].filter((id) => id !== post.id)};
        const root = posts[post.root_id];
        if (root) {
            posts[root.id] = {...root, reply_count: Math.max((root.reply_count ?? 1) - 1, 0)};
        }
    }
    if (state.threads[post.id]) {
        // Deleting a root deletes its thread.
        const threads = {...state.threads};
        for (const reply of threads[post.id]) {
            delete posts[reply];
        }
        delete threads[post.id];
        next.threads = threads;
    }
    return next;
}

export function addReaction(state: State, reaction: Reaction): State {
    const post = state.posts[reaction.post_id];
    if (!post) {
        return state;
    }
    const reactions = post.metadata?.reactions ?? [];
    if (reactions.some((r) => r.user_id === reaction.user_id && r.emoji_name === reaction.emoji_name)) {
        return state;
    }
    return withReactions(state, post, [...reactions, reaction]);
}

export function removeReaction(state: State, reaction: Reaction): State {
    const post = state.posts[reaction.post_id];
    const reactions = post?.metadata?.reactions ?? [];
    const kept = reactions.filter((r) => !(r.user_id === reaction.user_id && r.emoji_name === reaction.emoji_name));
    if (!post || kept.length === reactions.length) {
        return state;
    }
    return withReactions(state, post, kept);
}

function withReactions(state: State, post: Post, reactions: Reaction[]): State {
    return {...state, posts: {...state.posts, [post.id]: {...post, metadata: {...post.metadata, reactions}}}};
}

export interface ReactionGroup {
    emoji: string;
    count: number;
    mine: boolean;
    userIds: string[];
}

/** Reactions grouped by emoji, in the order each emoji was first used. */
export function groupReactions(reactions: Reaction[] | undefined, myId: string): ReactionGroup[] {
    const groups = new Map<string, ReactionGroup>();
    for (const reaction of [...(reactions ?? [])].sort((a, b) => a.create_at - b.create_at)) {
        const group = groups.get(reaction.emoji_name) ?? {emoji: reaction.emoji_name, count: 0, mine: false, userIds: []};
        group.count++;
        group.mine ||= reaction.user_id === myId;
        group.userIds.push(reaction.user_id);
        groups.set(reaction.emoji_name, group);
    }
    return [...groups.values()];
}

/** The newest post of mine in a channel (or thread), for Up-to-edit. */
export function lastPostBy(state: State, ids: string[], userId: string): Post | undefined {
    for (let i = ids.length - 1; i >= 0; i--) {
        const post = state.posts[ids[i]];
        if (post && post.user_id === userId && !post.type) {
            return post;
        }
    }
    return undefined;
}

/** The newest update time among a channel's loaded posts: where a catch-up resumes from. */
export function newestUpdate(state: State, channelId: string): number {
    let newest = 0;
    for (const post of Object.values(state.posts)) {
        if (post.channel_id === channelId && post.update_at > newest) {
            newest = post.update_at;
        }
    }
    return newest;
}
