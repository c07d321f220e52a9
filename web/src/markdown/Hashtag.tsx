import type {ReactNode} from 'react';

import {t} from '../i18n/i18n';
import {openPanel} from '../lists/panel';
import {store} from '../store/state';

/** Searches the team's messages for the hashtag, as clicking one in Mattermost does: the search
 * panel opens in place of a thread that was open. */
export function searchHashtag(tag: string): void {
    store.update((state) => (state.view.threadId ? {...state, view: {...state.view, threadId: ''}} : state));
    openPanel({kind: 'search', channelId: '', terms: `#${tag}`});
}

/** `#release` in a message: a button that searches for it (it starts a search, it goes nowhere). */
export function Hashtag({tag, mark}: {tag: string; mark?: (text: string) => ReactNode}) {
    const shown = `#${tag}`;
    return (
        <button type='button' className='hashtag' title={t('markdown.hashtag', {tag: shown})} onClick={() => searchHashtag(tag)}>
            {mark ? mark(shown) : shown}
        </button>
    );
}
