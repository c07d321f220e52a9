// The full standard emoji set by Mattermost's names (emoji-datasource's short_names). This module
// and its generated data are loaded on demand (see load.ts), never with the first page.
import {EMOJI_CATEGORIES} from './table.generated';
import {TONE_CODES_LIST} from './tones';

export interface Emoji {
    /** The first name is the one Mattermost shows; the others are aliases. */
    names: string[];
    glyph: string;
    category: string;
    /** The five toned glyphs, light to dark, when the emoji takes a skin tone. */
    tones?: string[];
}

/** Mattermost's names for the five skin tones, as they end a toned emoji's name. */
export const TONE_NAMES = ['light_skin_tone', 'medium_light_skin_tone', 'medium_skin_tone', 'medium_dark_skin_tone', 'dark_skin_tone'];
export const TONE_CODES = TONE_CODES_LIST;
const TONE_SUFFIX = new RegExp(`^(.+)_(${TONE_NAMES.join('|')})$`);

/** The toned form by the common rule (scripts/emoji-table.mjs writes "t" where it holds). */
export function applyTone(glyph: string, toneIndex: number): string {
    const points = [...glyph];
    const rest = points[1] === '\uFE0F' ? points.slice(2) : points.slice(1);
    return [points[0], String.fromCodePoint(parseInt(TONE_CODES[toneIndex], 16)), ...rest].join('');
}

function parse(): {all: Emoji[]; byName: Map<string, Emoji>; categories: {id: string; emoji: Emoji[]}[]} {
    const all: Emoji[] = [];
    const byName = new Map<string, Emoji>();
    const categories = EMOJI_CATEGORIES.map(([id, lines]) => {
        const emoji = lines.split('\n').map((line) => {
            const [glyph, names, tones] = line.split('|');
            const entry: Emoji = {names: names.split(','), glyph, category: id};
            if (tones === 't') {
                entry.tones = TONE_CODES.map((_, i) => applyTone(glyph, i));
            } else if (tones) {
                entry.tones = tones.split(',');
            }
            return entry;
        });
        for (const entry of emoji) {
            all.push(entry);
            for (const name of entry.names) {
                if (!byName.has(name)) {
                    byName.set(name, entry);
                }
            }
        }
        return {id, emoji};
    });
    return {all, byName, categories};
}

const data = parse();

export const ALL_EMOJI: readonly Emoji[] = data.all;
export const EMOJI_BY_CATEGORY = data.categories;

export function findEmoji(name: string): Emoji | undefined {
    return data.byName.get(name);
}

/** The glyph for a name, toned names ("+1_medium_skin_tone") included. */
export function glyphFor(name: string): string | undefined {
    const direct = data.byName.get(name);
    if (direct) {
        return direct.glyph;
    }
    const toned = TONE_SUFFIX.exec(name);
    const base = toned && data.byName.get(toned[1]);
    return base?.tones?.[TONE_NAMES.indexOf(toned![2])];
}

/** The name to send for an emoji in a skin tone (0 = none, 1..5 light to dark). */
export function tonedName(emoji: Emoji, tone: number): string {
    return tone > 0 && emoji.tones ? `${emoji.names[0]}_${TONE_NAMES[tone - 1]}` : emoji.names[0];
}

export function tonedGlyph(emoji: Emoji, tone: number): string {
    return tone > 0 && emoji.tones ? emoji.tones[tone - 1] : emoji.glyph;
}

/**
 * Emoji whose names match what was typed: names that start with it first (shorter names
 * first), then names that contain it after an underscore or elsewhere.
 */
export function searchEmoji(term: string, limit = Infinity): Emoji[] {
    const query = term.toLowerCase().replace(/^:|:$/g, '');
    if (!query) {
        return [];
    }
    const scored: {emoji: Emoji; score: number; order: number}[] = [];
    data.all.forEach((emoji, order) => {
        let best = Infinity;
        for (const name of emoji.names) {
            const at = name.indexOf(query);
            if (at === 0) {
                best = Math.min(best, name.length);
            } else if (at > 0) {
                best = Math.min(best, (name[at - 1] === '_' || name[at - 1] === '-' ? 1000 : 2000) + name.length);
            }
        }
        if (best < Infinity) {
            scored.push({emoji, score: best, order});
        }
    });
    scored.sort((a, b) => a.score - b.score || a.order - b.order);
    return scored.slice(0, limit).map((s) => s.emoji);
}
