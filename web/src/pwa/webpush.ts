// Web Push: once the person has allowed notifications, the browser subscribes at its vendor's
// push service with the server's VAPID key, and the server pushes there (encrypted for this
// browser) while no page of the app is open and active. public/sw.js shows what arrives and
// opens the message on a click.
import {client} from '../api/client';
import {navigate} from '../app/router';

/** The VAPID key as PushManager takes it: base64url to bytes. */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
    const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
    const binary = atob(base64);
    const bytes = new Uint8Array(new ArrayBuffer(binary.length));
    for (let i = 0; i < binary.length; i++) {
        bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
    const current = subscription.options.applicationServerKey;
    if (!current) {
        return false;
    }
    const bytes = new Uint8Array(current);
    return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
}

function supported(): boolean {
    return typeof Notification !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window;
}

/** Subscribes this browser, if notifications are allowed and the server offers Web Push. A
 * subscription made with another key (the server's was replaced) is renewed. */
export async function subscribeToWebPush(): Promise<void> {
    if (!supported() || Notification.permission !== 'granted') {
        return;
    }
    const settings = await client.getWebPush();
    if (!settings.enabled || !settings.public_key) {
        return;
    }
    const key = keyBytes(settings.public_key);
    const registration = await navigator.serviceWorker.ready;
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
        await subscription.unsubscribe();
        subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: key});
    await client.saveWebPushSubscription(subscription.toJSON());
}

/** A path inside the app, never another site: what a notification click may open. */
export function appPath(url: unknown): string | null {
    return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : null;
}

/** A click on a notification in a browser with the app open: the worker asks the page to go. */
export function followNotificationClicks(): void {
    navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as {type?: string; url?: unknown} | null;
        const path = data?.type === 'open-url' ? appPath(data.url) : null;
        if (path) {
            navigate(path);
        }
    });
}
