import {describe, expect, it} from 'vitest';

import {SOUNDS, notesOf, soundSetting} from './sounds';

describe('notification sounds', () => {
    it('default to Mattermost\'s: on, "Bing"', () => {
        expect(soundSetting(undefined)).toEqual({play: true, sound: 'Bing'});
        expect(soundSetting({desktop_sound: 'false', desktop_notification_sound: 'Ripple'})).toEqual({play: false, sound: 'Ripple'});
    });
    it('take an unknown name as the default', () => {
        expect(soundSetting({desktop_notification_sound: 'Foghorn'}).sound).toBe('Bing');
    });
    it('are each a short chime of their own', () => {
        const chimes = SOUNDS.map((sound) => JSON.stringify(notesOf(sound)));
        expect(new Set(chimes).size).toBe(SOUNDS.length);
        for (const sound of SOUNDS) {
            const end = Math.max(...notesOf(sound).map(([, start, length]) => start + length));
            expect(end).toBeLessThan(1);
        }
    });
});
