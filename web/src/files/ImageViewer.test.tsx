import {act} from 'react';
import {createRoot, type Root} from 'react-dom/client';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import type {FileInfo} from '@mattermost/types/files';

import ImageViewer, {arrowStep} from './ImageViewer';

(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;

const image = (id: string, name: string) => ({id, name, size: 2048, width: 800, height: 600, mime_type: 'image/png', extension: 'png'}) as FileInfo;

describe('arrowStep', () => {
    it('steps toward the next image\'s side, which is the left in right-to-left', () => {
        expect([arrowStep('ArrowRight', false), arrowStep('ArrowLeft', false)]).toEqual([1, -1]);
        expect([arrowStep('ArrowRight', true), arrowStep('ArrowLeft', true)]).toEqual([-1, 1]);
        expect(arrowStep('Enter', true)).toBe(0);
    });
});

describe('the image viewer', () => {
    let host: HTMLDivElement;
    let root: Root;
    beforeEach(() => {
        host = document.createElement('div');
        document.body.append(host);
        root = createRoot(host);
    });
    afterEach(() => {
        act(() => root.unmount());
        host.remove();
    });

    it('steps through the images with the arrows and buttons, wraps, zooms and closes on Escape', () => {
        const onClose = vi.fn();
        act(() => root.render(<ImageViewer images={[image('a', 'one.png'), image('b', 'two.png')]} start={1} onClose={onClose}/>));
        const dialog = () => host.querySelector('[role=dialog]')!;
        expect(dialog().getAttribute('aria-label')).toBe('Image two.png');
        expect(dialog().textContent).toContain('2 of 2');
        expect(host.querySelector('img')!.getAttribute('src')).toBe('http://localhost:3000/api/v4/files/b');
        act(() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'})));
        expect(dialog().getAttribute('aria-label')).toBe('Image one.png');
        act(() => (host.querySelector('button[aria-label="Previous image"]') as HTMLButtonElement).click());
        expect(dialog().getAttribute('aria-label')).toBe('Image two.png');

        const zoom = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Actual size')!;
        act(() => zoom.click());
        expect(zoom.getAttribute('aria-pressed')).toBe('true');
        expect(host.querySelector('.image-viewer-stage')!.classList.contains('zoomed')).toBe(true);
        expect(host.querySelector('a')!.getAttribute('href')).toBe('http://localhost:3000/api/v4/files/b?download=1');

        act(() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})));
        expect(onClose).toHaveBeenCalledTimes(1);
    });

    it('points its arrows the other way in a right-to-left layout', () => {
        document.documentElement.dir = 'rtl';
        try {
            act(() => root.render(<ImageViewer images={[image('a', 'one.png'), image('b', 'two.png')]} start={0} onClose={vi.fn()}/>));
            expect(host.querySelector('button[aria-label="Previous image"]')!.textContent).toBe('›');
            expect(host.querySelector('button[aria-label="Next image"]')!.textContent).toBe('‹');
            act(() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowLeft'})));
            expect(host.querySelector('[role=dialog]')!.getAttribute('aria-label')).toBe('Image two.png');
        } finally {
            document.documentElement.dir = '';
        }
    });
});
