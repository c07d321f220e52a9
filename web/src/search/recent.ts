// The last few searches a user ran, remembered in this browser (per user) and offered when the
// search box is focused and empty.
const LIMIT = 5;

function key(userId: string): string {
    return `villagepump.recentSearches.${userId}`;
}

export function recentSearches(userId: string): string[] {
    try {
        const stored: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
        return Array.isArray(stored) ? stored.filter((item): item is string => typeof item === 'string').slice(0, LIMIT) : [];
    } catch {
        return [];
    }
}

/** Puts `terms` first (once), keeps the last five, and returns the new list. */
export function rememberSearch(userId: string, terms: string): string[] {
    const trimmed = terms.trim();
    const list = [trimmed, ...recentSearches(userId).filter((item) => item !== trimmed)].filter(Boolean).slice(0, LIMIT);
    try {
        localStorage.setItem(key(userId), JSON.stringify(list));
    } catch {
        // Storage full or refused (private browsing): the list is simply not kept.
    }
    return list;
}
