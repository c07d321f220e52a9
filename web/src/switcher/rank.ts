// The channel switcher's ranking, pure so it can be tested: fuzzy matching over what the reader
// can open (their channels, direct and group messages, and people to start a direct message with).

export interface Candidate {
    /** A channel id, or a user id for someone without a direct channel yet. */
    id: string;
    kind: 'channel' | 'user';
    /** What the list shows: display name, or a person's name. */
    title: string;
    /** Other words it answers to: the channel's URL name, a person's @username. */
    aliases: string[];
    unread: boolean;
    mentions: number;
    /** Last activity (ms); recent ones come first among equals. */
    recency: number;
}

// Better matches score higher; 0 means no match.
const EXACT = 1000;
const PREFIX = 800;
const WORD_PREFIX = 600;
const SUBSTRING = 400;
const SUBSEQUENCE = 100;

function normalise(text: string): string {
    return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * How well `term` matches `text`: whole, at the start, at the start of a word, anywhere, or as a
 * subsequence (letters in order, "tsq" for "town-square"), the tighter subsequence the better.
 */
export function matchScore(term: string, text: string): number {
    const needle = normalise(term.trim());
    const hay = normalise(text);
    if (!needle) {
        return 1;
    }
    if (hay === needle) {
        return EXACT;
    }
    if (hay.startsWith(needle)) {
        return PREFIX;
    }
    if (hay.split(/[\s\-_.,@]+/).some((word) => word.startsWith(needle))) {
        return WORD_PREFIX;
    }
    if (hay.includes(needle)) {
        return SUBSTRING;
    }
    let at = -1;
    let first = -1;
    for (const char of needle) {
        at = hay.indexOf(char, at + 1);
        if (at < 0) {
            return 0;
        }
        if (first < 0) {
            first = at;
        }
    }
    // Spread-out letters are a weaker hint than close ones.
    const span = at - first + 1;
    return SUBSEQUENCE - Math.min(SUBSEQUENCE - 1, span - needle.length);
}

export function candidateScore(term: string, candidate: Candidate): number {
    return Math.max(matchScore(term, candidate.title), ...candidate.aliases.map((alias) => matchScore(term, alias)));
}

/**
 * The switcher's list: matches only, best first; among equal matches, mentions, then unread ones,
 * then channels before people without a channel, then the most recent. With no term, the unread
 * channels first and then the most recent, as a "where was I" list.
 */
export function rankCandidates(term: string, candidates: Candidate[], limit = 20): Candidate[] {
    const scored = candidates
        .map((candidate) => ({candidate, score: candidateScore(term, candidate)}))
        .filter(({score}) => score > 0);
    scored.sort((a, b) =>
        b.score - a.score
        || Number(b.candidate.mentions > 0) - Number(a.candidate.mentions > 0)
        || Number(b.candidate.unread) - Number(a.candidate.unread)
        || Number(a.candidate.kind === 'user') - Number(b.candidate.kind === 'user')
        || b.candidate.recency - a.candidate.recency
        || a.candidate.title.localeCompare(b.candidate.title));
    return scored.slice(0, limit).map(({candidate}) => candidate);
}
