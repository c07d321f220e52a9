// The composer's attachments while they upload: a pure state machine, one entry per chosen file,
// so the rules (what blocks sending, what gets sent) are testable without a browser.

export type UploadStatus = 'uploading' | 'done' | 'failed';

export interface Upload {
    /** Ours, sent as the upload's client_id. */
    clientId: string;
    name: string;
    size: number;
    status: UploadStatus;
    /** Bytes sent so far. */
    loaded: number;
    /** The server's file id, once done. */
    fileId?: string;
    error?: string;
}

export type UploadEvent =
    | {type: 'add'; clientId: string; name: string; size: number}
    | {type: 'progress'; clientId: string; loaded: number}
    | {type: 'done'; clientId: string; fileId: string}
    | {type: 'failed'; clientId: string; error: string}
    | {type: 'remove'; clientId: string}
    | {type: 'clear'};

/** Mattermost refuses a post with more than this many files. */
export const MAX_FILES_PER_POST = 10;

export function uploadsReducer(uploads: Upload[], event: UploadEvent): Upload[] {
    const change = (patch: (upload: Upload) => Upload) => uploads.map((u) => (u.clientId === (event as {clientId: string}).clientId ? patch(u) : u));
    switch (event.type) {
    case 'add':
        if (uploads.some((u) => u.clientId === event.clientId)) {
            return uploads;
        }
        return [...uploads, {clientId: event.clientId, name: event.name, size: event.size, status: 'uploading', loaded: 0}];
    case 'progress':
        // A late progress report never moves a finished upload back.
        return change((u) => (u.status === 'uploading' ? {...u, loaded: Math.min(Math.max(event.loaded, u.loaded), u.size)} : u));
    case 'done':
        return change((u) => (u.status === 'uploading' ? {...u, status: 'done', loaded: u.size, fileId: event.fileId} : u));
    case 'failed':
        return change((u) => (u.status === 'uploading' ? {...u, status: 'failed', error: event.error} : u));
    case 'remove':
        return uploads.filter((u) => u.clientId !== event.clientId);
    case 'clear':
        return [];
    }
}

/** While any file is still on its way the message waits. */
export function isUploading(uploads: Upload[]): boolean {
    return uploads.some((u) => u.status === 'uploading');
}

/** The ids the post carries: finished uploads only, in the order they were chosen. */
export function readyFileIds(uploads: Upload[]): string[] {
    return uploads.filter((u) => u.status === 'done' && u.fileId).map((u) => u.fileId!);
}

/** Whether a message can go: not while uploading, and with text or at least one finished file. */
export function canSend(text: string, uploads: Upload[]): boolean {
    return !isUploading(uploads) && (text.trim() !== '' || readyFileIds(uploads).length > 0);
}

/** Whole percent sent, for the progress bar. */
export function percentOf(upload: Upload): number {
    if (upload.status === 'done') {
        return 100;
    }
    return upload.size > 0 ? Math.floor((upload.loaded / upload.size) * 100) : 0;
}

/** How many more files this message can take. */
export function roomFor(uploads: Upload[]): number {
    return Math.max(0, MAX_FILES_PER_POST - uploads.filter((u) => u.status !== 'failed').length);
}
