import {describe, expect, it} from 'vitest';

import {fromBase64url, toBase64url} from './base64url';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('base64url', () => {
    it('encodes without padding and with the URL-safe alphabet', () => {
        expect(toBase64url(bytes())).toBe('');
        expect(toBase64url(bytes(0xfb))).toBe('-w');
        expect(toBase64url(bytes(0xfb, 0xff))).toBe('-_8');
        expect(toBase64url(bytes(0x66, 0x6f, 0x6f))).toBe('Zm9v');
    });

    it('encodes a view into a larger buffer as just its own bytes', () => {
        const buffer = bytes(1, 2, 3, 4, 5).buffer;
        expect(toBase64url(new Uint8Array(buffer, 1, 2))).toBe(toBase64url(bytes(2, 3)));
        expect(toBase64url(buffer)).toBe('AQIDBAU');
    });

    it('decodes what it encodes, for every length and byte', () => {
        for (let length = 0; length < 40; length++) {
            const original = Uint8Array.from({length}, (_, i) => (i * 37 + length * 11) % 256);
            expect(new Uint8Array(fromBase64url(toBase64url(original)))).toEqual(original);
        }
    });

    it('refuses what is not base64url', () => {
        expect(() => fromBase64url('ab+c')).toThrow();
        expect(() => fromBase64url('ab=c')).toThrow();
        expect(() => fromBase64url('abcde')).toThrow();
    });
});
