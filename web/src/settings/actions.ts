// What the settings screens ask of the server: profile patches, password changes and
// preferences, each folded into the store as the server answers.
import type {PreferenceType} from '@mattermost/types/preferences';
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {store} from '../store/state';
import {DISPLAY, THEME, preferenceKey, receivePreferences, removePreferences} from './preferences';
import {themeValue} from './theme';

function myId(): string {
    return store.get().me!.id;
}

export function receiveMe(user: UserProfile): void {
    store.update((state) => ({...state, me: user, users: {...state.users, [user.id]: user}}));
}

export async function patchProfile(patch: Partial<UserProfile>): Promise<UserProfile> {
    const user = await client.patchMe(patch);
    receiveMe(user);
    return user;
}

export async function changePassword(current: string, next: string): Promise<void> {
    await client.updateUserPassword(myId(), current, next);
}

export async function savePreferences(items: {category: string; name: string; value: string}[]): Promise<void> {
    const userId = myId();
    const preferences: PreferenceType[] = items.map((item) => ({...item, user_id: userId}));
    const before = store.get().preferences;
    // Applied at once, so the page changes as the person clicks; undone if the server refuses.
    store.update((state) => receivePreferences(state, preferences));
    try {
        await client.savePreferences(userId, preferences);
    } catch (error) {
        store.update((state) => ({...state, preferences: before}));
        throw error;
    }
}

/** Whether the server mails notifications at all, and whether it can gather them into batches. */
export async function emailNotificationOptions(): Promise<{send: boolean; batching: boolean}> {
    const config = await client.getClientConfig();
    return {send: config.SendEmailNotifications === 'true', batching: config.EnableEmailBatching === 'true'};
}

export function saveDisplaySetting(name: string, value: string): Promise<void> {
    return savePreferences([{category: DISPLAY, name, value}]);
}

/** One theme for all teams, as Mattermost's "apply to all teams": team-specific ones go. */
export async function saveTheme(choice: 'light' | 'dark' | 'system'): Promise<void> {
    const userId = myId();
    const value = themeValue(choice);
    const state = store.get();
    const stale = Object.keys(state.preferences)
        .filter((key) => key.startsWith(`${THEME}:`) && (value === undefined || key !== preferenceKey(THEME, '')))
        .map((key) => ({user_id: userId, category: THEME, name: key.slice(THEME.length + 1), value: ''}));
    if (value !== undefined) {
        await savePreferences([{category: THEME, name: '', value}]);
    }
    if (stale.length > 0) {
        store.update((s) => removePreferences(s, stale));
        await client.deletePreferences(userId, stale);
    }
}

export async function loadPreferences(): Promise<void> {
    const preferences = (await client.getMyPreferences()) as unknown as PreferenceType[];
    store.update((state) => receivePreferences({...state, preferences: {}}, preferences));
}

/** The browser's time zone, which "automatic" follows. */
export function browserTimeZone(): string {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Mattermost's clients keep `automaticTimezone` up to date with where the user is. */
export async function updateAutomaticTimeZone(): Promise<void> {
    const me = store.get().me;
    const zone = browserTimeZone();
    if (me && me.timezone?.useAutomaticTimezone !== 'false' && me.timezone?.automaticTimezone !== zone) {
        await patchProfile({timezone: {useAutomaticTimezone: 'true', automaticTimezone: zone, manualTimezone: me.timezone?.manualTimezone ?? ''}});
    }
}
