import {describe, expect, it} from 'vitest';

import {canSend, isUploading, MAX_FILES_PER_POST, percentOf, readyFileIds, roomFor, uploadsReducer, type Upload, type UploadEvent} from './queue';

function run(...events: UploadEvent[]): Upload[] {
    return events.reduce(uploadsReducer, [] as Upload[]);
}

const addA: UploadEvent = {type: 'add', clientId: 'a', name: 'a.png', size: 1000};
const addB: UploadEvent = {type: 'add', clientId: 'b', name: 'b.txt', size: 10};

describe('upload queue', () => {
    it('tracks progress and completion per file', () => {
        const uploads = run(addA, addB, {type: 'progress', clientId: 'a', loaded: 500});
        expect(uploads.map((u) => [u.name, u.status, u.loaded])).toEqual([['a.png', 'uploading', 500], ['b.txt', 'uploading', 0]]);
        expect(percentOf(uploads[0])).toBe(50);
        expect(isUploading(uploads)).toBe(true);

        const done = run(addA, addB, {type: 'done', clientId: 'b', fileId: 'fb'}, {type: 'done', clientId: 'a', fileId: 'fa'});
        expect(isUploading(done)).toBe(false);
        // The post carries the files in the order they were chosen, not finished.
        expect(readyFileIds(done)).toEqual(['fa', 'fb']);
        expect(percentOf(done[0])).toBe(100);
    });

    it('blocks sending while anything uploads, and allows files without text', () => {
        const uploading = run(addA);
        expect(canSend('hello', uploading)).toBe(false);
        const done = run(addA, {type: 'done', clientId: 'a', fileId: 'fa'});
        expect(canSend('', done)).toBe(true);
        expect(canSend('  ', [])).toBe(false);
        expect(canSend('hi', [])).toBe(true);
        const failed = run(addA, {type: 'failed', clientId: 'a', error: 'too large'});
        // A failed file neither blocks nor counts as something to send.
        expect(canSend('', failed)).toBe(false);
        expect(canSend('hi', failed)).toBe(true);
        expect(readyFileIds(failed)).toEqual([]);
        expect(failed[0].error).toBe('too large');
    });

    it('ignores late events for finished or removed files', () => {
        const uploads = run(
            addA,
            {type: 'done', clientId: 'a', fileId: 'fa'},
            {type: 'progress', clientId: 'a', loaded: 3},
            {type: 'failed', clientId: 'a', error: 'late'},
        );
        expect(uploads[0]).toMatchObject({status: 'done', loaded: 1000, fileId: 'fa'});
        expect(run(addA, {type: 'remove', clientId: 'a'}, {type: 'done', clientId: 'a', fileId: 'fa'})).toEqual([]);
        // Progress never goes backwards or beyond the size.
        const progressed = run(addA, {type: 'progress', clientId: 'a', loaded: 800}, {type: 'progress', clientId: 'a', loaded: 200},
            {type: 'progress', clientId: 'a', loaded: 5000});
        expect(progressed[0].loaded).toBe(1000);
    });

    it('does not add the same client id twice, and clears', () => {
        expect(run(addA, addA)).toHaveLength(1);
        expect(run(addA, addB, {type: 'clear'})).toEqual([]);
    });

    it('counts the room left, not counting failures', () => {
        const many = Array.from({length: MAX_FILES_PER_POST - 1}, (_, i): UploadEvent => ({type: 'add', clientId: `c${i}`, name: 'x', size: 1}));
        const uploads = run(...many, {type: 'failed', clientId: 'c0', error: 'no'});
        expect(roomFor(uploads)).toBe(2);
        expect(roomFor(run(...many, addA, addB))).toBe(0);
    });
});
