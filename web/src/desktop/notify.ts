// Which new posts deserve a notification, and what it says: Mattermost's rules (a mention or a
// direct message by default; the user's "desktop" notify prop, overridden per channel; muted
// channels stay quiet; never your own post, never the channel you are looking at).
import type {Post} from '@mattermost/types/posts';

import {channelPath} from '../app/router';
import {channelTitle, unreadOf} from '../store/channels';
import type {State} from '../store/state';

/** What a `posted` event says besides the post. */
export interface Posted {
    post: Post;
    mentions: string[];
    channelType: string;
    senderName: string;
    teamId: string;
}

export interface NotificationContent {
    title: string;
    body: string;
    channelId: string;
    teamId: string;
    url: string;
}

const BODY_LIMIT = 140;

export function shouldNotify(state: State, event: Posted, lookingAtIt: boolean): boolean {
    const me = state.me;
    const {post} = event;
    if (!me || post.user_id === me.id || post.type?.startsWith('system_') || lookingAtIt) {
        return false;
    }
    const member = state.members[post.channel_id];
    const channelProps = (member?.notify_props ?? {}) as Record<string, string | undefined>;
    if (channelProps.mark_unread === 'mention') {
        // Muted.
        return false;
    }
    const userLevel = (me.notify_props as Record<string, string | undefined> | undefined)?.desktop || 'mention';
    const level = channelProps.desktop && channelProps.desktop !== 'default' ? channelProps.desktop : userLevel;
    if (level === 'none') {
        return false;
    }
    if (level === 'all') {
        return true;
    }
    const direct = event.channelType === 'D' || event.channelType === 'G';
    return direct || event.mentions.includes(me.id);
}

/** Markdown marks are noise in a notification's one line of text. */
function plain(text: string): string {
    const flat = text.replace(/```[\s\S]*?```/g, '[code]').replace(/[*_~`>#]+/g, '').replace(/\s+/g, ' ').trim();
    return flat.length > BODY_LIMIT ? `${flat.slice(0, BODY_LIMIT - 1)}…` : flat;
}

export function notificationContent(state: State, event: Posted): NotificationContent {
    const {post} = event;
    const channel = state.channels[post.channel_id];
    const sender = state.users[post.user_id]?.username ?? event.senderName.replace(/^@/, '');
    const direct = event.channelType === 'D';
    const teamId = event.teamId || state.view.teamId;
    const team = state.teams[teamId] ?? state.teams[state.view.teamId];
    const title = direct ? sender : channel ? channelTitle(state, channel) : sender;
    const body = direct ? plain(post.message) : `${sender}: ${plain(post.message)}`;
    let url = '/';
    if (team) {
        if (post.root_id) {
            url = `/${team.name}/pl/${post.id}`;
        } else if (direct) {
            url = `/${team.name}/messages/@${sender}`;
        } else if (channel) {
            url = channelPath(team.name, channel.name);
        } else {
            url = `/${team.name}/pl/${post.id}`;
        }
    }
    return {title, body, channelId: post.channel_id, teamId: event.teamId, url};
}

/** The dock badge and the title: any unread channel or thread, and the mentions in them. */
export function unreadTotals(state: State): {unread: boolean; mentions: number} {
    let unread = false;
    let mentions = 0;
    for (const [channelId, member] of Object.entries(state.members)) {
        const counts = unreadOf(state.channels[channelId], member);
        const muted = (member.notify_props as Record<string, string | undefined> | undefined)?.mark_unread === 'mention';
        unread ||= counts.unread && !muted;
        mentions += counts.mentions;
    }
    for (const threads of Object.values(state.followedThreads)) {
        unread ||= threads.unreadThreads > 0;
        mentions += threads.unreadMentions;
    }
    return {unread, mentions};
}
