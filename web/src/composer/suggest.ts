// Asks the server (or the emoji table) for what the composer should suggest.
import type {AutocompleteSuggestion} from '@mattermost/types/integrations';

import {client} from '../api/client';
import {t} from '../i18n/i18n';
import {customEmoji, loadCustomEmoji, loadEmojiTable} from '../emoji/load';
import {store} from '../store/state';
import {commandInsert, specialMentions, type Suggestion, type Trigger} from './trigger';

const LIMIT = 12;

export interface Where {
    teamId: string;
    channelId: string;
    rootId: string;
}

export async function suggest(trigger: Trigger, where: Where): Promise<Suggestion[]> {
    switch (trigger.kind) {
    case 'user':
        return suggestUsers(trigger.term, where);
    case 'channel':
        return suggestChannels(trigger.term, where);
    case 'emoji':
        return suggestEmoji(trigger.term);
    case 'command':
        return suggestCommands(trigger.term, where);
    }
}

async function suggestUsers(term: string, where: Where): Promise<Suggestion[]> {
    const found = await client.autocompleteUsers(term, where.teamId, where.channelId, {limit: LIMIT});
    const users = [...(found.users ?? []), ...(found.out_of_channel ?? [])];
    store.update((state) => ({...state, users: {...state.users, ...Object.fromEntries(users.map((u) => [u.id, u]))}}));
    const people = users.map((user) => {
        const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ');
        const detail = [fullName, user.nickname ? `(${user.nickname})` : ''].filter(Boolean).join(' ');
        return {insert: `@${user.username}`, label: `@${user.username}`, detail: detail || undefined};
    });
    const special = specialMentions(term).map((name) => ({
        insert: `@${name}`, label: `@${name}`, detail: t(`composer.mention.${name}` as const),
    }));
    return [...people, ...special].slice(0, LIMIT);
}

async function suggestChannels(term: string, where: Where): Promise<Suggestion[]> {
    const channels = await client.autocompleteChannels(where.teamId, term);
    return channels
        .filter((channel) => channel.type === 'O' || channel.type === 'P')
        .slice(0, LIMIT)
        .map((channel) => ({insert: `~${channel.name}`, label: channel.display_name || channel.name, detail: `~${channel.name}`}));
}

async function suggestEmoji(term: string): Promise<Suggestion[]> {
    const [table] = await Promise.all([loadEmojiTable(), loadCustomEmoji()]);
    const custom = [...customEmoji().values()]
        .filter((emoji) => emoji.name.startsWith(term))
        .map((emoji) => ({insert: `:${emoji.name}:`, label: `:${emoji.name}:`, imageUrl: client.getCustomEmojiImageUrl(emoji.id)}));
    const standard = table.searchEmoji(term, LIMIT).map((emoji) => {
        const name = emoji.names.find((n) => n.startsWith(term)) ?? emoji.names.find((n) => n.includes(term)) ?? emoji.names[0];
        return {insert: `:${name}:`, label: `:${name}:`, glyph: emoji.glyph};
    });
    return [...standard, ...custom].slice(0, LIMIT);
}

async function suggestCommands(term: string, where: Where): Promise<Suggestion[]> {
    const args = where.rootId ? {channel_id: where.channelId, root_id: where.rootId} : {channel_id: where.channelId};
    const found: AutocompleteSuggestion[] = await client.getCommandAutocompleteSuggestionsList(`/${term}`, where.teamId, args as never);
    return found.slice(0, LIMIT).map((item) => ({
        insert: commandInsert(item.Complete),
        label: [commandInsert(item.Suggestion || item.Complete), item.Hint].filter(Boolean).join(' '),
        detail: item.Description || undefined,
    }));
}
