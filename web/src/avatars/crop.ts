// The square crop of a profile picture: the image covers a square viewport, can be zoomed in and
// dragged, and never leaves a gap. Pure maths, so the pixels uploaded are exactly the ones shown.

export interface Size {
    width: number;
    height: number;
}

export interface Offset {
    x: number;
    y: number;
}

/** The square region of the image, in image pixels, that the viewport shows. */
export interface SourceSquare {
    x: number;
    y: number;
    size: number;
}

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 4;

/** Image pixels to viewport pixels at zoom 1: the shorter side just fills the viewport. */
export function coverScale(image: Size, viewport: number): number {
    return viewport / Math.min(image.width, image.height);
}

export function clampZoom(zoom: number): number {
    return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Number.isFinite(zoom) ? zoom : MIN_ZOOM));
}

/**
 * How far (in viewport pixels) the image's centre may move from the viewport's centre, so that the
 * image still covers the viewport: half of what sticks out on each axis.
 */
export function clampOffset(image: Size, viewport: number, zoom: number, offset: Offset): Offset {
    const scale = coverScale(image, viewport) * clampZoom(zoom);
    const spareX = Math.max(0, (image.width * scale - viewport) / 2);
    const spareY = Math.max(0, (image.height * scale - viewport) / 2);
    return {x: within(offset.x, spareX), y: within(offset.y, spareY)};
}

function within(value: number, limit: number): number {
    // `|| 0` turns -0 into 0, so a centred image is always {x: 0, y: 0}.
    return Math.min(limit, Math.max(-limit, Number.isFinite(value) ? value : 0)) || 0;
}

/** The part of the image the viewport shows once the image, scaled and moved by `offset`, covers it. */
export function sourceSquare(image: Size, viewport: number, zoom: number, offset: Offset): SourceSquare {
    const scale = coverScale(image, viewport) * clampZoom(zoom);
    const {x, y} = clampOffset(image, viewport, zoom, offset);
    const size = viewport / scale;
    return {
        x: image.width / 2 - (viewport / 2 + x) / scale,
        y: image.height / 2 - (viewport / 2 + y) / scale,
        size,
    };
}

/** Where to draw the image inside the viewport (CSS pixels): its top-left corner and its size. */
export function placement(image: Size, viewport: number, zoom: number, offset: Offset): {left: number; top: number; width: number; height: number} {
    const scale = coverScale(image, viewport) * clampZoom(zoom);
    const {x, y} = clampOffset(image, viewport, zoom, offset);
    const width = image.width * scale;
    const height = image.height * scale;
    return {left: (viewport - width) / 2 + x, top: (viewport - height) / 2 + y, width, height};
}

/** After a zoom, the offset that keeps the viewport's centre on the same image point, clamped. */
export function zoomedOffset(image: Size, viewport: number, from: number, to: number, offset: Offset): Offset {
    const ratio = clampZoom(to) / clampZoom(from);
    return clampOffset(image, viewport, to, {x: offset.x * ratio, y: offset.y * ratio});
}
