// The client's one store: plain immutable state, changed only through `update`, read by
// components through `useAppState(selector)`.
import {useSyncExternalStore} from 'react';

import type {ChannelCategory} from '@mattermost/types/channel_categories';
import type {ChannelMembership, ServerChannel as Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserThreadWithPost} from '@mattermost/types/threads';
import type {TermsOfService} from '@mattermost/types/terms_of_service';
import type {UserProfile, UserStatus} from '@mattermost/types/users';

export interface ChannelPosts {
    /** Root posts, oldest first (and their replies, when collapsed reply threads are off). */
    order: string[];
    hasOlder: boolean;
    loadingOlder: boolean;
    /** The first page has arrived. Before that, live posts are already collected here, so none
     * falls between the page the server read and the events that follow it. */
    loaded: boolean;
}

/** The threads the user follows in one team (collapsed reply threads), with the server's totals. */
export interface FollowedThreads {
    /** By root post id; the list shows them newest activity first. */
    byId: Record<string, UserThreadWithPost>;
    loaded: boolean;
    hasOlder: boolean;
    /** The oldest thread of the pages loaded so far, where the next page starts (threads loaded
     * for the Unread tab may be older). */
    pageEnd: string;
    /** Followed threads with unread replies, and their unread mentions, over all of the team's
     * followed threads (not only the ones loaded). */
    unreadThreads: number;
    unreadMentions: number;
}

export interface SignInService {
    /** The service in /oauth/<service>/login: openid or wikimedia. */
    service: string;
    label: string;
    color: string;
}

export interface LatexSettings {
    blocks: boolean;
    inline: boolean;
}

export interface State {
    /** 'enrol': signed in, but the server requires two-factor authentication first.
     * 'terms': signed in, but the terms of service must be accepted first (state.terms). */
    session: 'loading' | 'signed-out' | 'signed-in' | 'enrol' | 'terms';
    /** The terms of service waiting for this user's answer, while session is 'terms'. */
    terms: TermsOfService | null;
    me: UserProfile | null;
    siteName: string;
    /** The outside accounts one can sign in with (the client configuration says which). */
    signInServices: SignInService[];
    /** Whether messages draw LaTeX: ```latex blocks (EnableLatex) and inline $x$
     * (EnableInlineLatex, only with EnableLatex, as in Mattermost's web app). */
    latex: LatexSettings;
    teams: Record<string, Team>;
    channels: Record<string, Channel>;
    members: Record<string, ChannelMembership>;
    /** Sidebar categories per team, in the user's order. */
    categories: Record<string, ChannelCategory[]>;
    users: Record<string, UserProfile>;
    posts: Record<string, Post>;
    channelPosts: Record<string, ChannelPosts>;
    /** Replies per root post, oldest first. */
    threads: Record<string, string[]>;
    /** Where the reader had read up to when they opened the channel: the "new messages" line. */
    readMarks: Record<string, number>;
    /** Followed threads per team id. */
    followedThreads: Record<string, FollowedThreads>;
    connected: boolean;
    /** When the socket last (re)connected: 0 before it first has. Loads that were under way
     * then may have missed events, and catch up. */
    connectedAt: number;
    /** What the reader has open: events for the open channel leave it read. */
    view: {teamId: string; channelId: string; threadId: string};
    /** The post being edited in place, if any. */
    editingPostId: string;
    /** The server ended the session (expired, revoked): the login page says so. */
    sessionEnded: boolean;
    /** A post to show highlighted, from a permalink. */
    highlightPostId: string;
    /** Counts jumps, so a second jump to the same message scrolls to it again. */
    highlightJumps: number;
    /** The user's Mattermost preferences by `category:name` (see settings/preferences.ts). */
    preferences: Record<string, string>;
    /** Presence by user id: online, away, dnd or offline (see status/presence.ts). */
    statuses: Record<string, UserStatus>;
    /** Who is typing where: `channelId:parentId` to user id to when the indicator lapses. */
    typing: Record<string, Record<string, number>>;
}

export function initialState(): State {
    return {
        session: 'loading',
        terms: null,
        me: null,
        siteName: 'Villagepump',
        signInServices: [],
        // The server's defaults, until its client configuration says otherwise.
        latex: {blocks: true, inline: false},
        teams: {},
        channels: {},
        members: {},
        categories: {},
        users: {},
        posts: {},
        channelPosts: {},
        threads: {},
        readMarks: {},
        followedThreads: {},
        connected: false,
        connectedAt: 0,
        view: {teamId: '', channelId: '', threadId: ''},
        editingPostId: '',
        sessionEnded: false,
        highlightPostId: '',
        highlightJumps: 0,
        preferences: {},
        statuses: {},
        typing: {},
    };
}

export class Store {
    private state: State;
    private readonly listeners = new Set<() => void>();

    constructor(state: State = initialState()) {
        this.state = state;
    }

    get = (): State => this.state;

    update(change: (state: State) => State): void {
        const next = change(this.state);
        if (next !== this.state) {
            this.state = next;
            this.listeners.forEach((listener) => listener());
        }
    }

    subscribe = (listener: () => void): (() => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    };
}

export const store = new Store();

/** Re-renders when the selected value changes (compared by identity). */
export function useAppState<T>(selector: (state: State) => T): T {
    const snapshot = () => selector(store.get());
    // The same snapshot for renderToStaticMarkup (tests, screenshots), which asks for it apart.
    return useSyncExternalStore(store.subscribe, snapshot, snapshot);
}
