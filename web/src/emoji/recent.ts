// The emoji a person used lately and their skin tone, kept where Mattermost keeps them, in
// preferences, so they follow the person to every device and to Mattermost's own apps:
// category "recent_emojis" (name: the user id, value: JSON [{name, usageCount}], newest last)
// and category "emoji", name "emoji_skintone" (value "default" or a tone's code, e.g. "1F3FB").
import {useSyncExternalStore} from 'react';

import type {PreferenceType} from '@mattermost/types/preferences';

import {client, socket} from '../api/client';
import {TONE_CODES_LIST} from './tones';

export const RECENT_CATEGORY = 'recent_emojis';
export const EMOJI_CATEGORY = 'emoji';
export const SKIN_TONE_NAME = 'emoji_skintone';
export const MAX_RECENT = 27;

export interface RecentEmoji {
    name: string;
    usageCount: number;
}

/** Reads the preference's value; older Mattermost versions stored a plain list of names. */
export function parseRecent(value: string | undefined): RecentEmoji[] {
    if (!value) {
        return [];
    }
    try {
        const parsed: unknown = JSON.parse(value);
        if (!Array.isArray(parsed)) {
            return [];
        }
        return parsed.flatMap((item): RecentEmoji[] => {
            if (typeof item === 'string') {
                return [{name: item, usageCount: 1}];
            }
            if (item && typeof item.name === 'string') {
                return [{name: item.name, usageCount: Number(item.usageCount) || 1}];
            }
            return [];
        });
    } catch {
        return [];
    }
}

/** The list after using `name` once more: it moves to the end (newest), the oldest fall off. */
export function withRecent(list: RecentEmoji[], name: string): RecentEmoji[] {
    const previous = list.find((item) => item.name === name);
    const others = list.filter((item) => item.name !== name);
    return [...others, {name, usageCount: (previous?.usageCount ?? 0) + 1}].slice(-MAX_RECENT);
}

/** What the picker shows first: most used first, and among equals the newest first. */
export function recentOrder(list: RecentEmoji[]): string[] {
    return list
        .map((item, index) => ({...item, index}))
        .sort((a, b) => b.usageCount - a.usageCount || b.index - a.index)
        .map((item) => item.name);
}

/** 0 for no tone, 1..5 light to dark, from the preference's value. */
export function parseSkinTone(value: string | undefined): number {
    return value ? TONE_CODES_LIST.indexOf(value.toUpperCase()) + 1 : 0;
}

interface EmojiPreferences {
    userId: string;
    recent: RecentEmoji[];
    skinTone: number;
}

let current: EmojiPreferences = {userId: '', recent: [], skinTone: 0};
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: EmojiPreferences): void {
    current = next;
    listeners.forEach((listener) => listener());
}

function apply(userId: string, preferences: PreferenceType[]): void {
    let next = current.userId === userId ? current : {userId, recent: [], skinTone: 0};
    for (const preference of preferences) {
        if (preference.user_id && preference.user_id !== userId) {
            continue;
        }
        if (preference.category === RECENT_CATEGORY && preference.name === userId) {
            next = {...next, recent: parseRecent(preference.value)};
        } else if (preference.category === EMOJI_CATEGORY && preference.name === SKIN_TONE_NAME) {
            next = {...next, skinTone: parseSkinTone(preference.value)};
        }
    }
    set(next);
}

let listening = false;

/** Loads the two preferences once per person, and follows changes made on other devices. */
export function loadEmojiPreferences(userId: string): Promise<void> {
    if (!listening) {
        listening = true;
        socket.addMessageListener((message) => {
            if (message.event === 'preferences_changed' && current.userId) {
                const raw = (message.data as {preferences?: string}).preferences;
                apply(current.userId, raw ? JSON.parse(raw) as PreferenceType[] : []);
            }
        });
    }
    if (current.userId !== userId) {
        loading = null;
    }
    loading ??= client.getMyPreferences().then(
        (preferences) => apply(userId, preferences as unknown as PreferenceType[]),
        (error) => console.error(error),
    );
    return loading;
}

export async function noteEmojiUsed(userId: string, name: string): Promise<void> {
    const recent = withRecent(current.userId === userId ? current.recent : [], name);
    set({...current, userId, recent});
    await client.savePreferences(userId, [{user_id: userId, category: RECENT_CATEGORY, name: userId, value: JSON.stringify(recent)}]);
}

export async function saveSkinTone(userId: string, tone: number): Promise<void> {
    set({...current, userId, skinTone: tone});
    const value = tone > 0 ? TONE_CODES_LIST[tone - 1] : 'default';
    await client.savePreferences(userId, [{user_id: userId, category: EMOJI_CATEGORY, name: SKIN_TONE_NAME, value}]);
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

export function useEmojiPreferences(): EmojiPreferences {
    return useSyncExternalStore(subscribe, () => current);
}
