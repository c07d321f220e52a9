import type {WebSocketMessage} from '@mattermost/client';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {makeChannel, makeMember, makePost, postList, stateWith} from '../test/fixtures';
import {unreadOf} from './channels';
import {receivePostList} from './posts';
import {handleEvent} from './realtime';
import {currentDialog} from '../posts/interactive';
import {store} from './state';

const actions = vi.hoisted(() => ({
    loadTeam: vi.fn(() => Promise.resolve()),
    loadCategories: vi.fn(() => Promise.resolve()),
    loadUsers: vi.fn(() => Promise.resolve()),
    viewChannel: vi.fn(() => Promise.resolve()),
    catchUp: vi.fn(() => Promise.resolve()),
    sessionExpired: vi.fn(),
}));
vi.mock('./actions', () => actions);
const emoji = vi.hoisted(() => ({received: vi.fn()}));
vi.mock('../emoji/load', async (original) => ({...await original<typeof import('../emoji/load')>(), receiveCustomEmoji: emoji.received}));

function event(name: string, data: Record<string, unknown>, broadcast: Record<string, unknown> = {}): WebSocketMessage {
    return {event: name, data, broadcast: {omit_users: {}, user_id: '', channel_id: '', team_id: '', ...broadcast}, seq: 1} as unknown as WebSocketMessage;
}

function posted(post: ReturnType<typeof makePost>, mentions: string[] = [], teamId = 'denmark'): WebSocketMessage {
    return event('posted', {post: JSON.stringify(post), mentions: JSON.stringify(mentions), team_id: teamId});
}

describe('WebSocket events into the store', () => {
    beforeEach(() => {
        vi.useFakeTimers();
        Object.values(actions).forEach((fn) => fn.mockClear());
        const state = stateWith({
            channels: {town: makeChannel(), off: makeChannel({id: 'off', name: 'off-topic'})},
            members: {town: makeMember(), off: makeMember({channel_id: 'off'})},
            view: {teamId: 'denmark', channelId: 'town', threadId: ''},
        });
        store.update(() => receivePostList(state, 'town', postList([]), 'latest'));
    });

    afterEach(() => {
        vi.useRealTimers();
    });

    it('shows a post in the open channel, keeps it read, and tells the server once per burst', () => {
        handleEvent(posted(makePost({user_id: 'othello'})));
        handleEvent(posted(makePost({user_id: 'othello'})));
        const state = store.get();
        expect(state.channelPosts.town.order).toHaveLength(2);
        expect(unreadOf(state.channels.town, state.members.town).unread).toBe(false);
        vi.advanceTimersByTime(600);
        expect(actions.viewChannel).toHaveBeenCalledTimes(1);
        expect(actions.viewChannel).toHaveBeenCalledWith('town');
    });

    it('marks another channel unread, with a badge when I am mentioned', () => {
        handleEvent(posted(makePost({user_id: 'othello', channel_id: 'off'}), ['hamlet']));
        const state = store.get();
        expect(unreadOf(state.channels.off, state.members.off)).toEqual({unread: true, mentions: 1});
        vi.advanceTimersByTime(600);
        expect(actions.viewChannel).not.toHaveBeenCalled();
    });

    it('reloads the team for a post in a channel of this team it did not know, not of another team', () => {
        handleEvent(posted(makePost({user_id: 'othello', channel_id: 'newdm'}), [], ''));
        expect(actions.loadTeam).toHaveBeenCalledWith('denmark');
        actions.loadTeam.mockClear();
        handleEvent(posted(makePost({user_id: 'othello', channel_id: 'elsewhere'}), [], 'norway'));
        expect(actions.loadTeam).not.toHaveBeenCalled();
    });

    it('shows an ephemeral answer in its channel and opens the dialog an integration sent', () => {
        const whisper = makePost({user_id: 'hamlet', type: 'system_ephemeral' as never, message: 'Only you'});
        handleEvent(event('ephemeral_message', {post: JSON.stringify(whisper)}));
        expect(store.get().channelPosts.town.order).toContain(whisper.id);
        const request = {trigger_id: 't', url: 'https://bot.example/d', dialog: {title: 'Report'}};
        handleEvent(event('open_dialog', {dialog: JSON.stringify(request)}));
        expect(currentDialog()).toEqual(request);
    });

    it('applies edits, deletes and reactions', () => {
        const post = makePost({user_id: 'othello'});
        handleEvent(posted(post));
        handleEvent(event('post_edited', {post: JSON.stringify({...post, message: 'changed', update_at: post.update_at + 1})}));
        expect(store.get().posts[post.id].message).toBe('changed');
        const reaction = {user_id: 'iago', post_id: post.id, emoji_name: 'eyes', create_at: 1};
        handleEvent(event('reaction_added', {reaction: JSON.stringify(reaction)}));
        expect(store.get().posts[post.id].metadata.reactions).toEqual([reaction]);
        handleEvent(event('reaction_removed', {reaction: JSON.stringify(reaction)}));
        expect(store.get().posts[post.id].metadata.reactions).toEqual([]);
        handleEvent(event('post_deleted', {post: JSON.stringify(post)}));
        expect(store.get().channelPosts.town.order).toEqual([]);
    });

    it('passes a new custom emoji on to the emoji that are known', () => {
        const skull = {id: 'e1', name: 'skull', creator_id: 'othello', create_at: 1, update_at: 1, delete_at: 0, category: 'custom'};
        handleEvent(event('emoji_added', {emoji: JSON.stringify(skull)}));
        expect(emoji.received).toHaveBeenCalledWith(skull);
    });

    it('clears a channel read on another device', () => {
        handleEvent(posted(makePost({user_id: 'othello', channel_id: 'off'}), ['hamlet']));
        handleEvent(event('channel_viewed', {channel_id: 'off'}));
        const state = store.get();
        expect(unreadOf(state.channels.off, state.members.off)).toEqual({unread: false, mentions: 0});
    });

    it('forgets a channel I was removed from and refreshes the sidebar', () => {
        handleEvent(event('user_removed', {channel_id: 'off', remover_id: 'iago'}, {user_id: 'hamlet'}));
        expect(store.get().members.off).toBeUndefined();
        expect(actions.loadCategories).toHaveBeenCalledWith('denmark');
    });

    it('refreshes the sidebar when categories change', () => {
        handleEvent(event('sidebar_category_updated', {updatedCategories: '[]'}));
        expect(actions.loadCategories).toHaveBeenCalledWith('denmark');
    });
});
