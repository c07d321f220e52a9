import {render, screen} from '@testing-library/react';
import {describe, expect, it} from 'vitest';

import type {FileInfo} from '@mattermost/types/files';

import {Attachments} from './Attachments';

const file = (id: string, name: string, mime_type: string, size = 2048, width = 0, height = 0) =>
    ({id, name, size, width, height, mime_type, extension: name.split('.').pop(), has_preview_image: width > 0}) as FileInfo;

describe('attachments', () => {
    it('play video and audio inline, show pictures as thumbnails and anything else as a card', () => {
        const {container} = render(
            <Attachments files={[
                file('v1', 'ghost.mp4', 'video/mp4', 5 * 1024 * 1024),
                file('a1', 'song.mp3', 'audio/mpeg', 3 * 1024 * 1024),
                file('p1', 'castle.png', 'image/png', 4096, 640, 480),
                file('d1', 'play.pdf', 'application/pdf', 1536),
            ]}/>,
        );
        const video = container.querySelector('video')!;
        expect(video.hasAttribute('controls')).toBe(true);
        expect(video.getAttribute('src')).toMatch(/\/files\/v1$/);
        expect(video.getAttribute('preload')).toBe('metadata');
        expect(container.querySelector('.attachment-media')!.textContent).toContain('5 MB');
        const audio = container.querySelector('audio')!;
        expect(audio.hasAttribute('controls')).toBe(true);
        expect(audio.getAttribute('src')).toMatch(/\/files\/a1$/);

        const thumbnail = screen.getByRole('button', {name: 'Open image castle.png'}).querySelector('img')!;
        expect(thumbnail.getAttribute('src')).toMatch(/\/files\/p1\/preview$/);
        expect([thumbnail.getAttribute('width'), thumbnail.getAttribute('height')]).toEqual(['320', '240']);

        const card = container.querySelector('.attachment-card')!;
        expect(card.getAttribute('data-kind')).toBe('pdf');
        expect(card.querySelector('.attachment-icon')!.textContent).not.toBe('');
        expect(card.textContent).toContain('play.pdf');
        expect(card.textContent).toContain('1.5 KB');
        const download = screen.getByRole('link', {name: 'Download play.pdf'});
        expect(download.getAttribute('href')).toMatch(/\/files\/d1\?download=1$/);
        expect(download.getAttribute('download')).toBe('play.pdf');
    });
});
