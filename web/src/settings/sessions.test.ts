import {describe, expect, it} from 'vitest';

import type {Session} from '@mattermost/types/sessions';

import {isGuest} from '../profile/GuestBadge';
import {deviceName, isCurrentSession} from './sessions';

function session(props: Record<string, string>, deviceId = ''): Session {
    return {id: 's', props, device_id: deviceId, last_activity_at: 0} as unknown as Session;
}

describe('sessions', () => {
    it('names a device by its browser and system, or what little is known', () => {
        expect(deviceName(session({browser: 'Chrome/120', os: 'Linux', platform: 'Linux'}), '?')).toBe('Chrome 120 · Linux');
        expect(deviceName(session({browser: '', os: '', platform: 'iPhone'}), '?')).toBe('iPhone');
        expect(deviceName(session({}, 'apple_rn-v2:abc'), '?')).toBe('apple_rn-v2');
        expect(deviceName(session({}), 'Unknown device')).toBe('Unknown device');
    });

    it('knows this device by the mark the server puts on it', () => {
        expect(isCurrentSession(session({is_current: 'true'}))).toBe(true);
        expect(isCurrentSession(session({}))).toBe(false);
    });
});

describe('guests', () => {
    it('are the users with system_guest among their roles', () => {
        expect(isGuest({roles: 'system_guest'})).toBe(true);
        expect(isGuest({roles: 'system_user'})).toBe(false);
        expect(isGuest({roles: 'system_user system_admin'})).toBe(false);
        expect(isGuest(undefined)).toBe(false);
    });
});
