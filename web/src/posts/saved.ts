// Saved ("flagged") posts, kept where Mattermost keeps them: one preference per post, category
// "flagged_post", name the post id, value "true"; so the list is the same in Mattermost's apps.
import {useEffect, useSyncExternalStore} from 'react';

import type {PreferenceType} from '@mattermost/types/preferences';

import {client, socket} from '../api/client';
import {store} from '../store/state';

export const SAVED_CATEGORY = 'flagged_post';

let saved = new Set<string>();
let loadedFor = '';
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: Set<string>): void {
    saved = next;
    listeners.forEach((listener) => listener());
}

/** Folds preferences (a full load, or a change event) into the saved set. */
export function applySavedPreferences(current: ReadonlySet<string>, preferences: PreferenceType[], removed = false): Set<string> {
    const next = new Set(current);
    for (const preference of preferences) {
        if (preference.category !== SAVED_CATEGORY) {
            continue;
        }
        if (removed || preference.value !== 'true') {
            next.delete(preference.name);
        } else {
            next.add(preference.name);
        }
    }
    return next;
}

let listening = false;

function listen(): void {
    if (listening) {
        return;
    }
    listening = true;
    socket.addMessageListener((message) => {
        const event = message.event as string;
        if ((event === 'preferences_changed' || event === 'preferences_deleted') && loadedFor) {
            const raw = (message.data as {preferences?: string}).preferences;
            set(applySavedPreferences(saved, raw ? JSON.parse(raw) as PreferenceType[] : [], event === 'preferences_deleted'));
        }
    });
}

export function loadSavedPosts(userId: string): Promise<void> {
    listen();
    if (loadedFor !== userId) {
        loadedFor = userId;
        saved = new Set();
        loading = client.getMyPreferences().then(
            (preferences) => set(applySavedPreferences(new Set(), preferences as unknown as PreferenceType[])),
            (error) => console.error(error),
        );
    }
    return loading!;
}

export async function setSaved(postId: string, on: boolean): Promise<void> {
    const me = store.get().me!;
    const preference = {user_id: me.id, category: SAVED_CATEGORY, name: postId, value: 'true'};
    const before = saved;
    set(applySavedPreferences(saved, [preference], !on));
    try {
        await (on ? client.savePreferences(me.id, [preference]) : client.deletePreferences(me.id, [preference]));
    } catch (error) {
        set(before);
        throw error;
    }
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Whether the reader saved this post; loads the saved list on first use. */
export function useSaved(postId: string): boolean {
    const myId = store.get().me?.id ?? '';
    useEffect(() => {
        if (myId) {
            void loadSavedPosts(myId);
        }
    }, [myId]);
    return useSyncExternalStore(subscribe, () => saved.has(postId));
}
