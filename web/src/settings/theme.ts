// Themes as Mattermost stores them: a JSON object of colours in the preference `theme` (name: a
// team id, or '' for all teams). Ours are a light and a dark one, applied through the CSS
// custom properties in styles.css (`data-theme` on <html>); no stored theme means "follow the
// system" (prefers-color-scheme). A theme chosen in another Mattermost app still applies: its
// colours become the same custom properties.
import type {State} from '../store/state';
import {THEME, preference} from './preferences';

export type ThemeChoice = 'light' | 'dark' | 'system' | 'custom';

/** The colour keys of Mattermost's theme JSON that we read and write. */
export interface Theme {
    type: string;
    sidebarBg: string;
    sidebarText: string;
    sidebarUnreadText: string;
    sidebarTextHoverBg: string;
    sidebarTextActiveBorder: string;
    sidebarTextActiveColor: string;
    sidebarHeaderBg: string;
    sidebarTeamBarBg: string;
    sidebarHeaderTextColor: string;
    onlineIndicator: string;
    awayIndicator: string;
    dndIndicator: string;
    mentionBg: string;
    mentionBj: string;
    mentionColor: string;
    centerChannelBg: string;
    centerChannelColor: string;
    newMessageSeparator: string;
    linkColor: string;
    buttonBg: string;
    buttonColor: string;
    errorTextColor: string;
    mentionHighlightBg: string;
    mentionHighlightLink: string;
    codeTheme: string;
}

const SHARED = {
    onlineIndicator: '#2f9e44',
    awayIndicator: '#f08c00',
    dndIndicator: '#e03131',
    mentionBg: '#d6336c',
    mentionBj: '#d6336c',
    mentionColor: '#ffffff',
    newMessageSeparator: '#d6336c',
    buttonColor: '#ffffff',
};

// The same colours as styles.css, which is what the browser paints before any script runs.
export const LIGHT_THEME: Theme = {
    ...SHARED,
    type: 'Villagepump Light',
    sidebarBg: '#1f2a37',
    sidebarText: '#9aa7b6',
    sidebarUnreadText: '#dde3ea',
    sidebarTextHoverBg: '#2b3542',
    sidebarTextActiveBorder: '#3fa37f',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#1f2a37',
    sidebarTeamBarBg: '#18212c',
    sidebarHeaderTextColor: '#dde3ea',
    centerChannelBg: '#ffffff',
    centerChannelColor: '#1d2125',
    linkColor: '#1e6b52',
    buttonBg: '#1e6b52',
    errorTextColor: '#c92a2a',
    mentionHighlightBg: '#fff3c4',
    mentionHighlightLink: '#1e6b52',
    codeTheme: 'github',
};

export const DARK_THEME: Theme = {
    ...SHARED,
    type: 'Villagepump Dark',
    sidebarBg: '#111418',
    sidebarText: '#8794a3',
    sidebarUnreadText: '#d6dce3',
    sidebarTextHoverBg: '#1c2127',
    sidebarTextActiveBorder: '#3fa37f',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#111418',
    sidebarTeamBarBg: '#0b0d10',
    sidebarHeaderTextColor: '#d6dce3',
    centerChannelBg: '#17191c',
    centerChannelColor: '#e6e8eb',
    linkColor: '#3fa37f',
    buttonBg: '#3fa37f',
    errorTextColor: '#ff6b6b',
    mentionHighlightBg: '#4a3f12',
    mentionHighlightLink: '#3fa37f',
    codeTheme: 'monokai',
};

export interface StoredTheme {
    choice: ThemeChoice;
    /** Only for 'custom': the colours another app stored. */
    theme?: Partial<Theme>;
}

/** The theme for a team: its own if one is stored, else the one for all teams. */
export function storedTheme(state: State, teamId: string): StoredTheme {
    const raw = (teamId ? preference(state, THEME, teamId) : undefined) ?? preference(state, THEME, '');
    return parseTheme(raw);
}

export function parseTheme(raw: string | undefined): StoredTheme {
    if (!raw) {
        return {choice: 'system'};
    }
    let theme: Partial<Theme>;
    try {
        theme = JSON.parse(raw) as Partial<Theme>;
    } catch {
        return {choice: 'system'};
    }
    if (!theme || typeof theme !== 'object' || Array.isArray(theme)) {
        return {choice: 'system'};
    }
    if (theme.type === LIGHT_THEME.type) {
        return {choice: 'light'};
    }
    if (theme.type === DARK_THEME.type) {
        return {choice: 'dark'};
    }
    return {choice: 'custom', theme};
}

const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

function colour(value: unknown): string | undefined {
    if (typeof value !== 'string') {
        return undefined;
    }
    // Mattermost's themes hold hex and rgba() colours; nothing else reaches a style sheet.
    return HEX.test(value) || /^rgba?\(\s*[\d.]+\s*,\s*[\d.]+\s*,\s*[\d.]+\s*(,\s*[\d.]+\s*)?\)$/.test(value) ? value : undefined;
}

/** Relative luminance of a hex colour, 0 (black) to 1 (white); 1 when it cannot be read. */
export function luminance(hex: string): number {
    const match = HEX.exec(hex);
    if (!match) {
        return 1;
    }
    const digits = match[1].length === 3 ? [...match[1]].map((d) => d + d).join('') : match[1];
    const [r, g, b] = [0, 2, 4].map((i) => {
        const c = parseInt(digits.slice(i, i + 2), 16) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Whether a theme has a dark message area (decides the base palette and `color-scheme`). */
export function isDark(theme: Partial<Theme>): boolean {
    return luminance(colour(theme.centerChannelBg) ?? '#ffffff') < 0.3;
}

/** A theme's colours as our custom properties. Unreadable colours are left out, so the base
 * palette shows through. */
export function themeVariables(theme: Partial<Theme>): Record<string, string> {
    const pairs: [string, unknown][] = [
        ['--bg', theme.centerChannelBg],
        ['--fg', theme.centerChannelColor],
        ['--bg-sidebar', theme.sidebarBg],
        ['--fg-sidebar', theme.sidebarUnreadText],
        ['--fg-sidebar-soft', theme.sidebarText],
        ['--accent', theme.buttonBg],
        ['--accent-fg', theme.buttonColor],
        ['--link', theme.linkColor],
        ['--badge', theme.mentionBg],
        ['--mention-bg', theme.mentionHighlightBg],
        ['--danger', theme.errorTextColor],
        ['--online', theme.onlineIndicator],
        ['--away', theme.awayIndicator],
        ['--dnd', theme.dndIndicator],
    ];
    const variables: Record<string, string> = {};
    for (const [name, value] of pairs) {
        const checked = colour(value);
        if (checked) {
            variables[name] = checked;
        }
    }
    if (variables['--bg'] && variables['--fg']) {
        variables['--bg-soft'] = `color-mix(in srgb, ${variables['--fg']} 5%, ${variables['--bg']})`;
        variables['--fg-soft'] = `color-mix(in srgb, ${variables['--fg']} 64%, ${variables['--bg']})`;
        variables['--border'] = `color-mix(in srgb, ${variables['--fg']} 14%, ${variables['--bg']})`;
    }
    return variables;
}

/** The light or dark palette a choice paints now (for "system", what the system prefers). */
export function effectiveScheme(stored: StoredTheme, systemDark: boolean): 'light' | 'dark' {
    switch (stored.choice) {
    case 'light':
        return 'light';
    case 'dark':
        return 'dark';
    case 'custom':
        return isDark(stored.theme ?? {}) ? 'dark' : 'light';
    default:
        return systemDark ? 'dark' : 'light';
    }
}

/** The JSON to store for a choice; undefined for "system" (the preference is deleted). */
export function themeValue(choice: 'light' | 'dark' | 'system'): string | undefined {
    if (choice === 'system') {
        return undefined;
    }
    return JSON.stringify(choice === 'dark' ? DARK_THEME : LIGHT_THEME);
}

const CACHE_KEY = 'villagepump.theme';
let appliedVariables: string[] = [];

/** Paints the page: `data-theme` picks the palette, a custom theme's colours go on top. */
export function applyTheme(stored: StoredTheme, systemDark: boolean, root: HTMLElement = document.documentElement): void {
    const scheme = effectiveScheme(stored, systemDark);
    root.dataset.theme = scheme;
    root.style.colorScheme = scheme;
    for (const name of appliedVariables) {
        root.style.removeProperty(name);
    }
    appliedVariables = [];
    if (stored.choice === 'custom' && stored.theme) {
        for (const [name, value] of Object.entries(themeVariables(stored.theme))) {
            root.style.setProperty(name, value);
            appliedVariables.push(name);
        }
    }
    try {
        // Read back at the next start, before the preferences arrive, so a dark page does not
        // flash white on reload.
        localStorage.setItem(CACHE_KEY, JSON.stringify(stored));
    } catch {
        // Storage may be off (private windows); the theme still applies.
    }
}

export function cachedTheme(): StoredTheme {
    try {
        const stored = JSON.parse(localStorage.getItem(CACHE_KEY) ?? 'null') as StoredTheme | null;
        if (stored && ['light', 'dark', 'system', 'custom'].includes(stored.choice)) {
            return stored;
        }
    } catch {
        // Fall through to the default.
    }
    return {choice: 'system'};
}

/** At sign-out: the next person at this browser gets the system's colours, not ours. */
export function forgetCachedTheme(): void {
    try {
        localStorage.removeItem(CACHE_KEY);
    } catch {
        // Nothing was stored.
    }
}

// Inside the desktop app, its own dark-mode signal (window.desktopAPI getDarkMode and
// onDarkModeChanged, set by desktop/shell.ts) is what "follow the system" follows: it is the
// app's setting, which the page's media query need not reflect.
let desktopDarkMode: boolean | null = null;
const desktopDarkModeListeners = new Set<() => void>();

export function setDesktopDarkMode(dark: boolean | null): void {
    if (dark === desktopDarkMode) {
        return;
    }
    desktopDarkMode = dark;
    desktopDarkModeListeners.forEach((listener) => listener());
}

export function onDesktopDarkModeChange(listener: () => void): () => void {
    desktopDarkModeListeners.add(listener);
    return () => desktopDarkModeListeners.delete(listener);
}

export function systemPrefersDark(): boolean {
    if (desktopDarkMode !== null) {
        return desktopDarkMode;
    }
    return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}
