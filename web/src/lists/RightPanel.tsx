import {useEffect, useState} from 'react';

import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {MembersPanel} from '../channels/MembersPanel';
import {ChannelFiles} from '../files/ChannelFiles';
import {formatDateTime, t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {SearchResults} from '../search/SearchResults';
import {loadPinned, loadSaved} from '../store/channelActions';
import {channelTitle} from '../store/channels';
import {channelPostsOf} from '../store/posts';
import {useAppState, type State} from '../store/state';
import {openPanel, type Panel} from './panel';

/** The right-hand side's lists: pinned messages and files of a channel, saved messages, channel members. */
export function RightPanel({panel, team}: {panel: Panel; team: Team}) {
    const title = panel.kind === 'search' ? t('search.results') : panel.kind === 'mentions' ? t('search.mentions')
        : panel.kind === 'pinned' ? t('lists.pinned') : panel.kind === 'saved' ? t('lists.saved')
        : panel.kind === 'files' ? t('lists.files') : t('members.title');
    return (
        <aside className='thread-panel right-panel' aria-label={title}>
            <header className='thread-header'>
                <button type='button' className='back-button icon-button' aria-label={t('layout.back')} onClick={() => openPanel(null)}>‹</button>
                <h2>{title}</h2>
                <button type='button' className='icon-button close-thread' aria-label={t('lists.close')} onClick={() => openPanel(null)}>×</button>
            </header>
            {panel.kind === 'members'
                ? <MembersPanel key={panel.channelId} channelId={panel.channelId} team={team}/>
                : panel.kind === 'files' ? <ChannelFiles key={panel.channelId} channelId={panel.channelId} team={team}/>
                : panel.kind === 'search' || panel.kind === 'mentions' ? <SearchResults key={panel.kind} panel={panel} team={team}/>
                : <PostResults key={`${panel.kind}:${panel.channelId}`} panel={panel} team={team}/>}
        </aside>
    );
}

function PostResults({panel, team}: {panel: Panel; team: Team}) {
    const [posts, setPosts] = useState<Post[] | null>(null);
    const [error, setError] = useState('');
    // A message pinned or unpinned while the list is open (the post_edited event carries
    // is_pinned) reloads the pinned list; the saved list is read each time it opens.
    const pinnedHere = useAppState((state) => (panel.kind === 'pinned' ? pinnedIds(state, panel.channelId) : ''));

    useEffect(() => {
        let current = true;
        (panel.kind === 'pinned' ? loadPinned(panel.channelId) : loadSaved()).then(
            (found) => current && setPosts(found),
            (failure) => current && setError(errorMessage(failure)),
        );
        return () => {
            current = false;
        };
    }, [panel.kind, panel.channelId, pinnedHere]);

    if (error) {
        return <p className='form-error' role='alert'>{error}</p>;
    }
    if (posts === null) {
        return <p className='hint panel-status' role='status'>{t('app.loading')}</p>;
    }
    if (posts.length === 0) {
        return <p className='empty-state'>{panel.kind === 'pinned' ? t('lists.noPinned') : t('lists.noSaved')}</p>;
    }
    return (
        <ol className='post-results' aria-label={panel.kind === 'pinned' ? t('lists.pinned') : t('lists.saved')}>
            {posts.map((post) => <PostResult key={post.id} post={post} team={team} showChannel={panel.kind === 'saved'}/>)}
        </ol>
    );
}

function pinnedIds(state: State, channelId: string): string {
    const ids = channelPostsOf(state, channelId).order.filter((id) => state.posts[id]?.is_pinned);
    return ids.join(',');
}

function PostResult({post, team, showChannel}: {post: Post; team: Team; showChannel: boolean}) {
    const author = useAppState((state) => state.users[post.user_id]);
    const channelName = useAppState((state) => (state.channels[post.channel_id] ? channelTitle(state, state.channels[post.channel_id]) : ''));
    const jump = () => navigate(`/${team.name}/pl/${post.id}`);
    return (
        <li className='post-result' data-post-id={post.id}>
            <header className='post-header'>
                <span className='post-author'>{author?.username ?? '…'}</span>
                <time className='post-time' dateTime={new Date(post.create_at).toISOString()}>{formatDateTime(post.create_at)}</time>
            </header>
            {showChannel && channelName && <p className='hint'>{t('threads.channel', {channel: channelName})}</p>}
            <div className='post-text' dir='auto'><Markdown text={post.message}/></div>
            <button type='button' className='link-button jump-button' onClick={jump}
                aria-label={t('lists.jumpTo', {name: author?.username ?? ''})}>{t('lists.jump')}</button>
        </li>
    );
}
