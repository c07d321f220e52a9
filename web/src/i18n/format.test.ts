import {describe, expect, it} from 'vitest';

import {format, parse} from './format';
import en from './messages/en';

describe('ICU messages', () => {
    it('fills arguments', () => {
        expect(format('Write to {channel}', {channel: 'Town Square'}, 'en')).toBe('Write to Town Square');
    });

    it('chooses plural forms by the locale\'s rules, with exact matches first', () => {
        const message = '{count, plural, =0 {no replies} one {# reply} other {# replies}}';
        expect(format(message, {count: 0}, 'en')).toBe('no replies');
        expect(format(message, {count: 1}, 'en')).toBe('1 reply');
        expect(format(message, {count: 1200}, 'en')).toBe('1,200 replies');
        // Polish has a "few" form, and falls back to other where a case is missing.
        expect(format('{n, plural, one {# plik} few {# pliki} other {# plików}}', {n: 3}, 'pl')).toBe('3 pliki');
        expect(format('{n, plural, one {# plik} few {# pliki} other {# plików}}', {n: 5}, 'pl')).toBe('5 plików');
    });

    it('selects and nests', () => {
        const message = '{kind, select, D {a direct message} other {{name}}}';
        expect(format(message, {kind: 'D'}, 'en')).toBe('a direct message');
        expect(format(message, {kind: 'O', name: 'Town Square'}, 'en')).toBe('Town Square');
    });

    it('keeps quoted braces literal and shows a missing argument by name', () => {
        expect(format("'{'not an argument'}' {x}", {}, 'en')).toBe('{not an argument} {x}');
    });

    it('parses every English message', () => {
        for (const message of Object.values(en)) {
            expect(() => parse(message)).not.toThrow();
        }
    });
});
