import {describe, expect, it} from 'vitest';

import {makePost} from '../test/fixtures';
import {buildRows} from './rows';

const day = (d: number, h: number, m = 0) => new Date(2026, 0, d, h, m).getTime();

describe('message rows', () => {
    it('groups one author\'s consecutive posts within five minutes', () => {
        const posts = [
            makePost({user_id: 'hamlet', create_at: day(5, 10, 0)}),
            makePost({user_id: 'hamlet', create_at: day(5, 10, 4)}),
            makePost({user_id: 'hamlet', create_at: day(5, 10, 10)}),
            makePost({user_id: 'othello', create_at: day(5, 10, 11)}),
            makePost({user_id: 'othello', create_at: day(5, 10, 12), type: 'system_join_channel'}),
            makePost({user_id: 'othello', create_at: day(5, 10, 13)}),
        ];
        const rows = buildRows(posts, 0, 'hamlet');
        expect(rows.map((row) => row.kind === 'post' ? row.continuation : row.kind)).toEqual([
            'date', false, true, false, false, false, false,
        ]);
    });

    it('separates days', () => {
        const rows = buildRows([
            makePost({create_at: day(5, 23, 58)}),
            makePost({create_at: day(6, 0, 1)}),
        ], 0, 'me');
        expect(rows.map((row) => row.kind === 'post' ? row.continuation : row.kind)).toEqual(['date', false, 'date', false]);
    });

    it('draws the new-messages line above the first later post by someone else', () => {
        const posts = [
            makePost({user_id: 'othello', create_at: day(5, 9)}),
            makePost({user_id: 'hamlet', create_at: day(5, 11)}),
            makePost({user_id: 'othello', create_at: day(5, 11, 1)}),
            makePost({user_id: 'othello', create_at: day(5, 11, 2)}),
        ];
        const rows = buildRows(posts, day(5, 10), 'hamlet');
        const kinds = rows.map((row) => row.kind === 'post' ? (row.continuation ? 'cont' : 'post') : row.kind);
        expect(kinds).toEqual(['date', 'post', 'post', 'new-messages', 'post', 'cont']);
    });

    it('draws no line when everything was read', () => {
        const rows = buildRows([makePost({create_at: day(5, 9)})], day(5, 10), 'me');
        expect(rows.some((row) => row.kind === 'new-messages')).toBe(false);
    });
});
