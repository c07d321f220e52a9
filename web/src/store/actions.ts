// What the screens ask for: each function calls the server through Client4 and folds the answer
// into the store. Components never call the client themselves.
import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ServerChannel as Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {PreferenceType} from '@mattermost/types/preferences';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {client, errorStatus} from '../api/client';
import {directPartnerId, markViewed} from './channels';
import {PAGE_SIZE, addReaction, channelPostsOf, expectChannel, expectThread, newestUpdate, receivePost, receivePostList, receiveThread, removePost, removeReaction} from './posts';
import {initialState, store, type LatexSettings, type SignInService, type State} from './state';
import {isCollapsedThreads, receivePreferences} from '../settings/preferences';
import {loadMissingStatuses} from '../status/presence';

function byId<T extends {id: string}>(items: T[]): Record<string, T> {
    return Object.fromEntries(items.map((item) => [item.id, item]));
}

export async function loadSession(): Promise<void> {
    // Everything the first screen needs is asked for at once: none of it depends on the rest, and
    // on a phone's network each round trip waited for costs 150 ms or more (bench/lighthouse.py).
    const configured = client.getClientConfig().catch(() => null);
    const me = client.getMe();
    const firstScreen = teamsAndPreferences();
    // Signed out, these fail too; the failure that counts is getMe's, handled below.
    firstScreen.catch(() => undefined);
    me.catch(() => undefined);
    const config = await configured;
    if (config?.SiteName) {
        store.update((state) => ({...state, siteName: config.SiteName}));
    }
    if (config) {
        const settings = config as unknown as Record<string, string>;
        store.update((state) => ({...state, signInServices: signInServicesOf(settings), latex: latexOf(settings)}));
    }
    try {
        await signedIn(await me, firstScreen);
    } catch (error) {
        if (errorStatus(error) !== 401) {
            console.error(error);
        }
        store.update((state) => ({...state, session: 'signed-out'}));
    }
}

/** Mattermost's web app draws inline LaTeX only when LaTeX itself is on. */
export function latexOf(config: Record<string, string>): LatexSettings {
    const blocks = config.EnableLatex === 'true';
    return {blocks, inline: blocks && config.EnableInlineLatex === 'true'};
}

/** Sign-in buttons: OpenID Connect as Mattermost's client configuration describes it, and
 * Villagepump's own Wikimedia keys (which also stand in for OpenID in the mobile apps when
 * OpenID Connect itself is off, so the OpenID keys then describe Wikimedia: shown once). */
function signInServicesOf(config: Record<string, string>): SignInService[] {
    const services: SignInService[] = [];
    const wikimedia = config.EnableSignUpWithWikimedia === 'true';
    if (config.EnableSignUpWithOpenId === 'true' && config.OpenIdIsWikimedia !== 'true') {
        services.push({service: 'openid', label: config.OpenIdButtonText || 'OpenID', color: config.OpenIdButtonColor || ''});
    }
    if (wikimedia) {
        services.push({service: 'wikimedia', label: config.WikimediaButtonText || 'Wikimedia', color: ''});
    }
    return services;
}

/** `token`: the second step's code (an authenticator's code or a recovery code). */
export async function login(loginId: string, password: string, token = ''): Promise<void> {
    const me = await client.login(loginId, password, token);
    await signedIn(me);
}

/** The error the login answers when the account needs its second step. */
export const MFA_CODE_NEEDED = 'mfa.validate_token.authenticate.app_error';
const MFA_REQUIRED = 'api.context.mfa_required.app_error';
export const TERMS_REQUIRED = 'api.context.terms_of_service_required.app_error';

/** Accepting lets the user in; declining is recorded, then signs them out. */
export async function answerTerms(termsId: string, accepted: boolean): Promise<void> {
    await client.updateMyTermsOfServiceStatus(termsId, accepted);
    const me = store.get().me;
    if (!accepted || !me) {
        await logout();
        return;
    }
    await signedIn(me);
}

export function errorId(error: unknown): string | undefined {
    return (error as {server_error_id?: string} | null)?.server_error_id;
}

function teamsAndPreferences(): Promise<[Team[], PreferenceType[]]> {
    return Promise.all([client.getMyTeams(), client.getMyPreferences() as unknown as Promise<PreferenceType[]>]);
}

/** `firstScreen`: the user's teams and preferences, when already asked for. */
export async function signedIn(me: UserProfile, firstScreen = teamsAndPreferences()): Promise<void> {
    // Preferences first: whether replies show in channels decides how the first one loads.
    let loaded;
    try {
        loaded = await firstScreen;
    } catch (error) {
        if (errorId(error) === TERMS_REQUIRED) {
            // Nothing is readable before the terms of service are accepted (decision 0031).
            const terms = await client.getTermsOfService();
            store.update((state) => ({...state, session: 'terms', terms, me, users: {...state.users, [me.id]: me}}));
            return;
        }
        if (errorId(error) !== MFA_REQUIRED) {
            throw error;
        }
        // The server requires two-factor authentication first: only enrolment is open.
        store.update((state) => ({...state, session: 'enrol', me, users: {...state.users, [me.id]: me}}));
        return;
    }
    const [teams, preferences] = loaded;
    store.update((state) => ({
        ...receivePreferences({...state, preferences: {}}, preferences),
        session: 'signed-in',
        terms: null,
        me,
        users: {...state.users, [me.id]: me},
        teams: byId(teams),
    }));
}

export async function logout(): Promise<void> {
    await client.logout().catch(() => undefined);
    const {siteName, signInServices, latex} = store.get();
    store.update(() => ({...initialState(), session: 'signed-out', siteName, signInServices, latex}));
}

/** The session ended on the server (expired or revoked): back to the login page. */
export function sessionExpired(): void {
    const {siteName, signInServices, latex} = store.get();
    store.update(() => ({...initialState(), session: 'signed-out', siteName, signInServices, latex, sessionEnded: true}));
}

export async function createTeam(name: string, displayName: string): Promise<Team> {
    const team = await client.createTeam({name, display_name: displayName, type: 'O'} as Team);
    store.update((state) => ({...state, teams: {...state.teams, [team.id]: team}}));
    return team;
}

/** True when the socket connected while a load that started at `started` was under way. */
function connectedDuring(started: number): boolean {
    return store.get().connectedAt >= started;
}

export async function loadTeam(teamId: string): Promise<void> {
    const started = Date.now();
    await fetchTeam(teamId);
    if (connectedDuring(started)) {
        await fetchTeam(teamId);
    }
}

async function fetchTeam(teamId: string): Promise<void> {
    const me = store.get().me!;
    const [channels, members, categories] = await Promise.all([
        client.getMyChannels(teamId),
        client.getMyChannelMembers(teamId),
        client.getChannelCategories(me.id, teamId),
    ]);
    store.update((state) => ({
        ...state,
        channels: {...state.channels, ...byId(channels)},
        members: {...state.members, ...Object.fromEntries(members.map((member) => [member.channel_id, member]))},
        categories: {...state.categories, [teamId]: orderedCategories(categories.categories, categories.order)},
    }));
    await loadDirectPartners(channels);
}

function orderedCategories(categories: ChannelCategory[], order: string[]): ChannelCategory[] {
    const index = new Map(order.map((id, i) => [id, i]));
    return [...categories].sort((a, b) => (index.get(a.id) ?? 0) - (index.get(b.id) ?? 0));
}

export async function loadCategories(teamId: string): Promise<void> {
    const me = store.get().me!;
    const categories = await client.getChannelCategories(me.id, teamId);
    store.update((state) => ({
        ...state,
        categories: {...state.categories, [teamId]: orderedCategories(categories.categories, categories.order)},
    }));
}

async function loadDirectPartners(channels: Channel[]): Promise<void> {
    const state = store.get();
    const missing = new Set<string>();
    for (const channel of channels) {
        if (channel.type === 'D') {
            const partner = directPartnerId(channel, state.me!.id);
            if (!state.users[partner]) {
                missing.add(partner);
            }
        }
    }
    await loadUsers([...missing]);
}

export async function loadUsers(ids: string[]): Promise<void> {
    const known = store.get().users;
    const missing = ids.filter((id) => id && !known[id]);
    if (missing.length === 0) {
        return;
    }
    const users = await client.getProfilesByIds(missing);
    store.update((state) => ({...state, users: {...state.users, ...byId(users)}}));
}

async function loadAuthors(posts: Post[]): Promise<void> {
    const ids = [...new Set(posts.map((post) => post.user_id))];
    loadMissingStatuses(ids);
    await loadUsers(ids);
}

export async function setCategoryCollapsed(teamId: string, category: ChannelCategory, collapsed: boolean): Promise<void> {
    const updated = {...category, collapsed};
    store.update((state) => ({
        ...state,
        categories: {...state.categories, [teamId]: (state.categories[teamId] ?? []).map((c) => (c.id === category.id ? updated : c))},
    }));
    await client.updateChannelCategory(store.get().me!.id, teamId, updated).catch(console.error);
}

/** Finds a channel of the team by name, joining it if it is public and the user is not in it. */
export async function resolveChannel(teamId: string, name: string): Promise<Channel> {
    const state = store.get();
    const known = Object.values(state.channels).find((c) => c.name === name && (c.team_id === teamId || c.team_id === '') && state.members[c.id]);
    if (known) {
        return known;
    }
    const channel = await client.getChannelByName(teamId, name, true);
    if (channel.delete_at > 0 && !state.members[channel.id]) {
        // An archived channel opened from Browse: readable, not joinable.
        store.update((s) => ({...s, channels: {...s.channels, [channel.id]: channel}}));
        return channel;
    }
    if (!state.members[channel.id]) {
        await client.addToChannel(state.me!.id, channel.id);
    }
    const member = await client.getMyChannelMember(channel.id);
    store.update((s) => ({...s, channels: {...s.channels, [channel.id]: channel}, members: {...s.members, [channel.id]: member}}));
    await loadCategories(teamId);
    return channel;
}

export async function openDirectChannel(teamId: string, userId: string): Promise<Channel> {
    const me = store.get().me!;
    const channel = await client.createDirectChannel([me.id, userId]);
    const member = await client.getMyChannelMember(channel.id);
    await loadUsers([userId]);
    store.update((s) => ({...s, channels: {...s.channels, [channel.id]: channel}, members: {...s.members, [channel.id]: member}}));
    await loadCategories(teamId);
    return channel;
}

/** A group message with these people (2 to 7 besides the reader): the server gives back the
 * existing one when the same people already have one, as Mattermost's does. */
export async function openGroupChannel(teamId: string, userIds: string[]): Promise<Channel> {
    const me = store.get().me!;
    const channel = await client.createGroupChannel([me.id, ...userIds]);
    const member = await client.getMyChannelMember(channel.id);
    await loadUsers(userIds);
    store.update((s) => ({...s, channels: {...s.channels, [channel.id]: channel}, members: {...s.members, [channel.id]: member}}));
    await loadCategories(teamId);
    return channel;
}

export async function searchUsers(term: string, teamId: string): Promise<UserProfile[]> {
    const found = await client.autocompleteUsers(term, teamId, '', {limit: 20});
    const users = [...(found.users ?? []), ...(found.out_of_channel ?? [])];
    store.update((state) => ({...state, users: {...state.users, ...byId(users)}}));
    return users;
}

/** Opening a channel: remember where the reader was, load its latest posts, mark it read. */
export async function openChannel(channelId: string): Promise<void> {
    const member = store.get().members[channelId];
    store.update((state) => expectChannel({...state, readMarks: {...state.readMarks, [channelId]: member?.last_viewed_at ?? 0}}, channelId));
    const started = Date.now();
    const list = await client.getPosts(channelId, 0, PAGE_SIZE, false, isCollapsedThreads(store.get()));
    store.update((state) => receivePostList(state, channelId, list, 'latest'));
    if (connectedDuring(started)) {
        await catchUpChannel(channelId);
    }
    await loadAuthors(Object.values(list.posts));
    await viewChannel(channelId);
}

export async function viewChannel(channelId: string): Promise<void> {
    store.update((state) => markViewed(state, channelId, Date.now()));
    await client.viewMyChannel(channelId).catch(console.error);
}

export async function loadOlderPosts(channelId: string): Promise<void> {
    const current = channelPostsOf(store.get(), channelId);
    if (!current.loaded || current.loadingOlder || !current.hasOlder || current.order.length === 0) {
        return;
    }
    store.update((state) => ({...state, channelPosts: {...state.channelPosts, [channelId]: {...current, loadingOlder: true}}}));
    try {
        const list = await client.getPostsBefore(channelId, current.order[0], 0, PAGE_SIZE, false, isCollapsedThreads(store.get()));
        await loadAuthors(Object.values(list.posts));
        store.update((state) => receivePostList(state, channelId, list, 'older'));
    } catch (error) {
        store.update((state) => ({...state, channelPosts: {...state.channelPosts, [channelId]: {...channelPostsOf(state, channelId), loadingOlder: false}}}));
        throw error;
    }
}

export async function loadThread(rootId: string): Promise<void> {
    store.update((state) => expectThread(state, rootId));
    const list = await client.getPostThread(rootId, true, false);
    await loadAuthors(Object.values(list.posts));
    store.update((state) => receiveThread(state, rootId, list));
}

export async function sendPost(channelId: string, message: string, rootId = '', fileIds: string[] = []): Promise<void> {
    const me = store.get().me!;
    const post = await client.createPost({
        channel_id: channelId,
        message,
        root_id: rootId,
        file_ids: fileIds,
        user_id: me.id,
        pending_post_id: `${me.id}:${Date.now()}`,
        create_at: 0,
    } as Post);
    store.update((state) => receivePost(state, post));
}

export async function editPost(postId: string, message: string): Promise<void> {
    const post = await client.patchPost({id: postId, message});
    store.update((state) => receivePost(state, post));
}

export async function deletePost(post: Post): Promise<void> {
    await client.deletePost(post.id);
    store.update((state) => removePost(state, post));
}

export async function toggleReaction(post: Post, emoji: string): Promise<void> {
    const me = store.get().me!;
    const mine = post.metadata?.reactions?.some((r) => r.user_id === me.id && r.emoji_name === emoji);
    if (mine) {
        await client.removeReaction(me.id, post.id, emoji);
        store.update((state) => removeReaction(state, {user_id: me.id, post_id: post.id, emoji_name: emoji, create_at: 0} as never));
    } else {
        const reaction = await client.addReaction(me.id, post.id, emoji);
        store.update((state) => addReaction(state, reaction));
    }
}

export async function loadPost(postId: string): Promise<Post> {
    const post = await client.getPost(postId);
    store.update((state: State) => ({...state, posts: {...state.posts, [post.id]: state.posts[post.id] ?? post}}));
    return post;
}

async function catchUpChannel(channelId: string): Promise<void> {
    const since = newestUpdate(store.get(), channelId);
    const list = since ? await client.getPostsSince(channelId, since, false, isCollapsedThreads(store.get())) : await client.getPosts(channelId, 0, PAGE_SIZE, false, isCollapsedThreads(store.get()));
    await loadAuthors(Object.values(list.posts));
    store.update((s) => receivePostList(s, channelId, list, since ? 'since' : 'latest'));
}

/**
 * After the socket could not resume its session, ask for whatever changed while it was away:
 * channels and counts of the team, and new, edited or deleted posts of every loaded channel.
 */
export async function catchUp(teamId: string | undefined, openThreadId: string | undefined): Promise<void> {
    if (teamId) {
        await loadTeam(teamId);
    }
    await Promise.all(Object.keys(store.get().channelPosts).map(catchUpChannel));
    if (openThreadId) {
        await loadThread(openThreadId);
    }
}
