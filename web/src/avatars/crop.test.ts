import {describe, expect, it} from 'vitest';

import {MAX_ZOOM, clampOffset, clampZoom, coverScale, placement, sourceSquare, zoomedOffset} from './crop';

const landscape = {width: 800, height: 400};
const portrait = {width: 300, height: 900};

describe('the square crop', () => {
    it('fits the shorter side to the viewport at zoom 1, centred', () => {
        expect(coverScale(landscape, 200)).toBe(0.5);
        expect(sourceSquare(landscape, 200, 1, {x: 0, y: 0})).toEqual({x: 200, y: 0, size: 400});
        expect(sourceSquare(portrait, 300, 1, {x: 0, y: 0})).toEqual({x: 0, y: 300, size: 300});
    });

    it('shows a smaller square of the image when zoomed in', () => {
        expect(sourceSquare(landscape, 200, 2, {x: 0, y: 0})).toEqual({x: 300, y: 100, size: 200});
    });

    it('moves the square the other way from a drag, in image pixels', () => {
        // Dragging the picture 50 viewport pixels to the right shows what lies to its left.
        const moved = sourceSquare(landscape, 200, 1, {x: 50, y: 0});
        expect(moved).toEqual({x: 100, y: 0, size: 400});
    });

    it('never lets the image leave a gap in the viewport', () => {
        expect(clampOffset(landscape, 200, 1, {x: 500, y: 40})).toEqual({x: 100, y: 0});
        expect(clampOffset(landscape, 200, 1, {x: -500, y: -40})).toEqual({x: -100, y: 0});
        for (const offset of [{x: 9999, y: 9999}, {x: -9999, y: -9999}]) {
            for (const zoom of [1, 1.5, MAX_ZOOM]) {
                const square = sourceSquare(portrait, 256, zoom, offset);
                expect(square.x).toBeGreaterThanOrEqual(-1e-9);
                expect(square.y).toBeGreaterThanOrEqual(-1e-9);
                expect(square.x + square.size).toBeLessThanOrEqual(portrait.width + 1e-9);
                expect(square.y + square.size).toBeLessThanOrEqual(portrait.height + 1e-9);
            }
        }
    });

    it('draws the image where the crop says', () => {
        const drawn = placement(landscape, 200, 1, {x: 30, y: 0});
        expect(drawn).toEqual({left: -70, top: 0, width: 400, height: 200});
        // The viewport's left edge is the crop's left edge.
        expect(sourceSquare(landscape, 200, 1, {x: 30, y: 0}).x).toBe(-drawn.left / coverScale(landscape, 200));
    });

    it('keeps the zoom in range and the centre still when zooming', () => {
        expect(clampZoom(0.2)).toBe(1);
        expect(clampZoom(99)).toBe(MAX_ZOOM);
        expect(clampZoom(Number.NaN)).toBe(1);
        expect(zoomedOffset(landscape, 200, 1, 2, {x: 40, y: 0})).toEqual({x: 80, y: 0});
        // Zooming back out pulls the image back over the viewport.
        expect(zoomedOffset(landscape, 200, 2, 1, {x: 300, y: 100})).toEqual({x: 100, y: 0});
    });
});
