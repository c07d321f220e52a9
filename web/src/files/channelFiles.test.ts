import type {FileInfo} from '@mattermost/types/files';
import {describe, expect, it} from 'vitest';

import {channelFilesTerms, mergeFiles} from './channelFiles';

function file(id: string, createAt: number, deleteAt = 0): FileInfo {
    return {id, create_at: createAt, delete_at: deleteAt, name: `${id}.png`} as FileInfo;
}

function page(...files: FileInfo[]) {
    return {order: files.map((f) => f.id), file_infos: Object.fromEntries(files.map((f) => [f.id, f]))};
}

describe('mergeFiles', () => {
    it('lists newest first whatever the order of the map, ties by id descending', () => {
        const merged = mergeFiles([], page(file('a', 10), file('c', 30), file('b', 30)));
        expect(merged.map((f) => f.id)).toEqual(['c', 'b', 'a']);
    });

    it('adds a next page after what is shown, without doubles or deleted files', () => {
        const shown = mergeFiles([], page(file('new', 50), file('mid', 40)));
        const merged = mergeFiles(shown, page(file('mid', 40), file('old', 20), file('gone', 30, 99)));
        expect(merged.map((f) => f.id)).toEqual(['new', 'mid', 'old']);
    });

    it('skips ids the result orders but does not describe', () => {
        expect(mergeFiles([], {order: ['missing'], file_infos: {}})).toEqual([]);
    });
});

describe('channelFilesTerms', () => {
    it('searches by the channel id, as Mattermost does', () => {
        expect(channelFilesTerms('abc')).toBe('channel:abc');
    });
});
