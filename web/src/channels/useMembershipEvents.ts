import {useEffect, useRef} from 'react';

import type {WebSocketMessage} from '@mattermost/client';

import {socket} from '../api/client';

interface Subscriber {
    channelId: string;
    callback: {current: () => void};
}

const subscribers = new Set<Subscriber>();
let listening = false;

// One socket listener for every user of the hook, added once: the client library warns on the
// console each time a listener is added past its fifth, which with one per mount was once per
// channel switch.
function onMessage(message: WebSocketMessage): void {
    if (message.event !== 'user_added' && message.event !== 'user_removed') {
        return;
    }
    const data = (message.data ?? {}) as Record<string, unknown>;
    for (const subscriber of subscribers) {
        if (message.broadcast.channel_id === subscriber.channelId || data.channel_id === subscriber.channelId) {
            subscriber.callback.current();
        }
    }
}

/**
 * Calls `onChange` when someone joins or leaves the channel (the `user_added` and `user_removed`
 * events), so a member count or list stays true without asking the server on every message.
 */
export function useMembershipEvents(channelId: string, onChange: () => void): void {
    const callback = useRef(onChange);
    callback.current = onChange;
    useEffect(() => {
        if (!listening) {
            listening = true;
            socket.addMessageListener(onMessage);
        }
        const subscriber = {channelId, callback};
        subscribers.add(subscriber);
        return () => {
            subscribers.delete(subscriber);
        };
    }, [channelId]);
}
