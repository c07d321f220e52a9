import {describe, expect, it} from 'vitest';

import {appPath, keyBytes} from './webpush';

describe('web push', () => {
    it('reads the server key from base64url, padding or not', () => {
        expect([...keyBytes('BAEC_w')]).toEqual([4, 1, 2, 255]);
        expect([...keyBytes('-_8')]).toEqual([251, 255]);
    });
    it('opens only paths of the app from a notification', () => {
        expect(appPath('/town/pl/abc')).toBe('/town/pl/abc');
        expect(appPath('//evil.example.org/x')).toBeNull();
        expect(appPath('/\\evil.example.org')).toBeNull();
        expect(appPath('https://evil.example.org/')).toBeNull();
        expect(appPath(42)).toBeNull();
    });
});
