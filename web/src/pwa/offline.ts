// Installs the service worker (public/sw.js), which lets the app open without a network on the
// channels last read, and clears what it kept of a user's data when that user signs out, or
// when someone else signs in on the same browser.
import {store, type State} from '../store/state';
import {followNotificationClicks, subscribeToWebPush} from './webpush';

export const API_CACHE = 'villagepump-api-v1';
const OWNER = 'villagepump.offlineOwner';

/** Forgets the API answers the worker kept. */
export async function clearUserData(): Promise<void> {
    navigator.serviceWorker?.controller?.postMessage({type: 'clear-user-data'});
    if (typeof caches !== 'undefined') {
        await caches.delete(API_CACHE);
    }
}

function owner(): string | null {
    try {
        return window.localStorage.getItem(OWNER);
    } catch {
        return null;
    }
}

function setOwner(userId: string | null): void {
    try {
        if (userId) {
            window.localStorage.setItem(OWNER, userId);
        } else {
            window.localStorage.removeItem(OWNER);
        }
    } catch {
        // No storage: the cache is still cleared at every sign-out.
    }
}

/** Clears on sign-out and on a change of user; returns the store listener's remover. */
export function watchSessionForCache(): () => void {
    let previous: State['session'] = store.get().session;
    return store.subscribe(() => {
        const state = store.get();
        if (state.session === previous) {
            return;
        }
        if (state.session === 'signed-out' && previous === 'signed-in') {
            setOwner(null);
            void clearUserData().catch(console.error);
        } else if (state.session === 'signed-in' && state.me) {
            const before = owner();
            if (before && before !== state.me.id) {
                void clearUserData().catch(console.error);
            }
            setOwner(state.me.id);
            // Each sign-in registers this browser's push subscription for its own session.
            void subscribeToWebPush().catch((error) => console.warn('web push', error));
        }
        previous = state.session;
    });
}

export function startOfflineSupport(): void {
    watchSessionForCache();
    // Only the built app: Vite's dev server serves modules the worker must not pin.
    if (import.meta.env.PROD && 'serviceWorker' in navigator) {
        navigator.serviceWorker.register('/sw.js', {scope: '/'}).catch((error) => console.warn('service worker', error));
        followNotificationClicks();
    }
}
