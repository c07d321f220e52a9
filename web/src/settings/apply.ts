// Keeps the page in step with the signed-in user's settings, whichever app changed them:
// theme, clock and time zone, density, language; and reloads the open channel when collapsed
// reply threads are switched (replies then show in the channel, or only in their threads).
import {useEffect} from 'react';

import type {UserProfile} from '@mattermost/types/users';

import {getLocale, setClock, setLocale, type Messages} from '../i18n/i18n';
import {openChannel} from '../store/actions';
import {store, type State} from '../store/state';
import {updateAutomaticTimeZone} from './actions';
import {displaySettings} from './preferences';
import {applyTheme, cachedTheme, forgetCachedTheme, onDesktopDarkModeChange, storedTheme, systemPrefersDark, type StoredTheme} from './theme';

// Every translation but English (which is built in) loads only when someone picks it. English's
// generated part (the System Console's help texts) is English, not a language of its own.
const translations = import.meta.glob<{default: Messages}>(['../i18n/messages/*.ts', '!../i18n/messages/en.ts', '!../i18n/messages/*.generated.ts']);

function localeOfPath(path: string): string {
    return path.slice(path.lastIndexOf('/') + 1, -'.ts'.length);
}

/** The languages the client can show: English and every file in i18n/messages/. */
export function availableLocales(): string[] {
    return ['en', ...Object.keys(translations).map(localeOfPath)];
}

/** The available language closest to a user's `locale` ("pt-BR" falls back to "pt", then English). */
export function matchLocale(wanted: string, available: string[] = availableLocales()): string {
    const tag = wanted.replace('_', '-');
    return available.find((l) => l.toLowerCase() === tag.toLowerCase())
        ?? available.find((l) => l.toLowerCase() === tag.split('-')[0].toLowerCase())
        ?? 'en';
}

let loadingLocale = '';

async function showLanguage(wanted: string): Promise<void> {
    const locale = matchLocale(wanted);
    if (locale === getLocale() || locale === loadingLocale) {
        return;
    }
    loadingLocale = locale;
    const path = Object.keys(translations).find((p) => localeOfPath(p) === locale);
    const messages = path ? (await translations[path]()).default : {};
    if (loadingLocale === locale) {
        setLocale(locale, messages);
        loadingLocale = '';
    }
}

function timeZoneOf(me: UserProfile | null): string | undefined {
    const zone = me?.timezone;
    if (!zone) {
        return undefined;
    }
    return zone.useAutomaticTimezone === 'false' ? zone.manualTimezone || undefined : zone.automaticTimezone || undefined;
}

let applied: {theme: string; collapsed: boolean | undefined; system: boolean} = {theme: '', collapsed: undefined, system: false};

let seen: unknown[] = [];
let zoneCheckedFor = '';

function apply(state: State, force = false): void {
    const system = systemPrefersDark();
    // Most store changes are posts and counts: nothing here depends on them.
    const inputs = [state.session, state.preferences, state.me, state.view.teamId, system];
    if (!force && inputs.every((value, i) => value === seen[i])) {
        return;
    }
    if (seen[0] === 'signed-in' && state.session === 'signed-out') {
        forgetCachedTheme();
    }
    seen = inputs;
    const theme: StoredTheme = state.session === 'signed-in' ? storedTheme(state, state.view.teamId) : cachedTheme();
    const themeKey = JSON.stringify(theme);
    if (themeKey !== applied.theme || system !== applied.system) {
        applyTheme(theme, system);
    }
    applied = {...applied, theme: themeKey, system};
    if (state.session !== 'signed-in') {
        applied.collapsed = undefined;
        return;
    }
    if (state.me && zoneCheckedFor !== state.me.id) {
        zoneCheckedFor = state.me.id;
        updateAutomaticTimeZone().catch(console.error);
    }
    const display = displaySettings(state);
    setClock({militaryTime: display.militaryTime, timeZone: timeZoneOf(state.me)});
    document.documentElement.dataset.density = display.density;
    if (state.me?.locale) {
        showLanguage(state.me.locale).catch(console.error);
    }
    if (applied.collapsed !== undefined && applied.collapsed !== display.collapsedThreads) {
        reloadChannels();
    }
    applied.collapsed = display.collapsedThreads;
}

// Loaded channels hold roots only, or roots and replies: switching between the two starts over.
function reloadChannels(): void {
    store.update((state) => ({...state, channelPosts: {}}));
    const {channelId} = store.get().view;
    if (channelId) {
        openChannel(channelId).catch(console.error);
    }
}

/** Paints the cached theme at once, then follows the store and the system's colour scheme. */
export function useAppliedSettings(): void {
    useEffect(() => {
        apply(store.get(), true);
        const unsubscribe = store.subscribe(() => apply(store.get()));
        const media = typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : undefined;
        const onSystemChange = () => apply(store.get(), true);
        media?.addEventListener('change', onSystemChange);
        const offDesktop = onDesktopDarkModeChange(onSystemChange);
        return () => {
            unsubscribe();
            offDesktop();
            media?.removeEventListener('change', onSystemChange);
        };
    }, []);
}

/** Before React renders: the theme the user had last time, so nothing flashes. */
export function applyCachedTheme(): void {
    applyTheme(cachedTheme(), systemPrefersDark());
}
