// A channel's files, newest first, as Mattermost's web app lists them: a file search for
// "channel:<channel id>" (the server takes a channel's id where a name would go).
import type {FileInfo} from '@mattermost/types/files';

import {client} from '../api/client';
import {loadUsers} from '../store/actions';

export const FILES_PER_PAGE = 50;

/** A file search's answer as the server sends it (JSON objects, which the client's types call Maps). */
export interface FileResults {
    order: string[];
    file_infos: Record<string, FileInfo | undefined>;
}

export function channelFilesTerms(channelId: string): string {
    return `channel:${channelId}`;
}

/** The files already shown followed by a result page's new ones, newest first (ties by id,
 *  as the server orders them), leaving out deleted files and any the result lists twice. */
export function mergeFiles(shown: FileInfo[], result: FileResults): FileInfo[] {
    const known = new Set(shown.map((file) => file.id));
    const added: FileInfo[] = [];
    for (const id of result.order) {
        const file = result.file_infos[id];
        if (file && !known.has(file.id) && !file.delete_at) {
            known.add(file.id);
            added.push(file);
        }
    }
    return [...shown, ...added].sort((a, b) => b.create_at - a.create_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

export interface FilesPage {
    files: FileInfo[];
    /** A full page came back, so there may be more. */
    hasMore: boolean;
}

export async function loadChannelFiles(teamId: string, channelId: string, shown: FileInfo[], page: number): Promise<FilesPage> {
    const result = await client.searchFilesWithParams(teamId, {
        terms: channelFilesTerms(channelId),
        is_or_search: false,
        time_zone_offset: -new Date().getTimezoneOffset() * 60,
        // An archived channel's files stay listed, as its messages stay readable.
        include_deleted_channels: true,
        page,
        per_page: FILES_PER_PAGE,
    }) as unknown as FileResults;
    const files = mergeFiles(shown, result);
    await loadUsers([...new Set(files.map((file) => file.user_id))]);
    return {files, hasMore: result.order.length >= FILES_PER_PAGE};
}
