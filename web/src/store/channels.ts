// Pure functions over channels: names, unread state, sidebar order, and live count updates.
import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ChannelMembership, ServerChannel as Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {formatName, isCollapsedThreads, nameFormatOf, type NameFormat} from '../settings/preferences';
import type {State} from './state';

export function displayName(user: UserProfile | undefined, format: NameFormat = 'username'): string {
    return formatName(user, format);
}

/** The user on the other side of a direct channel ("id1__id2"); yourself for a self-DM. */
export function directPartnerId(channel: Channel, myId: string): string {
    const [a, b] = channel.name.split('__');
    return a === myId ? b : a;
}

export function channelTitle(state: State, channel: Channel): string {
    if (channel.type === 'D' && state.me) {
        return displayName(state.users[directPartnerId(channel, state.me.id)], nameFormatOf(state));
    }
    if (channel.type === 'G' && state.me) {
        // The server names a group after all its members; the reader needs only the others.
        const me = state.me.username;
        return channel.display_name.split(', ').filter((name) => name !== me).join(', ');
    }
    return channel.display_name || channel.name;
}

export interface Unread {
    unread: boolean;
    mentions: number;
}

// With collapsed threads, a channel is unread for new root posts; replies count in Threads.
// Without them (the reader's choice), every post counts, replies included.
export function unreadOf(channel: Channel | undefined, member: ChannelMembership | undefined, collapsed = true): Unread {
    if (!channel || !member) {
        return {unread: false, mentions: 0};
    }
    if (!collapsed) {
        return {unread: channel.total_msg_count > member.msg_count || member.mention_count > 0, mentions: member.mention_count};
    }
    const unread = (channel.total_msg_count_root ?? channel.total_msg_count) > (member.msg_count_root ?? member.msg_count);
    const mentions = member.mention_count_root ?? member.mention_count;
    return {unread: unread || mentions > 0, mentions};
}

// Made once: the sidebar sorts on every store change.
const collator = new Intl.Collator(undefined, {sensitivity: 'base', numeric: true});

/** The channel ids a category shows, in its sort order. */
export function sortedChannelIds(state: State, category: ChannelCategory): string[] {
    const ids = category.channel_ids.filter((id) => state.channels[id] && state.channels[id].delete_at === 0);
    const sorting = category.sorting || (category.type === 'direct_messages' ? 'recent' : 'alpha');
    if (sorting === 'recent') {
        return ids.sort((a, b) => lastActivity(state.channels[b]) - lastActivity(state.channels[a]));
    }
    if (sorting === 'alpha') {
        return ids.sort((a, b) => collator.compare(channelTitle(state, state.channels[a]), channelTitle(state, state.channels[b])));
    }
    return ids;
}

function lastActivity(channel: Channel): number {
    return Math.max(channel.last_post_at, channel.create_at);
}

/**
 * Counts a new post into its channel and the reader's membership, as the server does, so the
 * sidebar is right without a round trip. A channel the reader is looking at stays read.
 */
export function countNewPost(state: State, post: Post, mentionedIds: string[], reading: boolean): State {
    const channel = state.channels[post.channel_id];
    const member = state.members[post.channel_id];
    if (!channel || !state.me) {
        return state;
    }
    const isRoot = !post.root_id;
    const nextChannel: Channel = {
        ...channel,
        last_post_at: Math.max(channel.last_post_at, post.create_at),
        last_root_post_at: isRoot ? Math.max(channel.last_root_post_at ?? 0, post.create_at) : channel.last_root_post_at,
        total_msg_count: channel.total_msg_count + 1,
        total_msg_count_root: (channel.total_msg_count_root ?? 0) + (isRoot ? 1 : 0),
    };
    let nextMember = member;
    if (member) {
        if (reading || post.user_id === state.me.id) {
            nextMember = {
                ...member,
                msg_count: nextChannel.total_msg_count,
                msg_count_root: nextChannel.total_msg_count_root,
                last_viewed_at: Math.max(member.last_viewed_at, post.create_at),
            };
        } else if (mentionedIds.includes(state.me.id)) {
            nextMember = {
                ...member,
                mention_count: member.mention_count + 1,
                mention_count_root: (member.mention_count_root ?? 0) + (isRoot ? 1 : 0),
            };
        }
    }
    return {
        ...state,
        channels: {...state.channels, [channel.id]: nextChannel},
        members: nextMember ? {...state.members, [channel.id]: nextMember} : state.members,
    };
}

/** The channel was read here or on another device. */
export function markViewed(state: State, channelId: string, at: number): State {
    const channel = state.channels[channelId];
    const member = state.members[channelId];
    if (!channel || !member) {
        return state;
    }
    return {
        ...state,
        members: {
            ...state.members,
            [channelId]: {
                ...member,
                msg_count: channel.total_msg_count,
                msg_count_root: channel.total_msg_count_root,
                mention_count: 0,
                mention_count_root: 0,
                urgent_mention_count: 0,
                last_viewed_at: Math.max(member.last_viewed_at, at),
            },
        },
    };
}

/** Total unread mentions and whether anything is unread, over the given channels. */
export function teamUnreads(state: State, channelIds: string[]): Unread {
    let mentions = 0;
    let unread = false;
    for (const id of channelIds) {
        const counts = unreadOf(state.channels[id], state.members[id], isCollapsedThreads(state));
        mentions += counts.mentions;
        unread ||= counts.unread;
    }
    return {unread, mentions};
}
