// The personal data export and the retention warning: the server calls, and pure reads of what
// they answer. A background job builds the zip; the server tells the asker over the WebSocket
// (villagepump_data_export_updated) when it is ready or failed.
import {client, errorStatus, type DataExport, type ExpiringPosts} from '../api/client';

export const EXPORT_UPDATED = 'villagepump_data_export_updated';
/** How far ahead the warning looks. */
export const WARNING_DAYS = 7;

export type ExportState = 'none' | 'working' | 'ready' | 'expired' | 'failed';

/** What the settings section shows for the latest export; a ready one past its time is expired. */
export function exportState(found: DataExport | null, now: number): ExportState {
    if (!found) {
        return 'none';
    }
    switch (found.status) {
    case 'pending':
    case 'in_progress':
        return 'working';
    case 'ready':
        return found.expire_at > now ? 'ready' : 'expired';
    case 'expired':
        return 'expired';
    default:
        return 'failed';
    }
}

/** A size in the largest unit that keeps it at or above 1 (B, KB, MB, GB). */
export function formatSize(bytes: number): string {
    const units = ['B', 'KB', 'MB', 'GB'];
    let size = bytes;
    let unit = 0;
    while (size >= 1024 && unit < units.length - 1) {
        size /= 1024;
        unit += 1;
    }
    return `${unit === 0 ? size : size.toFixed(1)} ${units[unit]}`;
}

/** The latest export the user asked for, or null when there is none. */
export async function myDataExport(): Promise<DataExport | null> {
    try {
        return await client.getDataExport('me');
    } catch (failure) {
        if (errorStatus(failure) === 404) {
            return null;
        }
        throw failure;
    }
}

export function requestMyDataExport(): Promise<DataExport> {
    return client.requestDataExport('me');
}

export function expiringPosts(): Promise<ExpiringPosts> {
    return client.getExpiringPosts(WARNING_DAYS);
}

/** The warning is dismissed for a day at a time, per user, in this browser. */
export function dismissalKey(userId: string, now: number): string {
    return `villagepump.expiringDismissed.${userId}.${Math.floor(now / 86_400_000)}`;
}
