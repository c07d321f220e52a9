import {useEffect, useMemo, useState} from 'react';

import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {formatDateTime, t} from '../i18n/i18n';
import type {Panel} from '../lists/panel';
import {Markdown} from '../markdown/Markdown';
import {channelTitle} from '../store/channels';
import {useAppState} from '../store/state';
import {markWords} from './highlight';
import {searchPosts} from './searchActions';

interface Results {
    posts: Post[];
    matches: Record<string, string[]>;
    hasNext: boolean;
    page: number;
}

/** The right-hand panel's search results (a search, or the recent-mentions search). */
export function SearchResults({panel, team}: {panel: Panel; team: Team}) {
    const terms = panel.terms ?? '';
    const mentions = panel.kind === 'mentions';
    const [results, setResults] = useState<Results | null>(null);
    const [error, setError] = useState('');
    const [loadingMore, setLoadingMore] = useState(false);

    // Each time the panel opens (the same words searched again too) the search runs afresh.
    useEffect(() => {
        let current = true;
        setResults(null);
        setError('');
        searchPosts(team.id, terms, mentions, 0).then(
            (found) => current && setResults({...found, page: 0}),
            (failure) => current && setError(errorMessage(failure)),
        );
        return () => {
            current = false;
        };
    }, [panel, team.id, terms, mentions]);

    async function loadMore() {
        if (!results) {
            return;
        }
        setLoadingMore(true);
        setError('');
        try {
            const next = await searchPosts(team.id, terms, mentions, results.page + 1);
            setResults((shown) => {
                const base = shown ?? results;
                const known = new Set(base.posts.map((post) => post.id));
                return {
                    posts: [...base.posts, ...next.posts.filter((post) => !known.has(post.id))],
                    matches: {...base.matches, ...next.matches},
                    hasNext: next.hasNext,
                    page: base.page + 1,
                };
            });
        } catch (failure) {
            setError(errorMessage(failure));
        } finally {
            setLoadingMore(false);
        }
    }

    const label = mentions ? t('search.mentions') : t('search.resultsFor', {terms});
    return (
        <div className='search-results'>
            {!mentions && <p className='hint search-terms' dir='auto'>{label}</p>}
            {results === null && !error && <p className='hint panel-status' role='status'>{t('search.searching')}</p>}
            {results && results.posts.length === 0 && (
                <p className='empty-state' role='status'>{mentions ? t('search.noMentions') : t('search.noResults', {terms})}</p>
            )}
            {results && results.posts.length > 0 && (
                <ol className='post-results' aria-label={label}>
                    {results.posts.map((post) => (
                        <SearchResult key={post.id} post={post} team={team} words={results.matches[post.id] ?? []} mentions={mentions}/>
                    ))}
                    {results.hasNext && (
                        <li className='load-more'>
                            <button type='button' onClick={() => void loadMore()} disabled={loadingMore}>
                                {loadingMore ? t('app.loading') : t('search.loadMore')}
                            </button>
                        </li>
                    )}
                </ol>
            )}
            {error && <p className='form-error' role='alert'>{t('search.failed', {error})}</p>}
        </div>
    );
}

function SearchResult({post, team, words, mentions}: {post: Post; team: Team; words: string[]; mentions: boolean}) {
    const author = useAppState((state) => state.users[post.user_id]);
    const myName = useAppState((state) => state.me?.username ?? '');
    const channelName = useAppState((state) => (state.channels[post.channel_id] ? channelTitle(state, state.channels[post.channel_id]) : ''));
    const mark = useMemo(() => markWords(words), [words]);
    const highlight = useMemo(() => (mentions && myName ? new Set([myName.toLowerCase()]) : undefined), [mentions, myName]);
    const jump = () => navigate(`/${team.name}/pl/${post.id}`);
    return (
        <li className='post-result search-result' data-post-id={post.id}>
            {channelName && <p className='hint result-channel'>{t('threads.channel', {channel: channelName})}</p>}
            <header className='post-header'>
                <span className='post-author'>{author?.username ?? '…'}</span>
                <time className='post-time' dateTime={new Date(post.create_at).toISOString()}>{formatDateTime(post.create_at)}</time>
            </header>
            <div className='post-text' dir='auto'><Markdown text={post.message} mark={mark} highlight={highlight}/></div>
            <button type='button' className='link-button jump-button' onClick={jump}
                aria-label={t('lists.jumpTo', {name: author?.username ?? ''})}>{t('lists.jump')}</button>
        </li>
    );
}
