import {describe, expect, it} from 'vitest';

import {anchorAt, anchoredTop, rowAt, rowOffsets, visibleRange} from './virtual';

const keys = ['a', 'b', 'c', 'd', 'e'];
const heights = [10, 20, 30, 40, 50];

describe('virtual list arithmetic', () => {
    it('places rows one after another and finds the row at a height', () => {
        const offsets = rowOffsets(keys, (i) => heights[i]);
        expect(Array.from(offsets)).toEqual([0, 10, 30, 60, 100, 150]);
        expect([rowAt(offsets, -5), rowAt(offsets, 0), rowAt(offsets, 29), rowAt(offsets, 30), rowAt(offsets, 1000)]).toEqual([0, 0, 1, 2, 4]);
    });

    it('renders only the rows in view plus the overscan', () => {
        const offsets = rowOffsets(keys, (i) => heights[i]);
        expect(visibleRange(offsets, 35, 20, 0)).toEqual([2, 3]);
        expect(visibleRange(offsets, 35, 20, 10)).toEqual([1, 4]);
        expect(visibleRange(rowOffsets([], () => 0), 0, 100, 50)).toEqual([0, 0]);
        const many = Array.from({length: 10_000}, (_, i) => `row${i}`);
        const [start, end] = visibleRange(rowOffsets(many, () => 30), 150_000, 800, 700);
        expect(end - start).toBeLessThan(100);
    });

    it('keeps the reader on the same row when rows are added above it', () => {
        const offsets = rowOffsets(keys, (i) => heights[i]);
        const anchor = anchorAt(keys, offsets, 65)!;
        expect(anchor).toEqual({key: 'd', delta: 5});
        const grown = ['x', 'y', ...keys];
        const after = rowOffsets(grown, (i) => [100, 200, ...heights][i]);
        expect(anchoredTop(grown, after, anchor)).toBe(365);
        expect(anchoredTop(['x'], rowOffsets(['x'], () => 1), anchor)).toBeNull();
    });

    it('anchors on a stable row, skipping rows that move (date separators)', () => {
        const offsets = rowOffsets(keys, (i) => heights[i]);
        expect(anchorAt(keys, offsets, 12, (i) => i >= 3)).toEqual({key: 'd', delta: -48});
    });
});
