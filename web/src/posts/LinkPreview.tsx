// The preview of a message's first link (metadata.embeds, filled by the server in the
// background): the page's title as a link, its site and description. The page's image is not
// shown: the client's Content-Security-Policy lets it load images only from this server, and
// the server has no image proxy yet, so a remote picture would only be a broken box.
import {useState} from 'react';

import type {Post} from '@mattermost/types/posts';

import {client, errorMessage} from '../api/client';
import {t} from '../i18n/i18n';
import {receivePost} from '../store/posts';
import {store} from '../store/state';

/** Mattermost's post prop for an author's "remove preview" (the apps hide the embed). */
export const REMOVE_LINK_PREVIEW = 'remove_link_preview';

interface OpenGraph {
    title?: string;
    description?: string;
    site_name?: string;
}

interface Props {
    post: Post;
    mine: boolean;
}

export function LinkPreview({post, mine}: Props) {
    const [error, setError] = useState('');
    const embed = post.metadata?.embeds?.find((e) => e.type === 'opengraph');
    if (!embed?.url || post.props?.[REMOVE_LINK_PREVIEW] === 'true' || !isWebLink(embed.url)) {
        return null;
    }
    const og = (embed.data ?? {}) as OpenGraph;
    const title = og.title || embed.url;
    const site = og.site_name || new URL(embed.url).hostname;
    const hide = () => {
        const props = {...post.props, [REMOVE_LINK_PREVIEW]: 'true'};
        client.patchPost({id: post.id, props}).
            then((updated) => store.update((state) => receivePost(state, updated))).
            catch((failure) => setError(errorMessage(failure)));
    };
    return (
        <aside className='link-preview' aria-label={t('linkPreview.label', {site})}>
            <p className='link-preview-site' dir='auto'>{site}</p>
            <a className='link-preview-title' href={embed.url} target='_blank' rel='noopener noreferrer' dir='auto'>{title}</a>
            {og.description && <p className='link-preview-description' dir='auto'>{og.description}</p>}
            {mine && (
                <button type='button' className='link-preview-hide link-button' onClick={hide}>
                    {t('linkPreview.hide')}
                </button>
            )}
            {error && <p className='form-error' role='alert'>{error}</p>}
        </aside>
    );
}

function isWebLink(url: string): boolean {
    try {
        return ['http:', 'https:'].includes(new URL(url).protocol);
    } catch {
        return false;
    }
}
