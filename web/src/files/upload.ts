// One file, one request: XMLHttpRequest, because fetch cannot report upload progress. Headers
// (CSRF token, X-Requested-With) come from the same client the rest of the app uses.
import type {FileInfo} from '@mattermost/types/files';

import {client} from '../api/client';
import {t} from '../i18n/i18n';

export interface UploadHandle {
    done: Promise<FileInfo>;
    cancel: () => void;
}

export class UploadCancelled extends Error {}

export function uploadFile(file: File, channelId: string, clientId: string, onProgress: (loaded: number) => void): UploadHandle {
    const xhr = new XMLHttpRequest();
    const done = new Promise<FileInfo>((resolve, reject) => {
        const form = new FormData();
        form.append('channel_id', channelId);
        form.append('client_ids', clientId);
        form.append('files', file, file.name);
        xhr.open('POST', `${client.getFilesRoute()}?channel_id=${encodeURIComponent(channelId)}`);
        const {headers} = client.getOptions({method: 'post'}) as {headers: Record<string, string>};
        for (const [name, value] of Object.entries(headers)) {
            xhr.setRequestHeader(name, value);
        }
        xhr.withCredentials = true;
        xhr.upload.onprogress = (event) => onProgress(event.loaded);
        xhr.onload = () => {
            const body = parse(xhr.responseText);
            if (xhr.status === 201 && body?.file_infos?.[0]) {
                resolve(body.file_infos[0] as FileInfo);
            } else {
                reject(new Error(failureMessage(xhr.status, body)));
            }
        };
        xhr.onerror = () => reject(new Error(t('files.networkError')));
        xhr.onabort = () => reject(new UploadCancelled());
        xhr.send(form);
    });
    return {done, cancel: () => xhr.abort()};
}

function parse(text: string): {file_infos?: unknown[]; message?: string} | undefined {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

function failureMessage(status: number, body: {message?: string} | undefined): string {
    if (status === 413) {
        return t('files.tooLarge');
    }
    return body?.message || t('files.failed', {status});
}
