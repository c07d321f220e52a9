// The words a search matched, marked in a message's text. The server lists them as the message
// spells them (Mattermost's `matches`); here they are found again, case-insensitively, in each
// text node the Markdown renderer produces, and wrapped in <mark> elements: React elements, never
// HTML, so nothing in a message can run.
import {createElement, Fragment, type ReactNode} from 'react';

export interface Segment {
    text: string;
    hit: boolean;
}

// Letters, digits and joining marks: what a word is made of in scripts that separate words.
const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
// Scripts written without spaces between words: a matched run may sit anywhere inside a line.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A character that continues a word of a spaced script (so a match beside it is inside a word). */
function continuesWord(char: string | undefined): boolean {
    return char !== undefined && WORD_CHAR.test(char) && !UNSPACED.test(char);
}

function firstChar(text: string): string {
    return String.fromCodePoint(text.codePointAt(0) ?? 0);
}

function lastChar(text: string): string {
    return Array.from(text).pop() ?? '';
}

function charBefore(text: string, index: number): string | undefined {
    return index > 0 ? lastChar(text.slice(Math.max(0, index - 2), index)) : undefined;
}

function charAt(text: string, index: number): string | undefined {
    return index < text.length ? firstChar(text.slice(index)) : undefined;
}

/**
 * `text` cut into runs that are and are not one of `words`. A word of a spaced script is marked
 * only where it stands as a whole word (or a word's start, for a word the query ended with `*`:
 * the server lists the word as the message spells it, so the whole word is marked); a run in a
 * script without spaces (Chinese, Japanese, Thai…) is marked wherever it occurs.
 */
export function highlightSegments(text: string, words: readonly string[]): Segment[] {
    const source = text.normalize('NFC');
    const wanted = [...new Set(words.map((word) => word.normalize('NFC').trim()).filter(Boolean))]
        .sort((a, b) => b.length - a.length);
    if (!source) {
        return [];
    }
    if (wanted.length === 0) {
        return [{text: source, hit: false}];
    }
    const pattern = new RegExp(wanted.map(escapeRegExp).join('|'), 'giu');
    const segments: Segment[] = [];
    let done = 0;
    for (let found = pattern.exec(source); found; found = pattern.exec(source)) {
        const start = found.index;
        const match = found[0];
        const end = start + match.length;
        const openStart = UNSPACED.test(firstChar(match)) || !continuesWord(charBefore(source, start));
        const openEnd = UNSPACED.test(lastChar(match)) || !continuesWord(charAt(source, end));
        if (!openStart || !openEnd) {
            // Inside a longer word: look again one character on (a shorter word may fit there).
            pattern.lastIndex = start + firstChar(match).length;
            continue;
        }
        if (start > done) {
            segments.push({text: source.slice(done, start), hit: false});
        }
        segments.push({text: match, hit: true});
        done = end;
    }
    if (done < source.length) {
        segments.push({text: source.slice(done), hit: false});
    }
    return segments;
}

/** For the Markdown renderer: how to show one text node with `words` marked. */
export function markWords(words: readonly string[]): ((text: string) => ReactNode) | undefined {
    if (words.length === 0) {
        return undefined;
    }
    return (text) => {
        const segments = highlightSegments(text, words);
        if (!segments.some((segment) => segment.hit)) {
            return text;
        }
        return segments.map((segment, i) => (segment.hit
            ? createElement('mark', {key: i, className: 'search-hit'}, segment.text)
            : createElement(Fragment, {key: i}, segment.text)));
    };
}
