// What the page does for the window it lives in: in the Mattermost desktop app, the calls of
// `window.desktopAPI` (loading screen, dock badge, notifications, history, session, theme);
// in a plain browser, the Notification API and a favicon badge.
import type {WebSocketMessage} from '@mattermost/client';
import type {Post} from '@mattermost/types/posts';

import {socket} from '../api/client';
import {navigate, onHistoryPush} from '../app/router';
import {setDesktopDarkMode} from '../settings/theme';
import {store, type State} from '../store/state';
import {desktopApi, sendDesktopNotification, sendHistoryPush, sendUnreads, type Theme} from './desktopApi';
import {showFavicon} from './favicon';
import {notificationContent, shouldNotify, unreadTotals, type NotificationContent, type Posted} from './notify';
import {playSound, soundSetting} from './sounds';
import './desktop.css';

function parse<T>(value: unknown): T {
    return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** The post's channel (or thread) is on screen and the window has the focus. */
function lookingAt(state: State, post: Post): boolean {
    const focused = document.visibilityState === 'visible' && document.hasFocus();
    const {view} = state;
    return focused && (view.channelId === post.channel_id && !post.root_id || (post.root_id !== '' && view.threadId === post.root_id));
}

/** After a click on a desktop notification the app shows its window only once the page pushes a
 * path (mattermost/desktop src/main/notifications/index.ts), so one is sent even when the
 * notification is for the page already open. */
export function openFromNotification(url: string): void {
    const before = window.location.pathname;
    navigate(url);
    if (desktopApi() && before === url) {
        sendHistoryPush(url);
    }
}

function showBrowserNotification(content: NotificationContent): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') {
        return;
    }
    const notification = new Notification(content.title, {body: content.body, tag: content.channelId, icon: '/icon-192.png'});
    notification.onclick = () => {
        window.focus();
        openFromNotification(content.url);
        notification.close();
    };
}

export function notifyOfPost(message: WebSocketMessage): void {
    if ((message.event as string) !== 'posted') {
        return;
    }
    const data = (message.data ?? {}) as Record<string, unknown>;
    const state = store.get();
    const event: Posted = {
        post: parse<Post>(data.post),
        mentions: data.mentions ? parse<string[]>(data.mentions) : [],
        channelType: String(data.channel_type ?? ''),
        senderName: String(data.sender_name ?? ''),
        teamId: String(data.team_id ?? ''),
    };
    if (!shouldNotify(state, event, lookingAt(state, event.post))) {
        return;
    }
    const content = notificationContent(state, event);
    const sound = soundSetting(state.me?.notify_props as Record<string, string | undefined> | undefined);
    if (desktopApi()?.sendNotification) {
        void sendDesktopNotification({...content, silent: !sound.play, soundName: sound.play ? sound.sound : ''}).catch(console.error);
    } else {
        showBrowserNotification(content);
        if (sound.play && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
            playSound(sound.sound);
        }
    }
}

function cssValue(style: CSSStyleDeclaration, name: string, fallback: string): string {
    return style.getPropertyValue(name).trim() || fallback;
}

/** The page's colours in the shape the desktop's tab bar reads (every field a string). */
export function currentTheme(): Theme {
    const style = getComputedStyle(document.documentElement);
    const sidebarBg = cssValue(style, '--bg-sidebar', '#1f2a37');
    const sidebarText = cssValue(style, '--fg-sidebar', '#dde3ea');
    const accent = cssValue(style, '--accent', '#1e6b52');
    const badge = cssValue(style, '--badge', '#d6336c');
    return {
        sidebarBg,
        sidebarText,
        sidebarUnreadText: sidebarText,
        sidebarTextHoverBg: sidebarBg,
        sidebarTextActiveBorder: accent,
        sidebarTextActiveColor: sidebarText,
        sidebarHeaderBg: sidebarBg,
        sidebarTeamBarBg: sidebarBg,
        sidebarHeaderTextColor: sidebarText,
        onlineIndicator: '#2f9e44',
        awayIndicator: '#f59f00',
        dndIndicator: '#e03131',
        mentionBg: badge,
        mentionColor: '#ffffff',
        centerChannelBg: cssValue(style, '--bg', '#ffffff'),
        centerChannelColor: cssValue(style, '--fg', '#1d2125'),
        newMessageSeparator: badge,
        linkColor: accent,
        buttonBg: accent,
        buttonColor: cssValue(style, '--accent-fg', '#ffffff'),
        errorTextColor: cssValue(style, '--danger', '#c92a2a'),
        mentionHighlightBg: cssValue(style, '--mention-bg', '#fff3c4'),
        mentionHighlightLink: accent,
        codeTheme: 'github',
        isUsingSystemTheme: !document.documentElement.dataset.theme || document.documentElement.dataset.theme === 'system',
    };
}

/**
 * Wires the page to its window. Returns a function that undoes it (for tests).
 */
export function startShell(): () => void {
    const api = desktopApi();
    const undo: (() => void)[] = [];
    let session: State['session'] = 'loading';
    let initialized = false;
    let badge = '';

    const onState = () => {
        const state = store.get();
        if (!initialized && state.session !== 'loading') {
            initialized = true;
            api?.reactAppInitialized?.();
        }
        if (state.session !== session) {
            if (state.session === 'signed-in') {
                api?.onLogin?.();
                api?.setSessionExpired?.(false);
            } else if (state.session === 'signed-out' && session === 'signed-in') {
                if (state.sessionEnded) {
                    api?.setSessionExpired?.(true);
                } else {
                    api?.onLogout?.();
                }
            }
            session = state.session;
        }
        const {unread, mentions} = state.session === 'signed-in' ? unreadTotals(state) : {unread: false, mentions: 0};
        const next = `${unread}:${mentions}`;
        if (next !== badge) {
            badge = next;
            if (api) {
                sendUnreads(unread, mentions);
            } else {
                showFavicon(unread, mentions);
            }
        }
    };
    undo.push(store.subscribe(onState));
    onState();

    socket.addMessageListener(notifyOfPost);
    undo.push(() => socket.removeMessageListener(notifyOfPost));

    if (api) {
        // Mattermost's web app routes every history push through the desktop, which echoes it
        // back (onBrowserHistoryPush) and uses it for its back/forward buttons; deep links from
        // the OS arrive the same way.
        undo.push(onHistoryPush(sendHistoryPush));
        const off = [
            api.onBrowserHistoryPush?.((path) => typeof path === 'string' && navigate(path)),
            api.onNotificationClicked?.((_channelId, _teamId, url) => openFromNotification(typeof url === 'string' && url ? url : '/')),
            api.onUserActivityUpdate?.((active, _idle, isSystemEvent) => {
                if (store.get().session === 'signed-in') {
                    socket.userUpdateActiveStatus(Boolean(active), !isSystemEvent);
                }
            }),
            // The desktop's tab bar takes the page's colours; resend them when the OS switches
            // between light and dark (the page's CSS follows it) or the user changes theme.
            api.onDarkModeChanged?.((dark) => {
                if (typeof dark === 'boolean') {
                    setDesktopDarkMode(dark);
                }
                requestAnimationFrame(() => api.updateTheme?.(currentTheme()));
            }),
        ];
        for (const stop of off) {
            if (typeof stop === 'function') {
                undo.push(stop);
            }
        }
        const sendTheme = () => api.updateTheme?.(currentTheme());
        const themeWatcher = new MutationObserver(sendTheme);
        themeWatcher.observe(document.documentElement, {attributes: true, attributeFilter: ['data-theme', 'class', 'style']});
        undo.push(() => themeWatcher.disconnect());
        void api.getDarkMode?.().then((dark) => {
            if (typeof dark === 'boolean') {
                setDesktopDarkMode(dark);
            }
            sendTheme();
        }, () => undefined);
        undo.push(() => setDesktopDarkMode(null));
    }
    return () => undo.forEach((stop) => stop());
}
