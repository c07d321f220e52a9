// What the channel's moderation (read-only channels) lets the current user do, for the composer
// to show itself or say why not. Loaded once per channel, and again when the server announces a
// change (channel_scheme_updated, as Mattermost sends after a channel's scheme changes).
import {useEffect, useSyncExternalStore} from 'react';

import type {ChannelModeration} from '@mattermost/types/channels';

import {socket} from '../api/client';
import {useAppState, type State} from '../store/state';
import {getModerations} from './api';

const loaded = new Map<string, ChannelModeration[]>();
const listeners = new Set<() => void>();
let listening = false;

function set(channelId: string, moderations: ChannelModeration[]): void {
    loaded.set(channelId, moderations);
    listeners.forEach((listener) => listener());
}

export function loadModerations(channelId: string): Promise<void> {
    listen();
    return getModerations(channelId).then((moderations) => set(channelId, moderations));
}

function listen(): void {
    if (listening) {
        return;
    }
    listening = true;
    socket.addMessageListener((message) => {
        const data = message.data as {channel_id?: string; moderations?: string};
        if (message.event === 'channel_scheme_updated' && data.channel_id && data.moderations) {
            set(data.channel_id, JSON.parse(data.moderations) as ChannelModeration[]);
        }
    });
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Whether `role` (members or guests) has the moderated permission `name` (true if unmoderated). */
export function allows(moderations: ChannelModeration[] | undefined, name: string, role: 'members' | 'guests'): boolean {
    const found = moderations?.find((item) => item.name === name);
    return found?.roles[role]?.value ?? true;
}

/** Who sets a channel's moderation: its admins (and team and system admins, whom the server
 * also lets through), for public and private channels that are not archived. */
export function canModerateChannel(state: State, channel: {id: string; type: string; delete_at: number}): boolean {
    return (channel.type === 'O' || channel.type === 'P') && channel.delete_at === 0 && isChannelAdmin(state, channel.id);
}

function isChannelAdmin(state: State, channelId: string): boolean {
    const roles = (state.me?.roles ?? '').split(' ');
    return roles.includes('system_admin') || Boolean(state.members[channelId]?.scheme_admin);
}

/** Whether the user may write here: at the top of the channel, or (with `reply`) in a thread. */
export function usePostingAllowed(channelId: string, reply: boolean): boolean {
    useEffect(() => {
        if (channelId) {
            loadModerations(channelId).catch(() => undefined);
        }
    }, [channelId]);
    const moderations = useSyncExternalStore(subscribe, () => loaded.get(channelId));
    const admin = useAppState((state) => isChannelAdmin(state, channelId));
    const role = useAppState((state) => ((state.me?.roles ?? '').split(' ').includes('system_guest') ? 'guests' : 'members'));
    if (admin || allows(moderations, 'create_post', role)) {
        return true;
    }
    return reply && allows(moderations, 'reply_to_threads', role);
}
