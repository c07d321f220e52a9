import {describe, expect, it} from 'vitest';

import {MAX_RECENT, parseRecent, parseSkinTone, recentOrder, withRecent} from './recent';

describe('recently used emoji', () => {
    it('reads Mattermost\'s preference value, old plain lists included, and survives junk', () => {
        expect(parseRecent('[{"name":"tada","usageCount":3}]')).toEqual([{name: 'tada', usageCount: 3}]);
        expect(parseRecent('["smile","tada"]')).toEqual([{name: 'smile', usageCount: 1}, {name: 'tada', usageCount: 1}]);
        expect(parseRecent('not json')).toEqual([]);
        expect(parseRecent('{"name":"x"}')).toEqual([]);
        expect(parseRecent(undefined)).toEqual([]);
    });

    it('counts a use and moves the emoji to the newest end', () => {
        let list = withRecent([], 'tada');
        list = withRecent(list, 'smile');
        list = withRecent(list, 'tada');
        expect(list).toEqual([{name: 'smile', usageCount: 1}, {name: 'tada', usageCount: 2}]);
    });

    it('keeps at most the newest few', () => {
        let list = withRecent([], 'first');
        for (let i = 0; i < MAX_RECENT; i++) {
            list = withRecent(list, `e${i}`);
        }
        expect(list).toHaveLength(MAX_RECENT);
        expect(list.map((item) => item.name)).not.toContain('first');
    });

    it('shows the most used first, and the newest among equals', () => {
        const list = [{name: 'a', usageCount: 1}, {name: 'b', usageCount: 3}, {name: 'c', usageCount: 1}];
        expect(recentOrder(list)).toEqual(['b', 'c', 'a']);
    });

    it('reads the skin tone preference', () => {
        expect(parseSkinTone('default')).toBe(0);
        expect(parseSkinTone('1F3FB')).toBe(1);
        expect(parseSkinTone('1f3ff')).toBe(5);
        expect(parseSkinTone(undefined)).toBe(0);
    });
});
