import {renderHook} from '@testing-library/react';
import {describe, expect, it, vi} from 'vitest';

import type {WebSocketMessage} from '@mattermost/client';

import {socket} from '../api/client';
import {useMembershipEvents} from './useMembershipEvents';

describe('membership events', () => {
    it('tell each user of the hook about its channel, through one socket listener', () => {
        const add = vi.spyOn(socket, 'addMessageListener');
        const town = vi.fn();
        const court = vi.fn();
        const first = renderHook(() => useMembershipEvents('town', town));
        renderHook(() => useMembershipEvents('court', court));
        // Channel switches mount and unmount the hook: the socket keeps its one listener.
        first.unmount();
        const again = renderHook(() => useMembershipEvents('town', town));
        expect(add).toHaveBeenCalledTimes(1);
        const listener = add.mock.calls[0][0];
        const event = (name: string, channelId: string) => ({event: name, data: {}, broadcast: {channel_id: channelId}, seq: 1}) as unknown as WebSocketMessage;
        listener(event('user_added', 'town'));
        listener(event('posted', 'court'));
        listener(event('user_removed', 'court'));
        expect(town).toHaveBeenCalledTimes(1);
        expect(court).toHaveBeenCalledTimes(1);
        again.unmount();
        listener(event('user_added', 'town'));
        expect(town).toHaveBeenCalledTimes(1);
    });
});
