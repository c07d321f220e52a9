// Moderators' tools (the server's own routes under /villagepump/moderation) and channel
// moderation (Mattermost's /channels/{id}/moderations, which Client4 calls).
import type {ChannelModeration, ChannelModerationPatch} from '@mattermost/types/channels';

import {client} from '../api/client';

export interface MuteState {
    user_id: string;
    muted: boolean;
    /** Milliseconds; 0 with `muted` means until unmuted. */
    until: number;
}

/** The server's error id for a post refused because its author is muted. */
export const MUTED_ERROR = 'api.post.create_post.muted.app_error';
export const READ_ONLY_ERROR = 'api.post.create_post.read_only.app_error';

export function isModerator(roles: string | undefined): boolean {
    const names = (roles ?? '').split(' ');
    return names.includes('system_moderator') || names.includes('system_admin');
}

/** Admins and moderators are beyond a moderator's tools (the server refuses them too). */
export function isProtected(roles: string | undefined): boolean {
    return isModerator(roles);
}

export function removePost(postId: string): Promise<{placeholder: boolean}> {
    return client.moderation(`/posts/${postId}/remove`, 'post');
}

export function warnUser(userId: string, message: string): Promise<unknown> {
    return client.moderation(`/users/${userId}/warn`, 'post', {message});
}

/** `seconds` from now by the server's clock, or `until` (ms; 0 for until unmuted). */
export function muteUser(userId: string, how: {for_seconds: number} | {until: number}): Promise<MuteState> {
    return client.moderation(`/users/${userId}/mute`, 'put', how);
}

export function unmuteUser(userId: string): Promise<MuteState> {
    return client.moderation(`/users/${userId}/mute`, 'delete');
}

export function getMute(userId: string): Promise<MuteState> {
    return client.moderation(`/users/${userId}/mute`, 'get');
}

export function getModerations(channelId: string): Promise<ChannelModeration[]> {
    return client.getChannelModerations(channelId);
}

export function patchModerations(channelId: string, patch: ChannelModerationPatch[]): Promise<ChannelModeration[]> {
    return client.patchChannelModerations(channelId, patch);
}
