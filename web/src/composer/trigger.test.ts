import {describe, expect, it} from 'vitest';

import {applyPick, commandInsert, findTrigger, specialMentions} from './trigger';

const at = (text: string) => findTrigger(text, text.length);

describe('finding what the caret is completing', () => {
    it('sees @people, ~channels and :emoji at the start or after a space', () => {
        expect(at('@ham')).toEqual({kind: 'user', term: 'ham', start: 0});
        expect(at('ask @Ham')).toEqual({kind: 'user', term: 'ham', start: 4});
        expect(at('see ~off-to')).toEqual({kind: 'channel', term: 'off-to', start: 4});
        expect(at('nice :ta')).toEqual({kind: 'emoji', term: 'ta', start: 5});
        expect(at('(@ham')).toEqual({kind: 'user', term: 'ham', start: 1});
        expect(at('@')).toEqual({kind: 'user', term: '', start: 0});
    });

    it('leaves e-mail addresses, times and short colons alone', () => {
        expect(at('mail me at a@b')).toBeNull();
        expect(at('at 10:30')).toBeNull();
        expect(at('hi :)')).toBeNull();
        expect(at('hi :t')).toBeNull();
        expect(at('@ham and more')).toBeNull();
        expect(at('')).toBeNull();
    });

    it('offers commands only for the first word of the message', () => {
        expect(at('/aw')).toEqual({kind: 'command', term: 'aw', start: 0});
        expect(at('/')).toEqual({kind: 'command', term: '', start: 0});
        expect(at('/away now')).toBeNull();
        expect(at('say /away')).toBeNull();
        expect(at('//away')).toBeNull();
    });

    it('looks at the text before the caret, not after it', () => {
        expect(findTrigger('@ham is here', 4)).toEqual({kind: 'user', term: 'ham', start: 0});
        expect(findTrigger('@ham is here', 5)).toBeNull();
    });
});

describe('picking a suggestion', () => {
    it('replaces the typed word and adds a space', () => {
        const text = 'ask @ha';
        expect(applyPick(text, text.length, at(text)!, '@hamlet')).toEqual({text: 'ask @hamlet ', caret: 12});
    });

    it('keeps the text after the caret, without doubling a space', () => {
        const text = 'ask @ha about it';
        const trigger = findTrigger(text, 7)!;
        expect(applyPick(text, 7, trigger, '@hamlet')).toEqual({text: 'ask @hamlet about it', caret: 12});
    });

    it('inserts emoji and commands as typed by hand', () => {
        const text = 'party :ta';
        expect(applyPick(text, text.length, at(text)!, ':tada:').text).toBe('party :tada: ');
        expect(applyPick('/aw', 3, at('/aw')!, commandInsert('away')).text).toBe('/away ');
        expect(commandInsert('/away')).toBe('/away');
    });

    it('offers @here, @channel and @all by their start', () => {
        expect(specialMentions('')).toEqual(['here', 'channel', 'all']);
        expect(specialMentions('ch')).toEqual(['channel']);
        expect(specialMentions('x')).toEqual([]);
    });
});
