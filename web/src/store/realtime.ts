// Live updates: the WebSocketClient's events folded into the store. The client library resumes
// a dropped socket by itself (connection_id + sequence_number); when the server could not keep
// the missed events, it reports a missed-message gap and we catch up over REST.
import type {WebSocketMessage} from '@mattermost/client';
import type {CustomEmoji} from '@mattermost/types/emojis';
import type {OpenDialogRequest} from '@mattermost/types/integrations';
import type {Post} from '@mattermost/types/posts';
import type {PreferenceType} from '@mattermost/types/preferences';
import type {Reaction} from '@mattermost/types/reactions';
import type {UserThreadWithPost} from '@mattermost/types/threads';
import type {UserProfile} from '@mattermost/types/users';

import {client, errorStatus, socket, socketUrl} from '../api/client';
import {receiveCustomEmoji} from '../emoji/load';
import {TERMS_REQUIRED, catchUp, errorId, loadCategories, loadTeam, loadUsers, sessionExpired, signedIn, viewChannel} from './actions';
import {countNewPost, markViewed, unreadOf} from './channels';
import {addReaction, receivePost, removePost, removeReaction} from './posts';
import {showDialog} from '../posts/interactive';
import {store, type State} from './state';
import {loadFollowedThread, loadThreads, markThreadRead} from './threadActions';
import {isCollapsedThreads, receivePreferences, removePreferences} from '../settings/preferences';
import {loadMissingStatuses, loadStatuses, receiveStatuses, startPresence, stopPresence} from '../status/presence';
import {postArrived, receiveTyping} from '../status/typingActions';
import {allThreadsRead, threadRead, threadUnfollowed, threadUpdated} from './threads';

function parse<T>(value: unknown): T {
    return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** Work an event starts and nobody awaits: a lost session ends it, other failures are logged. */
function background(work: Promise<unknown>): void {
    work.catch((error) => (errorStatus(error) === 401 ? endSession() : console.error(error)));
}

let viewTimer: ReturnType<typeof setTimeout> | undefined;

// Several posts in a burst are read with one request, not one each.
function viewSoon(channelId: string): void {
    clearTimeout(viewTimer);
    viewTimer = setTimeout(() => background(viewChannel(channelId)), 500);
}

function isReading(state: State, channelId: string): boolean {
    return state.view.channelId === channelId && document.visibilityState === 'visible';
}

let threadReadTimer: ReturnType<typeof setTimeout> | undefined;

// A reply in the thread the reader has open is read as it arrives, as in a channel.
function readThreadSoon(teamId: string, threadId: string): void {
    clearTimeout(threadReadTimer);
    threadReadTimer = setTimeout(() => background(markThreadRead(teamId, threadId)), 500);
}

function handleThreadEvent(message: WebSocketMessage, state: State): void {
    const data = (message.data ?? {}) as Record<string, unknown>;
    const teamId = message.broadcast.team_id ?? '';
    switch (message.event as string) {
    case 'thread_updated': {
        const thread = parse<UserThreadWithPost>(data.thread);
        store.update((s) => threadUpdated(s, teamId, thread));
        background(loadUsers([thread.post.user_id]));
        const {view} = state;
        if (view.threadId === thread.id && view.teamId && document.visibilityState === 'visible' && thread.unread_replies > 0) {
            readThreadSoon(view.teamId, thread.id);
        }
        break;
    }
    case 'thread_read_changed': {
        const timestamp = Number(data.timestamp ?? Date.now());
        if (data.thread_id) {
            store.update((s) => threadRead(s, teamId, {
                threadId: String(data.thread_id),
                timestamp,
                unreadReplies: Number(data.unread_replies ?? 0),
                unreadMentions: Number(data.unread_mentions ?? 0),
                previousUnreadReplies: Number(data.previous_unread_replies ?? 0),
                previousUnreadMentions: Number(data.previous_unread_mentions ?? 0),
            }));
        } else {
            store.update((s) => allThreadsRead(s, teamId, timestamp));
        }
        break;
    }
    case 'thread_follow_changed': {
        const threadId = String(data.thread_id);
        if (data.state === true || data.state === 'true') {
            const team = teamId || state.view.teamId;
            if (team) {
                background(loadFollowedThread(team, threadId));
            }
        } else {
            store.update((s) => threadUnfollowed(s, teamId, threadId));
        }
        break;
    }
    }
}

export function handleEvent(message: WebSocketMessage): void {
    const data = (message.data ?? {}) as Record<string, unknown>;
    const state = store.get();
    const me = state.me;
    if (!me) {
        return;
    }
    switch (message.event as string) {
    case 'thread_updated':
    case 'thread_read_changed':
    case 'thread_follow_changed':
        handleThreadEvent(message, state);
        break;
    case 'posted': {
        const post = parse<Post>(data.post);
        const mentions = data.mentions ? parse<string[]>(data.mentions) : [];
        const reading = isReading(state, post.channel_id);
        store.update((s) => countNewPost(receivePost(s, post), post, mentions, reading));
        postArrived(post.channel_id, post.root_id, post.user_id);
        background(loadUsers([post.user_id]));
        loadMissingStatuses([post.user_id]);
        const teamId = String(data.team_id ?? '');
        if (!state.channels[post.channel_id] && state.view.teamId && (teamId === '' || teamId === state.view.teamId)) {
            // A channel of this team we did not know: a new DM, or one we were added to.
            background(loadTeam(state.view.teamId));
        } else if (reading && post.user_id !== me.id) {
            viewSoon(post.channel_id);
        }
        break;
    }
    case 'post_edited':
        store.update((s) => receivePost(s, parse<Post>(data.post)));
        break;
    case 'ephemeral_message':
        // A command's or an integration's answer for this user alone: shown, never stored.
        store.update((s) => receivePost(s, parse<Post>(data.post)));
        break;
    case 'open_dialog':
        showDialog(parse<OpenDialogRequest>(data.dialog));
        break;
    case 'post_deleted':
        store.update((s) => removePost(s, parse<Post>(data.post)));
        break;
    case 'reaction_added':
        store.update((s) => addReaction(s, parse<Reaction>(data.reaction)));
        break;
    case 'reaction_removed':
        store.update((s) => removeReaction(s, parse<Reaction>(data.reaction)));
        break;
    case 'emoji_added':
        receiveCustomEmoji(parse<CustomEmoji>(data.emoji));
        break;
    case 'channel_viewed':
        store.update((s) => markViewed(s, String(data.channel_id), Date.now()));
        break;
    case 'multiple_channels_viewed':
        for (const channelId of Object.keys(parse<Record<string, number>>(data.channel_times ?? {}))) {
            store.update((s) => markViewed(s, channelId, Date.now()));
        }
        break;
    case 'sidebar_category_created':
    case 'sidebar_category_updated':
    case 'sidebar_category_deleted':
    case 'sidebar_category_order_updated':
        if (state.view.teamId) {
            background(loadCategories(state.view.teamId));
        }
        break;
    case 'channel_created':
    case 'channel_updated':
    case 'channel_converted':
    case 'direct_added':
    case 'group_added':
    case 'user_added':
    case 'added_to_team':
    case 'channel_deleted':
    case 'channel_restored':
        if (state.view.teamId) {
            background(loadTeam(state.view.teamId));
        }
        break;
    case 'user_removed':
        if (message.broadcast.user_id === me.id || data.user_id === me.id) {
            const channelId = String(data.channel_id ?? message.broadcast.channel_id);
            store.update((s) => {
                const members = {...s.members};
                delete members[channelId];
                return {...s, members};
            });
            if (state.view.teamId) {
                background(loadCategories(state.view.teamId));
            }
        }
        break;
    case 'user_updated': {
        const user = data.user as State['users'][string] | undefined;
        if (user) {
            // Everyone hears the public profile: our own keeps what only we see (e-mail, ...).
            const mine = user.id === me.id ? {...me, ...user, email: user.email || me.email} : user;
            store.update((s) => ({...s, users: {...s.users, [user.id]: mine}, me: user.id === me.id ? mine : s.me}));
        }
        break;
    }
    case 'typing':
        receiveTyping(message.broadcast.channel_id, String(data.parent_id ?? ''), String(data.user_id ?? ''));
        break;
    case 'status_change':
        store.update((s) => receiveStatuses(s, [{user_id: String(data.user_id ?? me.id), status: String(data.status)}]));
        if (data.status === 'dnd') {
            // The event has no end time for do-not-disturb; the status itself does.
            background(loadStatuses([me.id]));
        }
        break;
    case 'preferences_changed':
        store.update((s) => receivePreferences(s, parse<PreferenceType[]>(data.preferences ?? '[]')));
        break;
    case 'preferences_deleted':
        store.update((s) => removePreferences(s, parse<PreferenceType[]>(data.preferences ?? '[]')));
        break;
    }
}

let lastSessionCheck = 0;

// A socket also closes when the session is revoked or expires; then no reconnect can succeed,
// and the reader should see the login page rather than "Reconnecting…" forever.
function checkSession(): void {
    const now = Date.now();
    if (!running || now - lastSessionCheck < 10_000) {
        return;
    }
    lastSessionCheck = now;
    client.getMe().then(checkTerms, (error) => {
        if (errorStatus(error) === 401) {
            endSession();
        }
    });
}

// The server also closes every socket when new terms of service are published; until the
// user accepts them, nothing else answers: show the terms instead of "Reconnecting…".
async function checkTerms(me: UserProfile): Promise<void> {
    try {
        await client.getMyTeams();
    } catch (error) {
        if (errorId(error) === TERMS_REQUIRED) {
            stopRealtime();
            await signedIn(me);
        }
    }
}

// Posts that arrived while the tab was hidden left the open channel unread; coming back reads it.
function readOpenChannel(): void {
    const state = store.get();
    const channelId = state.view.channelId;
    if (document.visibilityState === 'visible' && channelId && unreadOf(state.channels[channelId], state.members[channelId], isCollapsedThreads(state)).unread) {
        background(viewChannel(channelId));
    }
}

function connected(): void {
    const state = store.get();
    const first = state.connectedAt === 0;
    store.update((s) => ({...s, connected: true, connectedAt: Date.now()}));
    if (first && Object.keys(state.channelPosts).length > 0) {
        // Channels loaded before the socket listened: what was posted in between is not in
        // them, and no event will bring it.
        background(catchUp(state.view.teamId || undefined, state.view.threadId || undefined));
    }
    // Likewise the followed threads, which may have loaded (or begun to) before it listened.
    if (first && state.view.teamId) {
        background(loadThreads(state.view.teamId));
    }
}

let wired = false;
let running = false;

export function startRealtime(): void {
    if (running) {
        return;
    }
    running = true;
    if (!wired) {
        wired = true;
        socket.addMessageListener(handleEvent);
        socket.addFirstConnectListener(connected);
        // Also after a first attempt that failed: then this is the first time we listen.
        socket.addReconnectListener(connected);
        socket.addCloseListener(() => {
            store.update((s) => ({...s, connected: false}));
            checkSession();
        });
        document.addEventListener('visibilitychange', readOpenChannel);
        socket.addMissedMessageListener(() => {
            const {view} = store.get();
            background(catchUp(view.teamId || undefined, view.threadId || undefined));
            if (view.teamId) {
                background(loadThreads(view.teamId));
            }
        });
    }
    socket.initialize(socketUrl());
    startPresence();
}

export function stopRealtime(): void {
    if (running) {
        running = false;
        socket.close();
        stopPresence();
    }
}

/** A request answered 401: the session is gone; stop listening and show the login page. */
export function endSession(): void {
    stopRealtime();
    sessionExpired();
}
