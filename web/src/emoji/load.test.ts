import {describe, expect, it, vi} from 'vitest';

import type {CustomEmoji} from '@mattermost/types/emojis';

const server = vi.hoisted(() => ({emoji: [] as CustomEmoji[]}));
vi.mock('../api/client', () => ({
    client: {
        getCustomEmojis: (page: number) => Promise.resolve(page === 0 ? server.emoji : []),
        getCustomEmojiImageUrl: (id: string) => `/api/v4/emoji/${id}/image`,
    },
    errorStatus: () => 0,
}));

import {customEmoji, loadCustomEmoji, receiveCustomEmoji, resolveEmoji} from './load';

function emoji(id: string, name: string): CustomEmoji {
    return {id, name, creator_id: 'hamlet', create_at: 1, update_at: 1, delete_at: 0, category: 'custom'};
}

describe('custom emoji', () => {
    it('are listed once when first needed, and one made later is known at once from its event', async () => {
        // Heard before anything asked for the list: nothing to add it to; the server's list,
        // when it is asked for, has it.
        receiveCustomEmoji(emoji('e0', 'early'));
        expect(customEmoji().size).toBe(0);
        server.emoji = [emoji('e0', 'early'), emoji('e1', 'skull')];
        await loadCustomEmoji();
        expect([...customEmoji().keys()]).toEqual(['early', 'skull']);

        receiveCustomEmoji(emoji('e2', 'yorick'));
        await loadCustomEmoji();
        expect(resolveEmoji('yorick')).toEqual({imageUrl: '/api/v4/emoji/e2/image'});
        expect([...customEmoji().keys()]).toEqual(['early', 'skull', 'yorick']);
    });
});
