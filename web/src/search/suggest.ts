// What the search box offers while one types: the filter word under the cursor (from:, in:,
// on:, before:, after:), and how a chosen suggestion replaces it.
import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {UserProfile} from '@mattermost/types/users';

export type FilterName = 'from' | 'in' | 'on' | 'before' | 'after';

export interface ActiveFilter {
    filter: FilterName;
    /** `-` when the filter excludes (`-from:hamlet`), else empty. */
    negate: string;
    /** What is typed after the colon, without a leading @ or ~. */
    prefix: string;
    /** Where the whole filter word starts and ends in the box's text. */
    start: number;
    end: number;
}

const FILTER = /^(-?)(from|in|on|before|after):(.*)$/i;

/** The filter word the cursor is in, if the word before the cursor is one. */
export function activeFilter(value: string, cursor: number): ActiveFilter | null {
    const before = value.slice(0, cursor);
    const start = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\t'), before.lastIndexOf('\n')) + 1;
    const rest = value.slice(cursor).search(/\s/);
    const end = rest === -1 ? value.length : cursor + rest;
    const found = FILTER.exec(value.slice(start, cursor));
    if (!found) {
        return null;
    }
    const filter = found[2].toLowerCase() as FilterName;
    const prefix = found[3].replace(filter === 'from' ? /^@/ : filter === 'in' ? /^~/ : /^$/, '');
    return {filter, negate: found[1], prefix, start, end};
}

/** The box's text with the filter word completed to `completion`, and where the cursor goes. */
export function applySuggestion(value: string, active: ActiveFilter, completion: string): {value: string; cursor: number} {
    const word = `${active.negate}${active.filter}:${completion}`;
    const after = value.slice(active.end).replace(/^\s*/, '');
    const head = value.slice(0, active.start) + word + ' ';
    return {value: head + after, cursor: head.length};
}

/** The user's channels in this team whose URL name or display name starts with `prefix`. */
export function channelSuggestions(channels: readonly Channel[], teamId: string, prefix: string, limit = 8): Channel[] {
    const wanted = prefix.toLocaleLowerCase();
    return channels
        .filter((channel) => channel.team_id === teamId && (channel.type === 'O' || channel.type === 'P') && channel.delete_at === 0)
        .filter((channel) => channel.name.toLowerCase().startsWith(wanted)
            || channel.display_name.toLocaleLowerCase().split(/\s+/).some((word) => word.startsWith(wanted))
            || channel.display_name.toLocaleLowerCase().startsWith(wanted))
        .sort((a, b) => a.display_name.localeCompare(b.display_name))
        .slice(0, limit);
}

/** The usernames of the people the user has direct messages with whose username starts with
 *  `prefix` (an @ before it or not), for `in:@username`. */
export function directSuggestions(
    channels: readonly Channel[], users: Readonly<Record<string, Pick<UserProfile, 'username'> | undefined>>,
    meId: string, prefix: string, limit = 8,
): string[] {
    const wanted = prefix.replace(/^@/, '').toLowerCase();
    const names = new Set<string>();
    for (const channel of channels) {
        if (channel.type !== 'D' || channel.delete_at !== 0) {
            continue;
        }
        // A direct channel is named after its two members' ids, "a__b" (the same id twice for oneself).
        const [first, second] = channel.name.split('__');
        const username = users[first === meId ? second : first]?.username;
        if (username && username.toLowerCase().startsWith(wanted)) {
            names.add(username);
        }
    }
    return [...names].sort((a, b) => a.localeCompare(b)).slice(0, limit);
}

function isoDate(date: Date): string {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Dates to offer after on:/before:/after: (today and yesterday, local time), as YYYY-MM-DD. */
export function dateSuggestions(prefix: string, now: Date = new Date()): string[] {
    const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
    return [isoDate(now), isoDate(yesterday)].filter((date) => date.startsWith(prefix) && date !== prefix);
}

/** The words a recent-mentions search looks for: @username and the user's own mention keys. */
export function mentionTerms(user: Pick<UserProfile, 'username' | 'notify_props'>): string {
    const keys = [`@${user.username}`];
    const extra = (user.notify_props?.mention_keys ?? '').split(',').map((key) => key.trim()).filter(Boolean);
    for (const key of extra) {
        const term = /\s/.test(key) ? `"${key.replace(/"/g, '')}"` : key;
        if (!keys.some((known) => known.toLowerCase() === term.toLowerCase())) {
            keys.push(term);
        }
    }
    return keys.join(' ');
}
