import {describe, expect, it} from 'vitest';

import {channelWideMention} from './channelWide';

describe('a channel-wide mention', () => {
    it('is found at the start, after punctuation and in any case', () => {
        expect(channelWideMention('@channel meeting now')).toBe('@channel');
        expect(channelWideMention('hi (@ALL), lunch?')).toBe('@all');
        expect(channelWideMention('anyone @here?')).toBe('@here');
    });
    it('is not a longer name, an address or inside code', () => {
        expect(channelWideMention('ask @channels or @here-team')).toBeNull();
        expect(channelWideMention('mail bob@all.example.org')).toBeNull();
        expect(channelWideMention('type `@channel` to notify')).toBeNull();
        expect(channelWideMention('```\n@all\n```')).toBeNull();
    });
});
