import {afterEach, describe, expect, it} from 'vitest';

import {formatDate, isRightToLeft, setLocale, t} from './i18n';

describe('the i18n layer', () => {
    afterEach(() => setLocale('en'));

    it('mirrors the page for right-to-left languages', () => {
        setLocale('ar');
        expect(document.documentElement.dir).toBe('rtl');
        expect(document.documentElement.lang).toBe('ar');
        setLocale('fa-IR');
        expect(document.documentElement.dir).toBe('rtl');
        setLocale('en-GB');
        expect(document.documentElement.dir).toBe('ltr');
        expect(['he', 'ur', 'ckb'].every(isRightToLeft)).toBe(true);
        expect(['de', 'zh-TW', 'tr'].some(isRightToLeft)).toBe(false);
    });

    it('uses a translation where it has one and English where it does not', () => {
        setLocale('de', {'composer.send': 'Senden'});
        expect(t('composer.send')).toBe('Senden');
        expect(t('dialog.cancel')).toBe('Cancel');
    });

    it('formats numbers in messages by the locale', () => {
        setLocale('de');
        expect(t('post.replies', {count: 1234})).toBe('1.234 replies');
    });

    it('names today and yesterday, and other days by date', () => {
        const now = new Date(2026, 4, 10, 9).getTime();
        expect(formatDate(new Date(2026, 4, 10, 0, 5).getTime(), now)).toBe('Today');
        expect(formatDate(new Date(2026, 4, 9, 23).getTime(), now)).toBe('Yesterday');
        expect(formatDate(new Date(2026, 4, 1, 12).getTime(), now)).toBe('Friday, May 1');
        expect(formatDate(new Date(2025, 4, 1, 12).getTime(), now)).toBe('Thursday, May 1, 2025');
    });
});
