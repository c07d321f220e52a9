// The only way the app talks to the server: Mattermost's own client library. It authenticates
// with the session cookies the server sets at login (and sends the CSRF header from MMCSRF).
import {Client4, ClientError, WebSocketClient} from '@mattermost/client';

class Client extends Client4 {
    /** The first admin, from the server's one-time setup link (Client4 has no call for it). */
    createFirstAdmin(setupToken: string, user: {username: string; email: string; password: string}): Promise<unknown> {
        return this.doFetch(`${this.getUsersRoute()}?setup_token=${encodeURIComponent(setupToken)}`, {
            method: 'post',
            body: JSON.stringify(user),
        });
    }

    /** Turns two-factor authentication on; unlike Client4's updateUserMfa, keeps the answer's
     * ten recovery codes, which the server shows this once. */
    activateMfa(userId: string, code: string): Promise<{recovery_codes: string[]}> {
        return this.doFetch(`${this.getUserRoute(userId)}/mfa`, {method: 'put', body: JSON.stringify({activate: true, code})});
    }

    /** Ten new recovery codes in place of the old ones (our route; it takes a current code). */
    newRecoveryCodes(userId: string, code: string): Promise<{recovery_codes: string[]}> {
        return this.doFetch(`${this.getUserRoute(userId)}/mfa/recovery_codes`, {method: 'post', body: JSON.stringify({code})});
    }

    /** Whether this server offers Web Push, and its VAPID key (our route). */
    getWebPush(): Promise<{enabled: boolean; public_key: string}> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webpush`, {method: 'get'});
    }

    /** Registers this browser's push subscription for the current session (our route). */
    saveWebPushSubscription(subscription: PushSubscriptionJSON): Promise<unknown> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webpush/subscriptions`, {
            method: 'post',
            body: JSON.stringify(subscription),
        });
    }

    /** Moderators' tools (our routes under /villagepump/moderation; see moderation/api.ts). */
    moderation<T>(path: string, method: 'get' | 'post' | 'put' | 'delete', body?: unknown): Promise<T> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/moderation${path}`, {
            method,
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    }

    /** The data retention policies of the user's own teams and channels (Client4 has no call). */
    getUserRetentionPolicies(userId: string, scope: 'team' | 'channel', page = 0, perPage = 200): Promise<{policies: Array<{team_id?: string; channel_id?: string; post_duration: number}>; total_count: number}> {
        return this.doFetch(`${this.getUserRoute(userId)}/data_retention/${scope}_policies?page=${page}&per_page=${perPage}`, {method: 'get'});
    }
}

export const client = new Client();
client.setUrl(window.location.origin);

export const socket = new WebSocketClient();

export function socketUrl(): string {
    const {protocol, host} = window.location;
    return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api/v4/websocket`;
}

/** The message a failed request should show: Mattermost's own, which the server localises. */
export function errorMessage(error: unknown): string {
    if (error instanceof ClientError || (error instanceof Error && error.message)) {
        return error.message;
    }
    return String(error);
}

export function errorStatus(error: unknown): number | undefined {
    return (error as {status_code?: number}).status_code;
}
