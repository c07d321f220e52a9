// What the message actions menu does beyond the store's basics: pin, copy a permalink, mark
// unread from a post. Reply, react, edit and delete are in store/actions.ts.
import type {ChannelUnread} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';

import {client, socket} from '../api/client';
import {toggleReaction} from '../store/actions';
import {store, type State} from '../store/state';

/** From the picker: adds the reaction; one the reader already gave stays (no toggling off). */
export async function reactWith(post: Post, emoji: string): Promise<void> {
    const myId = store.get().me!.id;
    const current = store.get().posts[post.id] ?? post;
    if (!current.metadata?.reactions?.some((r) => r.user_id === myId && r.emoji_name === emoji)) {
        await toggleReaction(current, emoji);
    }
}

export async function setPinned(post: Post, pinned: boolean): Promise<void> {
    await (pinned ? client.pinPost(post.id) : client.unpinPost(post.id));
    store.update((state) => {
        const known = state.posts[post.id];
        return known ? {...state, posts: {...state.posts, [post.id]: {...known, is_pinned: pinned}}} : state;
    });
}

/** Mattermost's permalink: <site>/<team>/pl/<post id>. */
export function permalink(origin: string, teamName: string, postId: string): string {
    return `${origin}/${teamName}/pl/${postId}`;
}

export async function copyLink(post: Post): Promise<string> {
    const state = store.get();
    const team = state.teams[state.view.teamId];
    const link = permalink(window.location.origin, team?.name ?? '', post.id);
    await navigator.clipboard.writeText(link);
    return link;
}

type UnreadCounts = Partial<ChannelUnread> & {channel_id: string; last_viewed_at?: number; msg_count_root?: number; mention_count_root?: number};

/**
 * The channel as the server left it after "mark as unread": the reader's counts go back to the
 * post, and the new-messages line moves to it.
 */
export function applyUnread(state: State, unread: UnreadCounts): State {
    const member = state.members[unread.channel_id];
    if (!member) {
        return state;
    }
    const lastViewed = unread.last_viewed_at ?? member.last_viewed_at;
    return {
        ...state,
        members: {
            ...state.members,
            [unread.channel_id]: {
                ...member,
                msg_count: unread.msg_count ?? member.msg_count,
                msg_count_root: unread.msg_count_root ?? member.msg_count_root,
                mention_count: unread.mention_count ?? member.mention_count,
                mention_count_root: unread.mention_count_root ?? member.mention_count_root,
                last_viewed_at: lastViewed,
            },
        },
        readMarks: {...state.readMarks, [unread.channel_id]: lastViewed},
    };
}

export async function markUnread(post: Post): Promise<void> {
    const me = store.get().me!;
    const unread = await client.markPostAsUnread(me.id, post.id);
    store.update((state) => applyUnread(state, unread as UnreadCounts));
}

// Marked unread on another device: the sidebar here shows it too.
socket.addMessageListener((message) => {
    if ((message.event as string) === 'post_unread') {
        const data = message.data as UnreadCounts;
        if (data?.channel_id) {
            store.update((state) => applyUnread(state, data));
        }
    }
});
