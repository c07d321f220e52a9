// The one door for user-visible text. A language is one file in messages/ with the same keys as
// English; a missing key falls back to English, so a partial translation never shows an id.
import {useSyncExternalStore} from 'react';

import en from './messages/en';
import {format, type Values} from './format';

export type MessageId = keyof typeof en;
export type Messages = Partial<Record<MessageId, string>>;

// Right-to-left scripts mirror the layout (CSS logical properties do the rest).
const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'sd', 'ug', 'yi', 'ckb', 'dv']);

let locale = 'en';
let messages: Messages = en;
const listeners = new Set<() => void>();

/** How times read, from the user's settings: a 24-hour clock or not (undefined: as the
 * language does), and a time zone (undefined: the browser's). */
export interface Clock {
    militaryTime?: boolean;
    timeZone?: string;
}

let clock: Clock = {};
let formatting = 'en|';

function changed(): void {
    formatting = `${locale}|${clock.militaryTime ?? ''}|${clock.timeZone ?? ''}`;
    listeners.forEach((listener) => listener());
}

export function setClock(next: Clock): void {
    const timeZone = next.timeZone && isTimeZone(next.timeZone) ? next.timeZone : undefined;
    if (next.militaryTime === clock.militaryTime && timeZone === clock.timeZone) {
        return;
    }
    clock = {militaryTime: next.militaryTime, timeZone};
    changed();
}

export function isTimeZone(name: string): boolean {
    try {
        new Intl.DateTimeFormat('en', {timeZone: name});
        return true;
    } catch {
        return false;
    }
}

function clockOptions(): Intl.DateTimeFormatOptions {
    const options: Intl.DateTimeFormatOptions = {};
    if (clock.militaryTime !== undefined) {
        options.hourCycle = clock.militaryTime ? 'h23' : 'h12';
    }
    if (clock.timeZone) {
        options.timeZone = clock.timeZone;
    }
    return options;
}

/** A pseudo-locale (Chromium's name for it): English in brackets, laid out right to left, so a
 * string that skips t() or a rule that does not mirror shows at once. Chosen with
 * localStorage `villagepump.locale` = 'ar-XB' (tests and screenshots do). */
export const PSEUDO_RTL = 'ar-XB';
const LOCALE_OVERRIDE = 'villagepump.locale';

function pseudoMessages(): Messages {
    return Object.fromEntries(Object.entries(en).map(([id, text]) => [id, `[${text}]`]));
}

/** The pseudo-locale if one was chosen on this device; it wins over the account's language. */
export function localeOverride(): string | null {
    try {
        return window.localStorage.getItem(LOCALE_OVERRIDE) === PSEUDO_RTL ? PSEUDO_RTL : null;
    } catch {
        return null;
    }
}

export function setLocale(requested: string, translated: Messages = {}): void {
    const next = localeOverride() ?? requested;
    locale = next;
    messages = next === PSEUDO_RTL ? {...en, ...pseudoMessages()} : {...en, ...translated};
    document.documentElement.lang = next;
    document.documentElement.dir = isRightToLeft(next) ? 'rtl' : 'ltr';
    changed();
}

export function isRightToLeft(tag: string): boolean {
    return RTL_LANGUAGES.has(tag.toLowerCase().split(/[-_]/)[0]);
}

export function getLocale(): string {
    return locale;
}

export function t(id: MessageId, values: Values = {}): string {
    return format(messages[id] ?? en[id], values, locale);
}

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
}

/** Re-renders the caller when the language changes. */
export function useLocale(): string {
    return useSyncExternalStore(subscribe, getLocale);
}

/** Re-renders the caller when the language, the clock or the time zone changes. */
export function useFormatting(): string {
    return useSyncExternalStore(subscribe, () => formatting);
}

// Making a formatter costs far more than using one (each message shows two times), so one is
// kept per kind of date and per language, clock and time zone.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(kind: string, options: () => Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = `${kind}|${formatting}`;
    let found = dateFormats.get(key);
    if (!found) {
        found = new Intl.DateTimeFormat(locale, options());
        dateFormats.set(key, found);
    }
    return found;
}

export function formatTime(timestamp: number): string {
    return dateFormat('time', () => ({hour: 'numeric', minute: '2-digit', ...clockOptions()})).format(timestamp);
}

export function formatDate(timestamp: number, now: number = Date.now()): string {
    const day = startOfDay(timestamp);
    const today = startOfDay(now);
    if (day === today) {
        return t('date.today');
    }
    if (day === startOfDay(today - 12 * 3600 * 1000)) {
        return t('date.yesterday');
    }
    const sameYear = new Date(timestamp).getFullYear() === new Date(now).getFullYear();
    return dateFormat(sameYear ? 'day' : 'day-year', () => ({
        weekday: 'long', month: 'long', day: 'numeric', year: sameYear ? undefined : 'numeric', timeZone: clock.timeZone,
    })).format(timestamp);
}

export function formatDateTime(timestamp: number): string {
    return dateFormat('date-time', () => ({dateStyle: 'medium', timeStyle: 'short', ...clockOptions()})).format(timestamp);
}

export function startOfDay(timestamp: number): number {
    const date = new Date(timestamp);
    date.setHours(0, 0, 0, 0);
    return date.getTime();
}
