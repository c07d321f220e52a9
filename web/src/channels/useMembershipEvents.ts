import {useEffect, useRef} from 'react';

import type {WebSocketMessage} from '@mattermost/client';

import {socket} from '../api/client';

/**
 * Calls `onChange` when someone joins or leaves the channel (the `user_added` and `user_removed`
 * events), so a member count or list stays true without asking the server on every message.
 */
export function useMembershipEvents(channelId: string, onChange: () => void): void {
    const callback = useRef(onChange);
    callback.current = onChange;
    useEffect(() => {
        const listener = (message: WebSocketMessage) => {
            if (message.event !== 'user_added' && message.event !== 'user_removed') {
                return;
            }
            const data = (message.data ?? {}) as Record<string, unknown>;
            if (message.broadcast.channel_id === channelId || data.channel_id === channelId) {
                callback.current();
            }
        };
        socket.addMessageListener(listener);
        return () => socket.removeMessageListener(listener);
    }, [channelId]);
}
