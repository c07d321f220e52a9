import data from 'emoji-datasource/emoji.json';
import datasource from 'emoji-datasource/package.json';
import {describe, expect, it} from 'vitest';

// @ts-expect-error: a plain JavaScript build script, without types
import {buildTable, renderModule} from '../../scripts/emoji-table.mjs';
import mattermost from '../../scripts/mattermost-emoji-aliases.json';
import {EMOJI} from '../markdown/emoji';
import {ALL_EMOJI, EMOJI_BY_CATEGORY, applyTone, findEmoji, glyphFor, searchEmoji, tonedGlyph, tonedName} from './table';
import committed from './table.generated.ts?raw';

describe('the standard emoji table', () => {
    it('is the one scripts/emoji-table.mjs makes from the installed emoji-datasource', () => {
        expect(renderModule(buildTable(data, mattermost.aliases), datasource.version)).toBe(committed);
    });

    it('holds the full set under Mattermost\'s names and aliases', () => {
        expect(ALL_EMOJI.length).toBeGreaterThan(1800);
        expect(glyphFor('+1')).toBe('👍');
        expect(glyphFor('thumbsup')).toBe('👍');
        expect(glyphFor('avocado')).toBe('🥑');
        expect(glyphFor('flag-fr')).toBe('🇫🇷');
        expect(glyphFor('no_such_emoji')).toBeUndefined();
        expect(EMOJI_BY_CATEGORY.map((c) => c.id)).toEqual([
            'smileys-emotion', 'people-body', 'animals-nature', 'food-drink', 'activities', 'travel-places', 'objects', 'symbols', 'flags',
        ]);
    });

    it('knows the older names Mattermost adds, after the name Mattermost shows', () => {
        expect(glyphFor('hugs')).toBe('🤗');
        expect(findEmoji('hugs')!.names[0]).toBe('hugging_face');
        expect(glyphFor('thinking')).toBe('🤔');
        expect(glyphFor('satisfied')).toBe(glyphFor('laughing'));
        expect(glyphFor('pout')).toBe('😡');
        expect(glyphFor('rofl')).toBe('🤣');
        expect(glyphFor('canada')).toBe('🇨🇦');
        expect(glyphFor('fist_oncoming_dark_skin_tone')).toBe('👊🏿');
        expect(findEmoji('thank you')).toBeUndefined(); // a name with a space cannot be typed
        expect(searchEmoji('hugs')[0].names[0]).toBe('hugging_face');
        expect(searchEmoji('thinking')[0].names[0]).toBe('thinking_face');
    });

    it('draws at once only names the full table knows', () => {
        for (const [name, glyph] of Object.entries(EMOJI)) {
            expect(glyphFor(name), name).toBe(glyph);
        }
    });

    it('names and draws skin tones as Mattermost does', () => {
        const thumbs = findEmoji('+1')!;
        expect(tonedName(thumbs, 0)).toBe('+1');
        expect(tonedName(thumbs, 3)).toBe('+1_medium_skin_tone');
        expect(tonedGlyph(thumbs, 5)).toBe('👍🏿');
        expect(glyphFor('+1_light_skin_tone')).toBe('👍🏻');
        expect(glyphFor('thumbsup_dark_skin_tone')).toBe('👍🏿');
        // A zero-width-joined sequence takes its tone after the first code point.
        expect(glyphFor('woman-running_medium_skin_tone')).toBe(applyTone(findEmoji('woman-running')!.glyph, 2));
        // No tone for an emoji without skin.
        const avocado = findEmoji('avocado')!;
        expect(tonedName(avocado, 2)).toBe('avocado');
        expect(glyphFor('avocado_dark_skin_tone')).toBeUndefined();
    });

    it('finds names that start with the search first, then names that contain it', () => {
        const found = searchEmoji('heart').map((e) => e.names[0]);
        expect(found[0]).toBe('heart');
        expect(found.indexOf('heart_eyes')).toBeLessThan(found.indexOf('broken_heart'));
        expect(searchEmoji(':tada:')[0].names[0]).toBe('tada');
        expect(searchEmoji('thumbsup')[0].names).toContain('thumbsup');
        expect(searchEmoji('')).toEqual([]);
        expect(searchEmoji('a', 5)).toHaveLength(5);
    });
});
