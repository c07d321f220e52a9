// The user's display settings, kept where Mattermost keeps them: preferences of the category
// `display_settings` (and `theme`), so the mobile and desktop apps show the same choices.
import type {PreferenceType} from '@mattermost/types/preferences';
import type {UserProfile} from '@mattermost/types/users';

import type {State} from '../store/state';

type WithPreferences = Pick<State, 'preferences'>;

export const DISPLAY = 'display_settings';
export const THEME = 'theme';
export const MILITARY_TIME = 'use_military_time';
export const COLLAPSED_THREADS = 'collapsed_reply_threads';
export const MESSAGE_DISPLAY = 'message_display';
export const NAME_FORMAT = 'name_format';
/** Mattermost's "Website Link Previews": "false" hides every preview for this user. */
export const LINK_PREVIEWS = 'link_previews';

// How often notification mails go: seconds, as Mattermost's `email_interval` preference.
export const NOTIFICATIONS = 'notifications';
export const EMAIL_INTERVAL = 'email_interval';
export const EMAIL_IMMEDIATELY = '30';
export const EMAIL_FIFTEEN_MINUTES = '900';
export const EMAIL_HOURLY = '3600';

export type NameFormat = 'username' | 'nickname_full_name' | 'full_name';
export type Density = 'clean' | 'compact';

export interface DisplaySettings {
    /** Undefined: the language's own clock (12- or 24-hour). */
    militaryTime: boolean | undefined;
    collapsedThreads: boolean;
    density: Density;
    nameFormat: NameFormat;
    linkPreviews: boolean;
}

export function preferenceKey(category: string, name: string): string {
    return `${category}:${name}`;
}

export function preference(state: WithPreferences, category: string, name: string): string | undefined {
    return state.preferences[preferenceKey(category, name)];
}

export function receivePreferences(state: State, preferences: PreferenceType[]): State {
    if (preferences.length === 0) {
        return state;
    }
    const next = {...state.preferences};
    for (const item of preferences) {
        next[preferenceKey(item.category, item.name)] = item.value;
    }
    return {...state, preferences: next};
}

export function removePreferences(state: State, preferences: Pick<PreferenceType, 'category' | 'name'>[]): State {
    const next = {...state.preferences};
    for (const item of preferences) {
        delete next[preferenceKey(item.category, item.name)];
    }
    return {...state, preferences: next};
}

const NAME_FORMATS: NameFormat[] = ['username', 'nickname_full_name', 'full_name'];

/** Mattermost's defaults where the user chose nothing: collapsed threads on (as the server's
 * config says "default_on"), standard density, usernames. */
export function displaySettings(state: WithPreferences): DisplaySettings {
    const military = preference(state, DISPLAY, MILITARY_TIME);
    const format = preference(state, DISPLAY, NAME_FORMAT) as NameFormat | undefined;
    return {
        militaryTime: military === undefined ? undefined : military === 'true',
        collapsedThreads: preference(state, DISPLAY, COLLAPSED_THREADS) !== 'off',
        density: preference(state, DISPLAY, MESSAGE_DISPLAY) === 'compact' ? 'compact' : 'clean',
        nameFormat: format && NAME_FORMATS.includes(format) ? format : 'username',
        linkPreviews: showsLinkPreviews(state),
    };
}

/** On unless the user turned link previews off (Mattermost's default). */
export function showsLinkPreviews(state: WithPreferences): boolean {
    return preference(state, DISPLAY, LINK_PREVIEWS) !== 'false';
}

export function isCollapsedThreads(state: WithPreferences): boolean {
    return preference(state, DISPLAY, COLLAPSED_THREADS) !== 'off';
}

export function nameFormatOf(state: WithPreferences): NameFormat {
    return displaySettings(state).nameFormat;
}

export function fullName(user: Pick<UserProfile, 'first_name' | 'last_name'>): string {
    return [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
}

/** A person's name as the reader chose to see names, falling back to the username. */
export function formatName(user: UserProfile | undefined, format: NameFormat): string {
    if (!user) {
        return '…';
    }
    switch (format) {
    case 'full_name':
        return fullName(user) || user.username;
    case 'nickname_full_name':
        return user.nickname || fullName(user) || user.username;
    default:
        return user.username;
    }
}
