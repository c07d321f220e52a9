import {useEffect, useState} from 'react';

import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {MembersPanel} from '../channels/MembersPanel';
import {formatDateTime, t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {loadPinned, loadSaved} from '../store/channelActions';
import {channelTitle} from '../store/channels';
import {useAppState} from '../store/state';
import {openPanel, type Panel} from './panel';

/** The right-hand side's lists: pinned messages of a channel, saved messages, channel members. */
export function RightPanel({panel, team}: {panel: Panel; team: Team}) {
    const title = panel.kind === 'pinned' ? t('lists.pinned') : panel.kind === 'saved' ? t('lists.saved') : t('members.title');
    return (
        <aside className='thread-panel right-panel' aria-label={title}>
            <header className='thread-header'>
                <button type='button' className='back-button icon-button' aria-label={t('layout.back')} onClick={() => openPanel(null)}>‹</button>
                <h2>{title}</h2>
                <button type='button' className='icon-button close-thread' aria-label={t('lists.close')} onClick={() => openPanel(null)}>×</button>
            </header>
            {panel.kind === 'members'
                ? <MembersPanel key={panel.channelId} channelId={panel.channelId} team={team}/>
                : <PostResults key={`${panel.kind}:${panel.channelId}`} panel={panel} team={team}/>}
        </aside>
    );
}

function PostResults({panel, team}: {panel: Panel; team: Team}) {
    const [posts, setPosts] = useState<Post[] | null>(null);
    const [error, setError] = useState('');
    // Pinning or saving elsewhere shows up here: the lists reload when a post changes.
    const version = useAppState((state) => state.posts);
    const [loadedFor, setLoadedFor] = useState<unknown>(null);

    useEffect(() => {
        if (loadedFor === version) {
            return;
        }
        let current = true;
        const timer = setTimeout(() => {
            (panel.kind === 'pinned' ? loadPinned(panel.channelId) : loadSaved()).then(
                (found) => {
                    if (current) {
                        setPosts(found);
                        setLoadedFor(version);
                    }
                },
                (failure) => current && setError(errorMessage(failure)),
            );
        }, posts === null ? 0 : 300);
        return () => {
            current = false;
            clearTimeout(timer);
        };
    }, [panel.kind, panel.channelId, version, loadedFor, posts]);

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
