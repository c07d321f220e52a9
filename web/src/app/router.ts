// Mattermost's URLs, so links shared from its apps and e-mails open the same place here:
// /<team>/channels/<name>, /<team>/messages/@<user>, /<team>/pl/<post_id>, /<team>/threads.
import {useSyncExternalStore, type MouseEvent} from 'react';

export type Route =
    | {name: 'login'}
    | {name: 'setup'; token: string}
    | {name: 'signup'}
    | {name: 'forgot-password'}
    | {name: 'reset-password'}
    | {name: 'verify-email'}
    | {name: 'root'}
    | {name: 'select-team'}
    | {name: 'team'; team: string}
    | {name: 'channel'; team: string; channel: string}
    | {name: 'direct'; team: string; username: string}
    | {name: 'permalink'; team: string; postId: string}
    | {name: 'threads'; team: string}
    | {name: 'console'; section: string}
    | {name: 'not-found'};

export function parseRoute(path: string): Route {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) {
        return {name: 'root'};
    }
    if (parts[0] === 'login' && parts.length === 1) {
        return {name: 'login'};
    }
    if (parts[0] === 'setup' && parts.length === 2) {
        return {name: 'setup', token: parts[1]};
    }
    // Mattermost's invite link: /signup_user_complete/?id=<invite id>.
    if (parts[0] === 'signup_user_complete' && parts.length === 1) {
        return {name: 'signup'};
    }
    // Mattermost's account pages: the request for a reset link, and the pages its mails link to
    // (/reset_password_complete?token=..., /do_verify_email?token=...&email=...).
    if (parts[0] === 'reset_password' && parts.length === 1) {
        return {name: 'forgot-password'};
    }
    if (parts[0] === 'reset_password_complete' && parts.length === 1) {
        return {name: 'reset-password'};
    }
    if (parts[0] === 'do_verify_email' && parts.length === 1) {
        return {name: 'verify-email'};
    }
    if (parts[0] === 'select_team' && parts.length === 1) {
        return {name: 'select-team'};
    }
    // Mattermost's System Console: /admin_console/<section>.
    if (parts[0] === 'admin_console' && parts.length <= 2) {
        return {name: 'console', section: parts[1] ?? ''};
    }
    const [team, section, target] = parts;
    if (parts.length === 1) {
        return {name: 'team', team};
    }
    if (section === 'threads' && parts.length <= 3) {
        return {name: 'threads', team};
    }
    if (parts.length !== 3) {
        return {name: 'not-found'};
    }
    if (section === 'channels') {
        return {name: 'channel', team, channel: target};
    }
    if (section === 'messages') {
        // A group message's address names the channel itself, as Mattermost's does.
        return target.startsWith('@') ? {name: 'direct', team, username: target.slice(1)} : {name: 'channel', team, channel: target};
    }
    if (section === 'pl') {
        return {name: 'permalink', team, postId: target};
    }
    return {name: 'not-found'};
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
    listeners.add(listener);
    window.addEventListener('popstate', listener);
    return () => {
        listeners.delete(listener);
        window.removeEventListener('popstate', listener);
    };
}

export function usePath(): string {
    return useSyncExternalStore(subscribe, () => window.location.pathname);
}

const pushListeners = new Set<(path: string) => void>();

/** Told of every in-app navigation that adds a history entry (the desktop app wants each one). */
export function onHistoryPush(listener: (path: string) => void): () => void {
    pushListeners.add(listener);
    return () => pushListeners.delete(listener);
}

export function navigate(path: string, {replace = false} = {}): void {
    if (path === window.location.pathname) {
        return;
    }
    if (replace) {
        window.history.replaceState(null, '', path);
    } else {
        window.history.pushState(null, '', path);
    }
    listeners.forEach((listener) => listener());
    if (!replace) {
        pushListeners.forEach((listener) => listener(path));
    }
}

/** For <a href> that should navigate inside the app unless the user asked for a new tab. */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
    }
    event.preventDefault();
    navigate(event.currentTarget.pathname);
}

export function channelPath(team: string, channel: string): string {
    return `/${team}/channels/${encodeURIComponent(channel)}`;
}
