// The only way the app talks to the server: Mattermost's own client library. It authenticates
// with the session cookies the server sets at login (and sends the CSRF header from MMCSRF).
import {Client4, ClientError, WebSocketClient} from '@mattermost/client';
import type {UserProfile} from '@mattermost/types/users';

import {OPEN_TIMEOUT_MS, openingWithin} from './socketOpening';

/** A security key as the server lists it (never its public key). */
export type SecurityKey = {id: string; name: string; create_at: number; last_used_at: number};

import type {Report, ReportFilter} from '../moderation/reports';
/** A personal data export, as the server renders it (render/personal_data.py). */
export interface DataExport {
    id: string;
    user_id: string;
    status: 'pending' | 'in_progress' | 'ready' | 'error' | 'expired';
    create_at: number;
    finish_at: number;
    expire_at: number;
    size: number;
    download_url: string;
}

export interface ExpiringPosts {
    count: number;
    days: number;
    oldest_at: number;
    retention: boolean;
}

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

    /** The reasons a report may give (our route; VillagepumpSettings.ReportReasons). */
    getReportReasons(): Promise<string[]> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/reports/reasons`, {method: 'get'});
    }

    /** Reports a post to the moderators (our route). */
    createReport(postId: string, reason: string, comment: string): Promise<Report> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/reports`, {
            method: 'post',
            body: JSON.stringify({post_id: postId, reason, comment}),
        });
    }

    /** The moderators' queue, newest first (our route; moderators only). */
    getReports(status: ReportFilter, page = 0, perPage = 60): Promise<Report[]> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/reports?status=${status}&page=${page}&per_page=${perPage}`, {method: 'get'});
    }

    /** Resolves or dismisses an open report with a note (our route; moderators only). */
    closeReport(reportId: string, verb: 'resolve' | 'dismiss', note: string): Promise<Report> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/reports/${reportId}/${verb}`, {
            method: 'post',
            body: JSON.stringify({note}),
        });
    }

    /** Asks for a zip of everything the user posted and uploaded (our route; a background job builds it). */
    requestDataExport(userId: string): Promise<DataExport> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/users/${userId}/data_export`, {method: 'post'});
    }

    /** Erases a user for good: Mattermost's permanent delete (ServiceSettings.EnableAPIUserDeletion). */
    eraseUser(userId: string): Promise<unknown> {
        return this.doFetch(`${this.getUserRoute(userId)}?permanent=true`, {method: 'delete'});
    }

    /** The latest export the caller asked for of this user's data (404 when there is none). */
    getDataExport(userId: string): Promise<DataExport> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/users/${userId}/data_export`, {method: 'get'});
    }

    /** How many of the caller's messages the retention policies delete within `days` (our route). */
    getExpiringPosts(days: number): Promise<ExpiringPosts> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/users/me/expiring_posts?days=${days}`, {method: 'get'});
    }

    /** The signed-in user's security keys (our route). */
    getSecurityKeys(): Promise<SecurityKey[]> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/keys`, {method: 'get'});
    }

    /** Options for navigator.credentials.create, with a challenge the server keeps (our route). */
    getSecurityKeyOptions(): Promise<Record<string, unknown>> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/keys/options`, {method: 'post'});
    }

    /** Registers the new key; the first second factor comes with ten recovery codes (our route). */
    addSecurityKey(name: string, credential: Record<string, unknown>): Promise<{key: SecurityKey; recovery_codes: string[]}> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/keys`, {method: 'post', body: JSON.stringify({name, credential})});
    }

    /** Removes a key, proven by the current password or a code (our route). */
    removeSecurityKey(keyId: string, proof: {password?: string; code?: string}): Promise<unknown> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/keys/${encodeURIComponent(keyId)}`, {method: 'delete', body: JSON.stringify(proof)});
    }

    /** Checks the password and answers options for navigator.credentials.get (our route). */
    getSecurityKeyLoginOptions(loginId: string, password: string): Promise<Record<string, unknown>> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/login/options`, {method: 'post', body: JSON.stringify({login_id: loginId, password})});
    }

    /** Finishes the login with the key's answer; the session's cookies come as from /users/login. */
    loginWithSecurityKey(credential: Record<string, unknown>): Promise<UserProfile> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/webauthn/login`, {method: 'post', body: JSON.stringify({credential, device_id: ''})});
    }

    /** Moderators' tools (our routes under /villagepump/moderation; see moderation/api.ts). */
    moderation<T>(path: string, method: 'get' | 'post' | 'put' | 'delete', body?: unknown): Promise<T> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/moderation${path}`, {
            method,
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    }

    /** The built-in IRC bridge's admin routes (ours, under /villagepump/bridges/irc; see
     * console/ircBridge.ts). PATCH in capitals: fetch() upper-cases the other methods, not it. */
    ircBridge<T>(path: string, method: 'get' | 'post' | 'PATCH' | 'delete', body?: unknown): Promise<T> {
        return this.doFetch(`${this.getBaseRoute()}/villagepump/bridges/irc${path}`, {
            method,
            body: body === undefined ? undefined : JSON.stringify(body),
        });
    }

    /** The data retention policies of the user's own teams and channels (Client4 has no call). */
    getUserRetentionPolicies(userId: string, scope: 'team' | 'channel', page = 0, perPage = 200): Promise<{policies: Array<{team_id?: string; channel_id?: string; post_duration: number}>; total_count: number}> {
        return this.doFetch(`${this.getUserRoute(userId)}/data_retention/${scope}_policies?page=${page}&per_page=${perPage}`, {method: 'get'});
    }

    /** Moves a channel to another team (Mattermost's route; Client4 has no call for it). */
    moveChannel(channelId: string, teamId: string, force: boolean): Promise<{id: string; team_id: string}> {
        return this.doFetch(`${this.getChannelRoute(channelId)}/move`, {method: 'post', body: JSON.stringify({team_id: teamId, force})});
    }

    /** Makes a team open ('O') or invite only ('I') (Mattermost's route; Client4 has no call). */
    updateTeamPrivacy(teamId: string, privacy: 'O' | 'I'): Promise<unknown> {
        return this.doFetch(`${this.getTeamRoute(teamId)}/privacy`, {method: 'put', body: JSON.stringify({privacy})});
    }

    /** The audit log with our filters (Client4's getAudits pages only). */
    getAuditLog(filter: AuditFilter, page = 0, perPage = 50): Promise<AuditEntry[]> {
        return this.doFetch(`${this.getBaseRoute()}/audits?${auditQuery(filter)}&page=${page}&per_page=${perPage}`, {method: 'get'});
    }

    /** Where the browser downloads the filtered log (our route; the session cookie signs it). */
    auditExportUrl(filter: AuditFilter, format: 'csv' | 'jsonl'): string {
        return `${this.getBaseRoute()}/audits/export?${auditQuery(filter)}&format=${format}`;
    }
}

export interface AuditFilter {
    user_id?: string;
    action?: string;
    since?: number;
    until?: number;
}

export interface AuditEntry {
    id: string;
    create_at: number;
    user_id: string;
    action: string;
    target_id?: string;
    extra_info: string;
    ip_address: string;
    session_id: string;
}

function auditQuery(filter: AuditFilter): string {
    return Object.entries(filter).filter(([, value]) => value).map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`).join('&');
}

export const client = new Client();
client.setUrl(window.location.origin);

export const socket = new WebSocketClient({newWebSocketFn: openingWithin(OPEN_TIMEOUT_MS)});

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
