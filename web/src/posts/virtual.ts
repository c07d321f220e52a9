// The arithmetic of a virtualised list with rows of different heights: where each row starts,
// which rows a viewport shows, and where a remembered row has moved to. The DOM holds only the
// rows near the viewport; the rest are padding, sized from measured heights (or estimates for
// rows never shown).

/** Prefix sums: `offsets[i]` is where row i starts, `offsets[n]` the total height. */
export function rowOffsets(keys: readonly string[], heightOf: (index: number) => number): Float64Array {
    const offsets = new Float64Array(keys.length + 1);
    for (let i = 0; i < keys.length; i++) {
        offsets[i + 1] = offsets[i] + heightOf(i);
    }
    return offsets;
}

/** The row that contains `y` (clamped to the rows there are). */
export function rowAt(offsets: Float64Array, y: number): number {
    const count = offsets.length - 1;
    if (count <= 0) {
        return 0;
    }
    let low = 0;
    let high = count - 1;
    while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (offsets[middle] <= y) {
            low = middle;
        } else {
            high = middle - 1;
        }
    }
    return low;
}

/** The rows to render, [start, end), for a viewport at `top` of `height`, `overscan` px each side. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number): [number, number] {
    const count = offsets.length - 1;
    if (count <= 0) {
        return [0, 0];
    }
    const start = rowAt(offsets, Math.max(0, top - overscan));
    const end = rowAt(offsets, top + height + overscan) + 1;
    return [start, Math.min(count, end)];
}

/** Where the reader is: the first row in view and how far into it the viewport starts. The
 * viewport goes back to the same place after rows above change height or are added. */
export interface Anchor {
    key: string;
    delta: number;
}

/** `stable(i)`: row i stays the same row whatever is added around it. A date separator does
 * not (its day's first message changes as older ones load), so the anchor skips to the next
 * row that does. */
export function anchorAt(keys: readonly string[], offsets: Float64Array, top: number, stable: (index: number) => boolean = () => true): Anchor | null {
    if (keys.length === 0) {
        return null;
    }
    let index = rowAt(offsets, top);
    while (index < keys.length - 1 && !stable(index)) {
        index++;
    }
    return {key: keys[index], delta: top - offsets[index]};
}

/** The scroll position that puts `anchor` back where it was, or null if its row is gone. */
export function anchoredTop(keys: readonly string[], offsets: Float64Array, anchor: Anchor): number | null {
    const index = keys.indexOf(anchor.key);
    return index < 0 ? null : offsets[index] + anchor.delta;
}
