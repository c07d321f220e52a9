// New messages read out by screen readers (Mattermost's web app does not: mattermost#9661).
// One polite live region; posts by others in the channel or thread on screen are gathered for a
// moment and announced together, so a busy channel does not talk over the reader.
import type {WebSocketMessage} from '@mattermost/client';
import type {Post} from '@mattermost/types/posts';

import {socket} from '../api/client';
import {t} from '../i18n/i18n';
import {channelTitle} from '../store/channels';
import {store, type State} from '../store/state';
import './a11y.css';

export const ANNOUNCE_DELAY_MS = 1500;
const TEXT_LIMIT = 200;

function plain(text: string): string {
    const flat = text.replace(/```[\s\S]*?```/g, ' ').replace(/[*_~`>#]+/g, '').replace(/\s+/g, ' ').trim();
    return flat.length > TEXT_LIMIT ? `${flat.slice(0, TEXT_LIMIT - 1)}…` : flat;
}

function onScreen(state: State, post: Post): boolean {
    const {view} = state;
    return (post.root_id === '' && view.channelId === post.channel_id) || (post.root_id !== '' && view.threadId === post.root_id);
}

/** What the live region says for a batch of posts. */
export function announcement(state: State, posts: Post[]): string {
    if (posts.length === 1) {
        const [post] = posts;
        const name = state.users[post.user_id]?.username ?? '';
        return t('a11y.newMessage', {name, text: plain(post.message)});
    }
    const channel = state.channels[posts[0].channel_id];
    return t('a11y.newMessages', {count: posts.length, channel: channel ? channelTitle(state, channel) : ''});
}

export class Announcer {
    readonly region: HTMLElement;
    private pending: Post[] = [];
    private timer: ReturnType<typeof setTimeout> | undefined;

    constructor(parent: HTMLElement = document.body) {
        this.region = document.createElement('div');
        this.region.className = 'visually-hidden';
        this.region.setAttribute('aria-live', 'polite');
        this.region.setAttribute('aria-atomic', 'true');
        this.region.dataset.testid = 'announcer';
        parent.appendChild(this.region);
    }

    readonly onMessage = (message: WebSocketMessage): void => {
        if ((message.event as string) !== 'posted') {
            return;
        }
        const data = (message.data ?? {}) as Record<string, unknown>;
        const post = (typeof data.post === 'string' ? JSON.parse(data.post) : data.post) as Post;
        const state = store.get();
        if (!state.me || post.user_id === state.me.id || post.type?.startsWith('system_') || !onScreen(state, post)) {
            return;
        }
        this.pending.push(post);
        this.timer ??= setTimeout(() => this.flush(), ANNOUNCE_DELAY_MS);
    };

    flush(): void {
        this.timer = undefined;
        const posts = this.pending;
        this.pending = [];
        if (posts.length > 0) {
            this.region.textContent = announcement(store.get(), posts);
        }
    }

    stop(): void {
        clearTimeout(this.timer);
        this.region.remove();
    }
}

export function startAnnouncer(): () => void {
    const announcer = new Announcer();
    socket.addMessageListener(announcer.onMessage);
    return () => {
        socket.removeMessageListener(announcer.onMessage);
        announcer.stop();
    };
}
