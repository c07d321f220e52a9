import {useEffect, useState} from 'react';

import {errorMessage} from '../api/client';
import {useNarrow} from '../app/useNarrow';
import {t} from '../i18n/i18n';
import {usePostingAllowed} from '../moderation/channelModeration';
import {Composer} from '../posts/Composer';
import {Post} from '../posts/Post';
import {loadThread} from '../store/actions';
import {store, useAppState} from '../store/state';
import {markThreadRead} from '../store/threadActions';

function closeThread() {
    store.update((state) => ({...state, view: {...state.view, threadId: ''}, highlightPostId: ''}));
}

/** The right-hand panel: a root post and its replies, with a composer that replies to it. */
export function ThreadPanel({rootId}: {rootId: string}) {
    const root = useAppState((state) => state.posts[rootId]);
    const mayReply = usePostingAllowed(root?.channel_id ?? '', true);
    const replyIds = useAppState((state) => state.threads[rootId]);
    const posts = useAppState((state) => state.posts);
    const [error, setError] = useState('');
    const narrow = useNarrow();

    useEffect(() => {
        const onKey = (event: KeyboardEvent) => {
            if (event.key === 'Escape' && !event.defaultPrevented && !document.querySelector('[role=dialog]')) {
                closeThread();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, []);

    useEffect(() => {
        setError('');
        loadThread(rootId).catch((failure) => setError(errorMessage(failure)));
    }, [rootId]);

    // Opening a followed thread reads its replies, as Mattermost's collapsed threads do.
    useEffect(() => {
        const teamId = store.get().view.teamId;
        if (teamId) {
            markThreadRead(teamId, rootId).catch(console.error);
        }
    }, [rootId]);

    const replies = (replyIds ?? []).map((id) => posts[id]).filter(Boolean);
    return (
        <aside className='thread-panel' aria-labelledby='thread-title'>
            <header className='thread-header'>
                <button type='button' className='back-button icon-button' aria-label={t('layout.back')} onClick={closeThread}>‹</button>
                <h2 id='thread-title'>{t('thread.title')}</h2>
                <button type='button' className='icon-button close-thread' aria-label={t('thread.close')} onClick={closeThread}>×</button>
            </header>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='thread-posts' role='log' aria-label={t('thread.replies')}>
                {root ? <Post post={root} continuation={false} inThread/> : !error && <p className='empty-state'>{t('thread.gone')}</p>}
                {replies.length > 0 && <p className='thread-count'>{t('post.replies', {count: replies.length})}</p>}
                {replies.map((post) => <Post key={post.id} post={post} continuation={false} inThread/>)}
            </div>
            {root && (mayReply ? <Composer key={rootId} channelId={root.channel_id} rootId={rootId} label={t('thread.reply')} autoFocus={!narrow}/>
                : <p className='archived-notice read-only-notice' role='note'>{t('moderation.repliesClosed')}</p>)}
        </aside>
    );
}
