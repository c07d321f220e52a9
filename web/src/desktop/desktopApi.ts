// The Mattermost desktop app (Electron) loads this web client and gives the page
// `window.desktopAPI` (mattermost/desktop src/app/preload/externalAPI.ts). Its main process
// validates every call's arguments with Joi and silently drops a call whose types are wrong
// (src/main/app/initialize.ts, src/app/views/webContentsManager.ts, src/app/navigationManager.ts),
// so the calls go through the typed wrappers below, which coerce before sending.
import type {DesktopAPI, Theme} from '@mattermost/desktop-api';

declare global {
    interface Window {
        desktopAPI?: Partial<DesktopAPI>;
    }
}

export type {DesktopAPI, Theme};

export function desktopApi(): Partial<DesktopAPI> | undefined {
    return typeof window === 'undefined' ? undefined : window.desktopAPI;
}

export function inDesktopApp(): boolean {
    return Boolean(desktopApi());
}

/** `setUnreadsAndMentions(boolean, integer >= 0)`: the dock badge. */
export function sendUnreads(isUnread: boolean, mentions: number): void {
    const count = Number.isFinite(mentions) ? Math.max(0, Math.floor(mentions)) : 0;
    desktopApi()?.setUnreadsAndMentions?.(Boolean(isUnread), count);
}

export interface DesktopNotification {
    title: string;
    body: string;
    channelId: string;
    /** '' for a direct or group message, which belongs to no team. */
    teamId: string;
    /** The in-app path the click opens. */
    url: string;
    silent: boolean;
    /** Mattermost's sound name ("Bing", ...), which the app plays from its own recordings. */
    soundName?: string;
}

/** `sendNotification(string, string, string, string, string, boolean, string)`; every string
 * may be empty but must be a string. */
export async function sendDesktopNotification(notification: DesktopNotification): Promise<{status: string; reason?: string} | undefined> {
    const send = desktopApi()?.sendNotification;
    if (!send) {
        return undefined;
    }
    return send(
        String(notification.title),
        String(notification.body),
        String(notification.channelId),
        String(notification.teamId ?? ''),
        String(notification.url),
        Boolean(notification.silent),
        String(notification.soundName ?? ''),
    );
}

/** `sendBrowserHistoryPush(non-empty string)`: after a notification click the desktop shows its
 * window only once this arrives. */
export function sendHistoryPush(path: string): void {
    if (path) {
        desktopApi()?.sendBrowserHistoryPush?.(String(path));
    }
}
