// Unsent text per channel and per thread. Kept in memory while the page is open and synced to
// the server's drafts (POST /drafts, Mattermost's synced drafts), so it follows the writer to
// another tab or device; the server drops a draft when its message is posted.
import type {Draft} from '@mattermost/types/drafts';

import {client, socket} from '../api/client';
import {store} from '../store/state';

const SAVE_DELAY_MS = 800;

const drafts = new Map<string, string>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();
const loadedTeams = new Set<string>();
// Off when the server answers that synced drafts are disabled (501) or absent.
let syncing = true;

export function draftKey(channelId: string, rootId = ''): string {
    return `${channelId}:${rootId}`;
}

export function draftOf(channelId: string, rootId = ''): string {
    return drafts.get(draftKey(channelId, rootId)) ?? '';
}

function remember(channelId: string, rootId: string, text: string): void {
    if (text) {
        drafts.set(draftKey(channelId, rootId), text);
    } else {
        drafts.delete(draftKey(channelId, rootId));
    }
}

function serverUnwilling(error: unknown): boolean {
    const status = (error as {status_code?: number}).status_code;
    if (status === 501 || status === 404) {
        syncing = false;
        return true;
    }
    return false;
}

/** Keeps the text here at once and on the server shortly after the writer pauses. */
export function setDraft(channelId: string, rootId: string, text: string): void {
    remember(channelId, rootId, text);
    const key = draftKey(channelId, rootId);
    clearTimeout(timers.get(key));
    if (!syncing) {
        return;
    }
    timers.set(key, setTimeout(() => {
        timers.delete(key);
        const me = store.get().me;
        if (!me) {
            return;
        }
        const draft = {user_id: me.id, channel_id: channelId, root_id: rootId, message: text, props: {}, file_ids: [], create_at: 0, update_at: 0, delete_at: 0};
        client.upsertDraft(draft as unknown as Draft, connectionId()).catch((error) => serverUnwilling(error) || console.error(error));
    }, SAVE_DELAY_MS));
}

/** The message was sent: no pending save may bring the draft back (the server dropped it). */
export function draftSent(channelId: string, rootId: string): void {
    const key = draftKey(channelId, rootId);
    clearTimeout(timers.get(key));
    timers.delete(key);
    drafts.delete(key);
}

function connectionId(): string {
    // The socket's id tells the server not to echo the change back to this tab.
    return (socket as unknown as {connectionId?: string}).connectionId ?? '';
}

let listening = false;

/** The team's drafts from the server, once per team; text typed here since wins. */
export async function loadDrafts(teamId: string): Promise<void> {
    if (!listening) {
        listening = true;
        socket.addMessageListener((message) => {
            const event = message.event as string;
            if (event === 'draft_created' || event === 'draft_updated' || event === 'draft_deleted') {
                const draft = JSON.parse(String((message.data as {draft?: string}).draft ?? '{}')) as Draft;
                if (draft.channel_id && !timers.has(draftKey(draft.channel_id, draft.root_id))) {
                    remember(draft.channel_id, draft.root_id ?? '', event === 'draft_deleted' ? '' : draft.message);
                }
            }
        });
    }
    if (!syncing || loadedTeams.has(teamId)) {
        return;
    }
    loadedTeams.add(teamId);
    try {
        for (const draft of await client.getUserDrafts(teamId)) {
            const key = draftKey(draft.channel_id, draft.root_id);
            if (!drafts.has(key) && draft.message) {
                drafts.set(key, draft.message);
            }
        }
    } catch (error) {
        loadedTeams.delete(teamId);
        if (!serverUnwilling(error)) {
            throw error;
        }
    }
}

/** On sign-out: the next person at this browser must not find them. */
export function forgetDrafts(): void {
    timers.forEach((timer) => clearTimeout(timer));
    timers.clear();
    drafts.clear();
    loadedTeams.clear();
    syncing = true;
}
