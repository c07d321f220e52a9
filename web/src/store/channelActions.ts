// Channels, their members and the sidebar's arrangement: each function calls the server through
// Client4 and folds the answer into the store (as actions.ts does for posts).
import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ChannelMembership, ServerChannel as Channel} from '@mattermost/types/channels';
import type {Post, PostList} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {client} from '../api/client';
import {loadCategories, loadUsers, login} from './actions';
import {favoriteTarget, moveChannel, placeChannel, replaceCategories, withoutCategory} from './categories';
import {receivePostList} from './posts';
import {store, type State} from './state';

function me(): UserProfile {
    return store.get().me!;
}

function keepChannel(channel: Channel, member?: ChannelMembership): void {
    store.update((state) => ({
        ...state,
        channels: {...state.channels, [channel.id]: channel},
        members: member ? {...state.members, [channel.id]: member} : state.members,
    }));
}

/** A channel's URL name from its display name, as Mattermost's web app derives it. */
export function urlNameFor(displayName: string): string {
    const name = displayName
        .normalize('NFKD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 64);
    return name.length >= 2 ? name : '';
}

export interface NewChannel {
    displayName: string;
    name: string;
    purpose: string;
    private: boolean;
}

export async function createChannel(teamId: string, wanted: NewChannel): Promise<Channel> {
    const channel = await client.createChannel({
        team_id: teamId,
        display_name: wanted.displayName.trim(),
        name: wanted.name,
        purpose: wanted.purpose.trim(),
        type: wanted.private ? 'P' : 'O',
    });
    const member = await client.getMyChannelMember(channel.id);
    keepChannel(channel, member);
    await loadCategories(teamId);
    return channel;
}

const BROWSE_PAGE = 200;

/** Every public channel of the team (or every archived one the user may see), by name. */
export async function browseChannels(teamId: string, archived: boolean): Promise<Channel[]> {
    const all: Channel[] = [];
    for (let page = 0; ; page++) {
        const batch = archived
            ? await client.getArchivedChannels(teamId, page, BROWSE_PAGE)
            : await client.getChannels(teamId, page, BROWSE_PAGE);
        all.push(...batch);
        if (batch.length < BROWSE_PAGE) {
            return all;
        }
    }
}

export async function joinChannel(teamId: string, channel: Channel): Promise<Channel> {
    await client.addToChannel(me().id, channel.id);
    const member = await client.getMyChannelMember(channel.id);
    keepChannel(channel, member);
    await loadCategories(teamId);
    return channel;
}

export async function leaveChannel(teamId: string, channelId: string): Promise<void> {
    await client.removeFromChannel(me().id, channelId);
    store.update((state) => {
        const members = {...state.members};
        delete members[channelId];
        return {...state, members};
    });
    await loadCategories(teamId);
}

export async function patchChannel(channelId: string, patch: Partial<Pick<Channel, 'header' | 'purpose' | 'display_name'>>): Promise<void> {
    const channel = await client.patchChannel(channelId, patch);
    keepChannel(channel);
}

/** Members may change a channel's header and purpose, and add or remove members (the server's rule). */
export function canManageChannel(state: State, channel: Channel): boolean {
    if (channel.delete_at > 0) {
        return false;
    }
    return Boolean(state.members[channel.id]) || (state.me?.roles ?? '').split(' ').includes('system_admin');
}

export interface ChannelMembers {
    users: UserProfile[];
    total: number;
}

export async function loadChannelMembers(channelId: string): Promise<ChannelMembers> {
    const [members, stats] = await Promise.all([
        client.getChannelMembers(channelId, 0, 200),
        client.getChannelStats(channelId),
    ]);
    await loadUsers(members.map((member) => member.user_id));
    const users = store.get().users;
    const profiles = members.map((member) => users[member.user_id]).filter((user): user is UserProfile => Boolean(user));
    profiles.sort((a, b) => a.username.localeCompare(b.username));
    return {users: profiles, total: stats.member_count};
}

export async function loadMemberCount(channelId: string): Promise<number> {
    return (await client.getChannelStats(channelId)).member_count;
}

export async function addChannelMember(channelId: string, userId: string): Promise<void> {
    await client.addToChannel(userId, channelId);
}

// Categories ------------------------------------------------------------------------------------

function categoriesOf(teamId: string): ChannelCategory[] {
    return store.get().categories[teamId] ?? [];
}

function showCategories(teamId: string, categories: ChannelCategory[]): void {
    store.update((state) => ({...state, categories: {...state.categories, [teamId]: categories}}));
}

/** Moves a channel; shown at once, and put back as the server has it if the server refuses. */
export async function moveToCategory(teamId: string, channelId: string, categoryId: string): Promise<void> {
    await saveCategories(teamId, moveChannel(categoriesOf(teamId), channelId, categoryId));
}

async function saveCategories(teamId: string, changed: ChannelCategory[]): Promise<void> {
    if (changed.length === 0) {
        return;
    }
    showCategories(teamId, replaceCategories(categoriesOf(teamId), changed));
    try {
        await client.updateChannelCategories(me().id, teamId, changed);
    } finally {
        await loadCategories(teamId);
    }
}

/** A channel dropped at `index` of a category's shown channels (see placeChannel). */
export async function placeInCategory(teamId: string, channel: Channel, categoryId: string, index: number, shown: readonly string[]): Promise<void> {
    await saveCategories(teamId, placeChannel(categoriesOf(teamId), channel, categoryId, index, shown));
}

export async function toggleFavorite(teamId: string, channel: Channel): Promise<void> {
    const target = favoriteTarget(categoriesOf(teamId), channel);
    if (target) {
        await moveToCategory(teamId, channel.id, target.id);
    }
}

/** A new custom category, optionally with a channel moved into it. */
export async function createCategory(teamId: string, displayName: string, channelId = ''): Promise<ChannelCategory> {
    const category = await client.createChannelCategory(me().id, teamId, {
        team_id: teamId,
        user_id: me().id,
        type: 'custom',
        display_name: displayName.trim(),
        channel_ids: channelId ? [channelId] : [],
    });
    await loadCategories(teamId);
    return category;
}

export async function renameCategory(teamId: string, category: ChannelCategory, displayName: string): Promise<void> {
    const renamed = {...category, display_name: displayName.trim()};
    showCategories(teamId, replaceCategories(categoriesOf(teamId), [renamed]));
    try {
        await client.updateChannelCategory(me().id, teamId, renamed);
    } finally {
        await loadCategories(teamId);
    }
}

export async function deleteCategory(teamId: string, categoryId: string): Promise<void> {
    showCategories(teamId, withoutCategory(categoriesOf(teamId), categoryId, store.get().channels));
    try {
        await client.deleteChannelCategory(me().id, teamId, categoryId);
    } finally {
        await loadCategories(teamId);
    }
}

/** Muted channels count only mentions as unread (Mattermost's `mark_unread: mention`). */
export function isMuted(member: ChannelMembership | undefined): boolean {
    return member?.notify_props?.mark_unread === 'mention';
}

export async function setMuted(channelId: string, muted: boolean): Promise<void> {
    const member = store.get().members[channelId];
    const markUnread = muted ? 'mention' : 'all';
    await client.updateChannelNotifyProps({user_id: me().id, channel_id: channelId, mark_unread: markUnread});
    if (member) {
        store.update((state) => ({
            ...state,
            members: {...state.members, [channelId]: {...member, notify_props: {...member.notify_props, mark_unread: markUnread}}},
        }));
    }
}

// Lists of posts ---------------------------------------------------------------------------------

function listPosts(list: PostList): Post[] {
    return list.order.map((id) => list.posts[id]).filter((post): post is Post => Boolean(post) && post.delete_at === 0);
}

async function withAuthors(posts: Post[]): Promise<Post[]> {
    await loadUsers([...new Set(posts.map((post) => post.user_id))]);
    return posts;
}

export async function loadPinned(channelId: string): Promise<Post[]> {
    const posts = listPosts(await client.getPinnedPosts(channelId));
    return withAuthors(posts.sort((a, b) => b.create_at - a.create_at));
}

export async function loadSaved(): Promise<Post[]> {
    const posts = listPosts(await client.getFlaggedPosts(me().id, '', '', 0, 200));
    const missing = [...new Set(posts.map((post) => post.channel_id))].filter((id) => !store.get().channels[id]);
    const channels = await Promise.all(missing.map((id) => client.getChannel(id).catch(() => null)));
    store.update((state) => ({
        ...state,
        channels: {...state.channels, ...Object.fromEntries(channels.filter((c): c is Channel => c !== null).map((c) => [c.id, c]))},
    }));
    return withAuthors(posts);
}

const CONTEXT_BEFORE = 30;
const AFTER_PAGE = 200;

/**
 * Loads a channel's posts from a little before `post` up to the latest, so the post can be shown
 * in place in the channel's one contiguous list (see docs/decisions/0014).
 */
export async function loadPostInContext(post: Post): Promise<void> {
    const channelId = post.channel_id;
    const rootId = post.root_id || post.id;
    const before = await client.getPostsBefore(channelId, rootId, 0, CONTEXT_BEFORE, false, true);
    const lists: PostList[] = [before];
    let after = rootId;
    for (;;) {
        const page = await client.getPostsAfter(channelId, after, 0, AFTER_PAGE, false, true);
        lists.push(page);
        if (!page.next_post_id || page.order.length === 0) {
            break;
        }
        after = page.order[0];
    }
    const root = post.root_id ? await client.getPost(rootId) : post;
    const merged: PostList = {
        order: [...lists.flatMap((list) => list.order), rootId],
        posts: Object.assign({}, ...lists.map((list) => list.posts), {[root.id]: root}),
        next_post_id: '',
        prev_post_id: before.prev_post_id,
        first_inaccessible_post_time: 0,
    };
    await withAuthors(Object.values(merged.posts));
    store.update((state) => receivePostList(state, channelId, merged, 'older'));
}

// Sign-up and invitations ---------------------------------------------------------------------------

export async function inviteLink(teamId: string): Promise<string> {
    const team = await client.getTeam(teamId);
    return team.invite_id ? `${window.location.origin}/signup_user_complete/?id=${team.invite_id}` : '';
}

export interface InvitedTeam {
    id: string;
    name: string;
    display_name: string;
}

export async function teamOfInvite(inviteId: string): Promise<InvitedTeam> {
    return client.getTeamInviteInfo(inviteId);
}

/** A new account from a team's invite link: the server puts it in the team; then signed in. */
export async function signUpWithInvite(inviteId: string, fields: {email: string; username: string; password: string}): Promise<void> {
    await client.createUser({...fields} as UserProfile, '', inviteId);
    await login(fields.username, fields.password);
}

/** A new account from an e-mail invitation (?t=): the server gives it the invited address and team. */
export async function signUpWithEmailInvitation(token: string, fields: {email: string; username: string; password: string}): Promise<void> {
    await client.createUser({...fields} as UserProfile, token, '');
    await login(fields.username, fields.password);
}

/** A signed-in user following an invite link joins the team. */
export async function joinTeamByInvite(inviteId: string): Promise<void> {
    await client.addToTeamFromInvite('', inviteId);
    const teams = await client.getMyTeams();
    store.update((state) => ({...state, teams: Object.fromEntries(teams.map((team) => [team.id, team]))}));
}
