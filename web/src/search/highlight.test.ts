import {describe, expect, it} from 'vitest';

import {highlightSegments} from './highlight';

function marked(text: string, words: string[]): string[] {
    return highlightSegments(text, words).filter((segment) => segment.hit).map((segment) => segment.text);
}

describe('highlightSegments', () => {
    it('keeps every character, in order, hit or not', () => {
        const text = 'The Ghost walks; the ghost speaks.';
        const segments = highlightSegments(text, ['ghost']);
        expect(segments.map((segment) => segment.text).join('')).toBe(text);
        expect(marked(text, ['ghost'])).toEqual(['Ghost', 'ghost']);
    });

    it('marks whole words only in spaced scripts', () => {
        expect(marked('cat concatenate cat.', ['cat'])).toEqual(['cat', 'cat']);
        expect(marked('scatter', ['cat'])).toEqual([]);
    });

    it('matches accented Latin case-insensitively, and not the unaccented word', () => {
        expect(marked('Café au lait, CAFÉ noir, cafe', ['café'])).toEqual(['Café', 'CAFÉ']);
        // An accent written as a combining mark is the same word.
        expect(marked('Cafe\u0301 crème', ['café'])).toEqual(['Café']);
        expect(marked('Élan, élan', ['élan'])).toEqual(['Élan', 'élan']);
    });

    it('matches Cyrillic case-insensitively at word edges', () => {
        expect(marked('Привет, мир! ПРИВЕТСТВИЕ привет', ['привет'])).toEqual(['Привет', 'привет']);
    });

    it('marks a CJK run wherever it occurs inside a line', () => {
        expect(marked('今日は東京タワーに行きました', ['東京'])).toEqual(['東京']);
        expect(marked('我爱北京天安门，北京很大', ['北京'])).toEqual(['北京', '北京']);
        expect(marked('東京Tower', ['東京'])).toEqual(['東京']);
    });

    it('prefers the longest of overlapping words and escapes regular-expression characters', () => {
        expect(marked('walking walk', ['walk', 'walking'])).toEqual(['walking', 'walk']);
        expect(marked('cost (a+b)* total', ['(a+b)*'])).toEqual(['(a+b)*']);
        expect(marked('@hamlet, are you there?', ['@hamlet'])).toEqual(['@hamlet']);
    });

    it('leaves text alone when nothing is wanted', () => {
        expect(highlightSegments('plain', [])).toEqual([{text: 'plain', hit: false}]);
        expect(highlightSegments('', ['x'])).toEqual([]);
        expect(highlightSegments('<b>not html</b>', ['b'])).toEqual([
            {text: '<', hit: false}, {text: 'b', hit: true}, {text: '>not html</', hit: false}, {text: 'b', hit: true}, {text: '>', hit: false},
        ]);
    });
});
