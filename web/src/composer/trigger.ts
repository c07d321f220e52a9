// Which suggestion the composer should offer for the text before the caret, and what picking
// one does to the text. Pure, so the rules are tested without a browser.

export type TriggerKind = 'user' | 'channel' | 'emoji' | 'command';

export interface Trigger {
    kind: TriggerKind;
    /** What was typed after the trigger character. */
    term: string;
    /** Where the trigger character is; the replacement runs from here to the caret. */
    start: number;
}

/** Emoji suggestions start after this many letters, as in Mattermost (":" alone is common text). */
export const EMOJI_MIN_CHARS = 2;

const WORD_BEFORE = /[\p{L}\p{N}_]/u;

/** The trigger the caret is in, if any. */
export function findTrigger(text: string, caret: number): Trigger | null {
    const before = text.slice(0, caret);
    // A slash command is the message's first word, and only while that word is being typed.
    const command = /^\/([^\s/]*)$/.exec(before);
    if (command) {
        return {kind: 'command', term: command[1], start: 0};
    }
    const match = /([@~:])([\p{L}\p{N}._+\-]*)$/u.exec(before);
    if (!match) {
        return null;
    }
    const start = before.length - match[0].length;
    if (start > 0 && WORD_BEFORE.test(before[start - 1])) {
        return null; // an e-mail address, a time like 10:30, a word with ~ in it
    }
    const [, symbol, term] = match;
    if (symbol === ':') {
        if (term.length < EMOJI_MIN_CHARS || !/^[a-z0-9_+\-]+$/i.test(term)) {
            return null;
        }
        return {kind: 'emoji', term: term.toLowerCase(), start};
    }
    return {kind: symbol === '@' ? 'user' : 'channel', term: term.toLowerCase(), start};
}

/** The text with the trigger replaced by `replacement` and a space, and where the caret goes. */
export function applyPick(text: string, caret: number, trigger: Trigger, replacement: string): {text: string; caret: number} {
    const after = text.slice(caret);
    const insert = after.startsWith(' ') ? replacement : `${replacement} `;
    const next = text.slice(0, trigger.start) + insert + after;
    const at = trigger.start + insert.length + (after.startsWith(' ') ? 1 : 0);
    return {text: next, caret: at};
}

export interface Suggestion {
    /** What picking it inserts, e.g. "@hamlet", "~off-topic", ":tada:", "/away". */
    insert: string;
    /** The main line shown. */
    label: string;
    /** A second, quieter line: full name, display name, hint. */
    detail?: string;
    glyph?: string;
    imageUrl?: string;
}

export const SPECIAL_MENTIONS = ['here', 'channel', 'all'] as const;

/** @here, @channel and @all whose names start with what was typed. */
export function specialMentions(term: string): (typeof SPECIAL_MENTIONS)[number][] {
    return SPECIAL_MENTIONS.filter((name) => name.startsWith(term));
}

/** A command suggestion's text: the server may or may not put the slash in. */
export function commandInsert(complete: string): string {
    return `/${complete.replace(/^\//, '')}`;
}
