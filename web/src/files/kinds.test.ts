import {describe, expect, it} from 'vitest';

import {extensionOf, formatSize, kindOf} from './kinds';
import {fitWithin} from './Attachments';

describe('formatSize', () => {
    it('reads bytes, then binary units with one decimal under ten', () => {
        expect(formatSize(0)).toBe('0 B');
        expect(formatSize(1023)).toBe('1023 B');
        expect(formatSize(1024)).toBe('1 KB');
        expect(formatSize(1536)).toBe('1.5 KB');
        expect(formatSize(10 * 1024 + 700)).toBe('11 KB');
        expect(formatSize(5 * 1024 * 1024)).toBe('5 MB');
        expect(formatSize(3.25 * 1024 ** 3)).toBe('3.3 GB');
    });

    it('never says 1024 of a unit', () => {
        expect(formatSize(1024 * 1024 - 1)).toBe('1 MB');
    });

    it('treats nonsense as nothing', () => {
        expect(formatSize(-5)).toBe('0 B');
        expect(formatSize(Number.NaN)).toBe('0 B');
    });
});

describe('kindOf', () => {
    it('trusts the MIME type for media', () => {
        expect(kindOf('image/png', 'png')).toBe('image');
        expect(kindOf('image/jpeg', '')).toBe('image');
        expect(kindOf('video/mp4', 'mp4')).toBe('video');
        expect(kindOf('audio/mpeg', 'mp3')).toBe('audio');
        expect(kindOf('application/pdf', 'pdf')).toBe('pdf');
    });

    it('falls back on the extension when the MIME type says little', () => {
        expect(kindOf('', 'webm')).toBe('video');
        expect(kindOf('application/octet-stream', 'png')).toBe('image');
        expect(kindOf('application/zip', 'zip')).toBe('archive');
        expect(kindOf('text/plain', 'txt')).toBe('text');
        expect(kindOf('text/x-python', 'py')).toBe('code');
        expect(kindOf('text/whatever', 'unknown')).toBe('text');
        expect(kindOf('application/x-thing', 'thing')).toBe('other');
        expect(kindOf(undefined, 'XLSX')).toBe('spreadsheet');
    });

    it('never shows SVG or an image type on a non-image name as an image', () => {
        expect(kindOf('image/svg+xml', 'svg')).toBe('code');
        expect(kindOf('', 'svg')).toBe('code');
        expect(kindOf('image/png', 'exe')).toBe('other');
        // A media extension does not turn a text file into a player.
        expect(kindOf('text/plain', 'mp4')).toBe('text');
    });
});

describe('extensionOf', () => {
    it('takes the last extension, lower case, and none for dotfiles', () => {
        expect(extensionOf('Report.Final.PDF')).toBe('pdf');
        expect(extensionOf('.bashrc')).toBe('');
        expect(extensionOf('README')).toBe('');
        expect(extensionOf('trailing.')).toBe('');
    });
});

describe('fitWithin', () => {
    it('scales down to the thumbnail box keeping the aspect ratio, never up', () => {
        expect(fitWithin(1600, 1200)).toEqual({width: 320, height: 240});
        expect(fitWithin(1000, 2000)).toEqual({width: 120, height: 240});
        expect(fitWithin(100, 50)).toEqual({width: 100, height: 50});
        expect(fitWithin(0, 0)).toEqual({width: 320, height: 240});
    });
});
