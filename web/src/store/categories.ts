// Pure functions over the sidebar's categories: where a channel lives, and what moving it changes.
// The server keeps every channel in exactly one category per team; a move is the two categories
// it touches, sent back together so no other device ever sees the channel in both or neither.
import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ServerChannel as Channel} from '@mattermost/types/channels';

export function categoryOf(categories: ChannelCategory[], channelId: string): ChannelCategory | undefined {
    return categories.find((category) => category.channel_ids.includes(channelId));
}

/**
 * The categories a move changes: the one it leaves and the one it joins (added on top, as
 * Mattermost's web app does). Empty when the channel is already there or the target is unknown.
 */
export function moveChannel(categories: ChannelCategory[], channelId: string, targetId: string): ChannelCategory[] {
    const target = categories.find((category) => category.id === targetId);
    const source = categoryOf(categories, channelId);
    if (!target || source?.id === targetId) {
        return [];
    }
    const changed: ChannelCategory[] = [{...target, channel_ids: [channelId, ...target.channel_ids]}];
    if (source) {
        changed.unshift({...source, channel_ids: source.channel_ids.filter((id) => id !== channelId)});
    }
    return changed;
}

// CategorySorting is an enum of the types package, which has no code to import at run time.
const MANUAL = 'manual' as unknown as ChannelCategory['sorting'];

/**
 * The categories a drag and drop (or Move up / Move down) changes: the channel put at `index` of
 * the target category as the sidebar shows it (`shown`: its channels in their displayed order).
 * Reordering a category by hand makes its sorting manual, as in Mattermost; a channel moved into
 * a category that sorts by name or by activity goes where that sorting puts it. Empty when
 * nothing would change or the category cannot hold the channel.
 */
export function placeChannel(categories: ChannelCategory[], channel: Channel, targetId: string, index: number, shown: readonly string[]): ChannelCategory[] {
    const target = categories.find((category) => category.id === targetId);
    if (!target || !canHold(target, channel)) {
        return [];
    }
    const source = categoryOf(categories, channel.id);
    const sameCategory = source?.id === target.id;
    if (!sameCategory && target.sorting !== MANUAL) {
        return moveChannel(categories, channel.id, targetId);
    }
    const others = shown.filter((id) => id !== channel.id);
    // `index` counts the rows shown with the dragged one among them; past it, one less.
    const from = shown.indexOf(channel.id);
    const at = Math.max(0, Math.min(from >= 0 && from < index ? index - 1 : index, others.length));
    const order = [...others.slice(0, at), channel.id, ...others.slice(at)];
    if (sameCategory && target.sorting === MANUAL && order.every((id, i) => id === shown[i])) {
        return [];
    }
    // Channels the sidebar does not show (archived) keep their place at the end.
    const hidden = target.channel_ids.filter((id) => id !== channel.id && !order.includes(id));
    const placed: ChannelCategory = {...target, sorting: MANUAL, channel_ids: [...order, ...hidden]};
    if (sameCategory || !source) {
        return [placed];
    }
    return [{...source, channel_ids: source.channel_ids.filter((id) => id !== channel.id)}, placed];
}

/** The Channels category holds no direct message, and Direct Messages holds nothing else. */
export function canHold(category: ChannelCategory, channel: Channel): boolean {
    const direct = channel.type === 'D' || channel.type === 'G';
    return category.type === 'direct_messages' ? direct : category.type === 'channels' ? !direct : true;
}

/** The categories with the changed ones put in their place. */
export function replaceCategories(categories: ChannelCategory[], changed: ChannelCategory[]): ChannelCategory[] {
    const byId = new Map(changed.map((category) => [category.id, category]));
    return categories.map((category) => byId.get(category.id) ?? category);
}

export function isFavorite(categories: ChannelCategory[], channelId: string): boolean {
    return categoryOf(categories, channelId)?.type === 'favorites';
}

/** Where a channel goes when it stops being a favorite: its kind's own category. */
export function defaultCategoryFor(categories: ChannelCategory[], channel: Channel): ChannelCategory | undefined {
    const type = channel.type === 'D' || channel.type === 'G' ? 'direct_messages' : 'channels';
    return categories.find((category) => category.type === type);
}

/** Favorite toggles between the Favorites category and the channel's default one. */
export function favoriteTarget(categories: ChannelCategory[], channel: Channel): ChannelCategory | undefined {
    if (isFavorite(categories, channel.id)) {
        return defaultCategoryFor(categories, channel);
    }
    return categories.find((category) => category.type === 'favorites');
}

/** Only the user's own categories can be renamed or deleted; the built-in ones stay. */
export function isCustom(category: ChannelCategory): boolean {
    return category.type === 'custom';
}

/**
 * What deleting a custom category leaves behind, as the server does it: its channels go back to
 * their default categories. Used to show the result before the server's event arrives.
 */
export function withoutCategory(categories: ChannelCategory[], categoryId: string, channels: Record<string, Channel>): ChannelCategory[] {
    const removed = categories.find((category) => category.id === categoryId);
    if (!removed) {
        return categories;
    }
    let rest = categories.filter((category) => category.id !== categoryId);
    for (const channelId of removed.channel_ids) {
        const channel = channels[channelId];
        const home = channel && defaultCategoryFor(rest, channel);
        if (home) {
            rest = replaceCategories(rest, [{...home, channel_ids: [...home.channel_ids, channelId]}]);
        }
    }
    return rest;
}
