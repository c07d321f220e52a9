// The preview of a message's first link (metadata.embeds, filled by the server in the
// background): the page's title as a link, its site, description and picture; or, for a link to
// a picture, the picture. Pictures come through the server's image proxy (GET /api/v4/image, as
// Mattermost's clients use it): the Content-Security-Policy lets the page load images from this
// server only, and the reader's browser never tells the linked site who is reading. A picture is
// shown only when the server measured it (metadata.images), so there is never a broken box, and
// its box is sized before it loads, so the conversation does not jump. A reader who turned link
// previews off (Mattermost's display setting `link_previews`) sees none, and nobody does once an
// administrator turned them off (ServiceSettings.EnableLinkPreviews), older posts' included, as
// in Mattermost's apps: the image proxy then serves no pictures either.
import {useEffect, useState, useSyncExternalStore} from 'react';

import type {Post, PostImage} from '@mattermost/types/posts';

import {client, errorMessage} from '../api/client';
import {fitWithin} from '../files/Attachments';
import {t} from '../i18n/i18n';
import {showsLinkPreviews} from '../settings/preferences';
import {receivePost} from '../store/posts';
import {store, useAppState} from '../store/state';

/** Mattermost's post prop for an author's "remove preview" (the apps hide the embed). */
export const REMOVE_LINK_PREVIEW = 'remove_link_preview';

interface OpenGraphImage {
    url?: string;
    secure_url?: string;
}

interface OpenGraph {
    title?: string;
    description?: string;
    site_name?: string;
    images?: OpenGraphImage[] | null;
}

interface Props {
    post: Post;
    mine: boolean;
}

// Whether the server has previews on, from its client configuration, read once per page; on until
// the answer says otherwise, so the usual case never flickers.
let serverPreviews = true;
let askedServer: Promise<void> | null = null;
const serverListeners = new Set<() => void>();

function askServer(): void {
    askedServer ??= client.getClientConfig().then((config) => {
        if (config.EnableLinkPreviews === 'false') {
            serverPreviews = false;
            serverListeners.forEach((listener) => listener());
        }
    }, () => {
        askedServer = null;
    });
}

function onServerPreviews(listener: () => void): () => void {
    serverListeners.add(listener);
    return () => serverListeners.delete(listener);
}

/** Where the server's image proxy serves the picture at `url`. */
export function proxiedImageUrl(url: string): string {
    return `${client.getBaseRoute()}/image?url=${encodeURIComponent(url)}`;
}

export function LinkPreview({post, mine}: Props) {
    const [error, setError] = useState('');
    const readerWants = useAppState(showsLinkPreviews);
    const serverShows = useSyncExternalStore(onServerPreviews, () => serverPreviews);
    const embed = post.metadata?.embeds?.find((e) => e.type === 'opengraph' || e.type === 'image');
    // Asked only once there is a preview to show: most messages have none.
    const hasEmbed = Boolean(embed);
    useEffect(() => {
        if (hasEmbed) {
            askServer();
        }
    }, [hasEmbed]);
    const wanted = readerWants && serverShows;
    if (!wanted || !embed?.url || post.props?.[REMOVE_LINK_PREVIEW] === 'true' || !isWebLink(embed.url)) {
        return null;
    }
    const sizes = post.metadata?.images ?? {};
    const og = (embed.type === 'opengraph' ? embed.data ?? {} : {}) as OpenGraph;
    const picture = embed.type === 'image' ? measured(embed.url, sizes) : firstPicture(og, sizes);
    if (embed.type === 'image' && !picture) {
        return null;
    }
    const site = og.site_name || new URL(embed.url).hostname;
    const hide = () => {
        const props = {...post.props, [REMOVE_LINK_PREVIEW]: 'true'};
        client.patchPost({id: post.id, props}).
            then((updated) => store.update((state) => receivePost(state, updated))).
            catch((failure) => setError(errorMessage(failure)));
    };
    return (
        <aside className='link-preview' aria-label={t('linkPreview.label', {site})}>
            {embed.type === 'opengraph' && (
                <>
                    <p className='link-preview-site' dir='auto'>{site}</p>
                    <a className='link-preview-title' href={embed.url} target='_blank' rel='noopener noreferrer' dir='auto'>
                        {og.title || embed.url}
                    </a>
                    {og.description && <p className='link-preview-description' dir='auto'>{og.description}</p>}
                </>
            )}
            {picture && (
                // The title link above names the page; a picture-only preview is named by its site.
                <a className='link-preview-image' href={embed.url} target='_blank' rel='noopener noreferrer'
                    tabIndex={embed.type === 'opengraph' ? -1 : undefined}
                    aria-hidden={embed.type === 'opengraph' ? true : undefined}>
                    <img src={proxiedImageUrl(picture.url)} alt={embed.type === 'image' ? t('linkPreview.image', {site}) : ''}
                        width={picture.width} height={picture.height} loading='lazy' decoding='async'/>
                </a>
            )}
            {mine && (
                <button type='button' className='link-preview-hide link-button' onClick={hide}>
                    {t('linkPreview.hide')}
                </button>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </aside>
    );
}

interface Picture {
    url: string;
    width: number;
    height: number;
}

/** The page's first picture, as the server measured it (it measures only the first). */
function firstPicture(og: OpenGraph, sizes: Record<string, PostImage>): Picture | null {
    const first = og.images?.find((image) => image.secure_url || image.url);
    const url = first?.secure_url || first?.url;
    return url ? measured(url, sizes) : null;
}

function measured(url: string, sizes: Record<string, PostImage>): Picture | null {
    const size = sizes[url];
    if (!size || !isWebLink(url)) {
        return null;
    }
    return {url, ...fitWithin(size.width, size.height)};
}

function isWebLink(url: string): boolean {
    try {
        return ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
        return false;
    }
}
