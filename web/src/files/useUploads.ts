// The composer's side of uploads: files from the picker, a drop on the view, or a paste go up one
// request each; the list of chips follows the pure queue in queue.ts.
import {useEffect, useReducer, useRef, type ClipboardEvent, type RefObject} from 'react';

import {t} from '../i18n/i18n';
import {roomFor, uploadsReducer, type Upload} from './queue';
import {uploadFile, UploadCancelled, type UploadHandle} from './upload';

export interface Uploads {
    uploads: Upload[];
    add: (files: File[]) => void;
    remove: (clientId: string) => void;
    /** After sending: the chips go, the files are the post's now. */
    clear: () => void;
    onPaste: (event: ClipboardEvent) => void;
}

let counter = 0;
function newClientId(): string {
    counter += 1;
    return `${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** `dropArea` is found from the composer: the channel view or thread panel around it. */
export function useUploads(channelId: string, composer: RefObject<HTMLElement | null>, onRefused: (message: string) => void): Uploads {
    const [uploads, dispatch] = useReducer(uploadsReducer, []);
    const handles = useRef(new Map<string, UploadHandle>());
    const current = useRef(uploads);
    current.current = uploads;

    const add = (files: File[]) => {
        const room = roomFor(current.current);
        if (files.length > room) {
            onRefused(t('files.tooMany', {count: room}));
        }
        for (const file of files.slice(0, room)) {
            const clientId = newClientId();
            dispatch({type: 'add', clientId, name: file.name || 'file', size: file.size});
            const handle = uploadFile(file, channelId, clientId, (loaded) => dispatch({type: 'progress', clientId, loaded}));
            handles.current.set(clientId, handle);
            handle.done.then(
                (info) => dispatch({type: 'done', clientId, fileId: info.id}),
                (failure: unknown) => {
                    if (!(failure instanceof UploadCancelled)) {
                        dispatch({type: 'failed', clientId, error: (failure as Error).message});
                    }
                },
            ).finally(() => handles.current.delete(clientId));
        }
    };
    const addRef = useRef(add);
    addRef.current = add;

    const remove = (clientId: string) => {
        handles.current.get(clientId)?.cancel();
        dispatch({type: 'remove', clientId});
    };
    const cancelAll = () => {
        handles.current.forEach((handle) => handle.cancel());
        handles.current.clear();
        dispatch({type: 'clear'});
    };

    // Files chosen for one channel never go to another: switching channels drops them.
    useEffect(() => cancelAll, [channelId]);

    // Dropping files anywhere on the channel view (or thread panel) attaches them here.
    useEffect(() => {
        const area = composer.current?.closest<HTMLElement>('.channel-view, .thread-panel');
        if (!area) {
            return;
        }
        const carriesFiles = (event: DragEvent) => Boolean(event.dataTransfer?.types.includes('Files'));
        let depth = 0;
        const onEnter = (event: DragEvent) => {
            if (carriesFiles(event)) {
                depth += 1;
                area.classList.add('drop-target');
            }
        };
        const onLeave = (event: DragEvent) => {
            if (carriesFiles(event)) {
                depth = Math.max(0, depth - 1);
                if (depth === 0) {
                    area.classList.remove('drop-target');
                }
            }
        };
        const onOver = (event: DragEvent) => {
            if (carriesFiles(event)) {
                event.preventDefault();
                event.dataTransfer!.dropEffect = 'copy';
            }
        };
        const onDrop = (event: DragEvent) => {
            depth = 0;
            area.classList.remove('drop-target');
            const files = [...(event.dataTransfer?.files ?? [])];
            if (files.length > 0) {
                event.preventDefault();
                addRef.current(files);
            }
        };
        area.addEventListener('dragenter', onEnter);
        area.addEventListener('dragleave', onLeave);
        area.addEventListener('dragover', onOver);
        area.addEventListener('drop', onDrop);
        return () => {
            area.removeEventListener('dragenter', onEnter);
            area.removeEventListener('dragleave', onLeave);
            area.removeEventListener('dragover', onOver);
            area.removeEventListener('drop', onDrop);
            area.classList.remove('drop-target');
        };
    }, [composer]);

    const onPaste = (event: ClipboardEvent) => {
        // Copying from a spreadsheet or word processor also puts a picture of it on the
        // clipboard; text wins, a picture or file alone is attached.
        const files = [...event.clipboardData.files];
        if (files.length > 0 && !event.clipboardData.getData('text/plain')) {
            event.preventDefault();
            add(files);
        }
    };

    return {uploads, add, remove, clear: () => dispatch({type: 'clear'}), onPaste};
}
