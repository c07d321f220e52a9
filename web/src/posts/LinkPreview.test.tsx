import {fireEvent, render, screen} from '@testing-library/react';
import {act} from 'react';
import {beforeEach, describe, expect, it, vi} from 'vitest';

import type {Post} from '@mattermost/types/posts';

import {makePost, postList, stateWith} from '../test/fixtures';
import {receivePostList} from '../store/posts';
import {store} from '../store/state';
import {LinkPreview} from './LinkPreview';

const server = vi.hoisted(() => ({config: {EnableLinkPreviews: 'true'} as Record<string, string>}));
const patchPost = vi.fn((patch: Partial<Post>) => Promise.resolve({...previewed, ...patch, update_at: previewed.update_at + 1}));
vi.mock('../api/client', () => ({
    client: {
        patchPost: (patch: Partial<Post>) => patchPost(patch),
        getBaseRoute: () => 'https://chat.example/api/v4',
        getClientConfig: () => Promise.resolve(server.config),
    },
    errorMessage: (failure: unknown) => String(failure),
}));

const og = {
    type: 'website',
    url: 'https://elsinore.example/',
    title: 'Elsinore & its ramparts',
    description: 'Something is rotten',
    site_name: 'Elsinore',
    images: [{url: 'https://elsinore.example/castle.png', secure_url: '', type: '', width: 40, height: 30}],
};
const previewed = makePost({
    message: 'see https://elsinore.example/',
    metadata: {embeds: [{type: 'opengraph', url: 'https://elsinore.example/', data: og}], emojis: [], files: [], images: {}},
});

describe('a link preview', () => {
    beforeEach(() => {
        patchPost.mockClear();
        store.update(() => stateWith());
    });

    it('shows the page title as a link that opens apart, the site and the description', () => {
        render(<LinkPreview post={previewed} mine={false}/>);
        const title = screen.getByRole('link', {name: 'Elsinore & its ramparts'});
        expect(title.getAttribute('href')).toBe('https://elsinore.example/');
        expect(title.getAttribute('target')).toBe('_blank');
        expect(title.getAttribute('rel')).toBe('noopener noreferrer');
        expect(screen.getByText('Elsinore')).toBeTruthy();
        expect(screen.getByText('Something is rotten')).toBeTruthy();
        // The server did not measure the page's picture (metadata.images): none is shown.
        expect(document.querySelector('.link-preview img')).toBeNull();
        expect(screen.queryByRole('button', {name: 'Hide preview'})).toBeNull();
    });

    it('shows the page\'s picture through the server\'s image proxy, sized before it loads', () => {
        const castle = 'https://elsinore.example/castle.png';
        const measured = {...previewed, metadata: {...previewed.metadata, images: {[castle]: {width: 640, height: 480, format: 'png', frameCount: 0}}}};
        const {container} = render(<LinkPreview post={measured} mine={false}/>);
        const image = container.querySelector('.link-preview img')!;
        expect(image.getAttribute('src')).toBe('https://chat.example/api/v4/image?url=https%3A%2F%2Felsinore.example%2Fcastle.png');
        expect([image.getAttribute('width'), image.getAttribute('height')]).toEqual(['320', '240']);
        expect(image.getAttribute('alt')).toBe('');
        // The title already links to the page: the picture's link is not a second tab stop.
        expect(image.closest('a')!.getAttribute('tabindex')).toBe('-1');
        expect(screen.getAllByRole('link')).toHaveLength(1);
    });

    it('shows a link to a picture as the picture, when the server measured it', () => {
        const link = 'https://x.example/a.png';
        const picture = makePost({metadata: {embeds: [{type: 'image', url: link}], emojis: [], files: [], images: {[link]: {width: 40, height: 30, format: 'png', frameCount: 0}}}});
        render(<LinkPreview post={picture} mine={false}/>);
        const image = screen.getByRole('img', {name: 'Picture from x.example'});
        expect(image.getAttribute('src')).toBe('https://chat.example/api/v4/image?url=https%3A%2F%2Fx.example%2Fa.png');
        expect([image.getAttribute('width'), image.getAttribute('height')]).toEqual(['40', '30']);
        expect(image.closest('a')!.getAttribute('href')).toBe(link);
    });

    it('lets the author hide it, the way Mattermost records it', async () => {
        // The post is on screen, in its loaded channel.
        store.update((state) => receivePostList(state, previewed.channel_id, postList([previewed]), 'latest'));
        const {container} = render(<LinkPreview post={previewed} mine/>);
        await act(async () => {
            fireEvent.click(screen.getByRole('button', {name: 'Hide preview'}));
        });
        expect(patchPost).toHaveBeenCalledWith({id: previewed.id, props: {remove_link_preview: 'true'}});
        expect(store.get().posts[previewed.id]?.props?.remove_link_preview).toBe('true');
        const hidden = {...previewed, props: {remove_link_preview: 'true'}};
        render(<LinkPreview post={hidden} mine/>, {container});
        expect(container.querySelector('.link-preview')).toBeNull();
    });

    it('shows none to a reader who turned link previews off in the display settings', () => {
        store.update(() => stateWith({preferences: {'display_settings:link_previews': 'false'}}));
        const {container} = render(<LinkPreview post={previewed} mine/>);
        expect(container.innerHTML).toBe('');
        act(() => store.update(() => stateWith({preferences: {'display_settings:link_previews': 'true'}})));
        expect(screen.getByRole('link', {name: 'Elsinore & its ramparts'})).toBeTruthy();
    });

    it('shows none, older posts\' included, once an administrator turned previews off', async () => {
        server.config = {EnableLinkPreviews: 'false'};
        // The server's setting is read once per page: a fresh page.
        vi.resetModules();
        const fresh = await import('./LinkPreview');
        const {container} = render(<fresh.LinkPreview post={previewed} mine/>);
        await act(async () => {
            await new Promise((resolve) => setTimeout(resolve, 0));
        });
        expect(container.innerHTML).toBe('');
        server.config = {EnableLinkPreviews: 'true'};
    });

    it('shows nothing without an embed, for a picture the server did not measure or a link that is not a web link', () => {
        const {container} = render(<LinkPreview post={makePost()} mine/>);
        expect(container.innerHTML).toBe('');
        const image = makePost({metadata: {embeds: [{type: 'image', url: 'https://x.example/a.png'}], emojis: [], files: [], images: {}}});
        render(<LinkPreview post={image} mine/>, {container});
        const script = makePost({metadata: {embeds: [{type: 'opengraph', url: 'javascript:alert(1)', data: og}], emojis: [], files: [], images: {}}});
        render(<LinkPreview post={script} mine/>, {container});
        expect(container.innerHTML).toBe('');
    });
});
