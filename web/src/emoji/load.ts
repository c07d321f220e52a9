// What the first page knows about emoji: a handful of common ones (markdown/emoji.ts), the full
// standard table once something asks for it (a dynamic import, kept out of the first bundle),
// and the server's custom emoji, listed once when first needed.
import {useSyncExternalStore} from 'react';

import type {CustomEmoji} from '@mattermost/types/emojis';

import {client, errorStatus} from '../api/client';
import {EMOJI} from '../markdown/emoji';

export type EmojiTable = typeof import('./table');

let table: EmojiTable | null = null;
let tableLoading: Promise<EmojiTable> | null = null;
let custom: Map<string, CustomEmoji> | null = null;
let customLoading: Promise<Map<string, CustomEmoji>> | null = null;
// Bumped whenever something new is known, so components that drew a :name: draw it again.
let version = 0;
const listeners = new Set<() => void>();

function changed(): void {
    version++;
    listeners.forEach((listener) => listener());
}

export function loadEmojiTable(): Promise<EmojiTable> {
    tableLoading ??= import('./table').then((loaded) => {
        table = loaded;
        changed();
        return loaded;
    });
    return tableLoading;
}

const CUSTOM_PAGE = 200;

/** The server's custom emoji by name; none where the server has no custom emoji API. */
export function loadCustomEmoji(): Promise<Map<string, CustomEmoji>> {
    customLoading ??= (async () => {
        const found = new Map<string, CustomEmoji>();
        try {
            for (let page = 0; ; page++) {
                const batch = await client.getCustomEmojis(page, CUSTOM_PAGE, 'name');
                batch.forEach((emoji) => found.set(emoji.name, emoji));
                if (batch.length < CUSTOM_PAGE) {
                    break;
                }
            }
        } catch (error) {
            // 404/501: this server keeps no custom emoji. Anything else is worth a log line.
            const status = errorStatus(error);
            if (status !== 404 && status !== 501 && status !== 403) {
                console.error(error);
            }
        }
        custom = found;
        changed();
        return found;
    })();
    return customLoading;
}

/** A custom emoji someone just made (the emoji_added event): drawn and offered at once where the
 * list is loaded or loading; a list not asked for yet will have it when it is. */
export function receiveCustomEmoji(emoji: CustomEmoji): void {
    void customLoading?.then((found) => {
        if (found.get(emoji.name)?.id !== emoji.id) {
            found.set(emoji.name, emoji);
            changed();
        }
    });
}

export function customEmoji(): ReadonlyMap<string, CustomEmoji> {
    return custom ?? new Map();
}

export type Resolved = {glyph: string} | {imageUrl: string} | null;

/** How to draw :name:, with what is loaded so far; undefined means "not known yet". */
export function resolveEmoji(name: string): Resolved | undefined {
    const glyph = EMOJI[name] ?? table?.glyphFor(name);
    if (glyph) {
        return {glyph};
    }
    const own = custom?.get(name);
    if (own) {
        return {imageUrl: client.getCustomEmojiImageUrl(own.id)};
    }
    return table && custom ? null : undefined;
}

/** Starts loading whatever could still name this emoji. */
export function lookUpEmoji(): void {
    if (!table) {
        void loadEmojiTable();
    } else if (!custom) {
        void loadCustomEmoji();
    }
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Re-renders the caller when more emoji become known. */
export function useEmojiVersion(): number {
    return useSyncExternalStore(subscribe, () => version);
}
