import {memo, useEffect, useState} from 'react';

import type {Team} from '@mattermost/types/teams';
import type {UserThreadWithPost} from '@mattermost/types/threads';
import type {UserProfile} from '@mattermost/types/users';

import {errorMessage} from '../api/client';
import {navigate} from '../app/router';
import {formatDate, formatDateTime, formatTime, startOfDay, t} from '../i18n/i18n';
import {Markdown} from '../markdown/Markdown';
import {Avatar} from '../status/Avatar';
import {channelTitle} from '../store/channels';
import {store, useAppState} from '../store/state';
import {loadOlderThreads, loadThreads, loadUnreadThreads, markAllThreadsRead, unfollowThread} from '../store/threadActions';
import {followedThreadsOf, threadOrder} from '../store/threads';
import './threads.css';

type Tab = 'all' | 'unread';

const MAX_AVATARS = 5;

/** The followed threads of a team, newest activity first (Mattermost's collapsed reply threads). */
export function ThreadsView({team}: {team: Team}) {
    const [tab, setTab] = useState<Tab>('all');
    const [error, setError] = useState('');
    const loaded = useAppState((state) => followedThreadsOf(state, team.id).loaded);
    const hasOlder = useAppState((state) => followedThreadsOf(state, team.id).hasOlder);
    const anyUnread = useAppState((state) => {
        const threads = followedThreadsOf(state, team.id);
        return threads.unreadThreads > 0 || threads.unreadMentions > 0;
    });
    const openId = useAppState((state) => state.view.threadId);
    // The thread just opened from the Unread tab stays in it until the tab changes.
    const [keptOpen, setKeptOpen] = useState('');
    // A string selector: the list re-renders only when its order or contents change.
    const ids = useAppState((state) => threadOrder(followedThreadsOf(state, team.id), tab === 'unread', keptOpen).join(','));
    const order = ids ? ids.split(',') : [];

    useEffect(() => {
        setError('');
        loadThreads(team.id).catch((failure) => setError(t('threads.failed', {error: errorMessage(failure)})));
    }, [team.id]);

    const run = (work: Promise<unknown>) => work.catch((failure) => setError(errorMessage(failure)));
    const open = (id: string) => {
        setKeptOpen(id);
        store.update((state) => ({...state, view: {...state.view, threadId: id}, highlightPostId: ''}));
    };
    const choose = (next: Tab) => {
        setTab(next);
        setKeptOpen('');
        if (next === 'unread' && anyUnread) {
            void run(loadUnreadThreads(team.id));
        }
    };

    return (
        <section className='threads-view' aria-labelledby='threads-title'>
            <header className='channel-header threads-header'>
                <button type='button' className='back-button icon-button' aria-label={t('layout.back')}
                    onClick={() => navigate(`/${team.name}`)}>‹</button>
                <h2 id='threads-title'>{t('threads.title')}</h2>
                <button type='button' className='mark-all-read' disabled={!anyUnread}
                    onClick={() => run(markAllThreadsRead(team.id))}>{t('threads.markAllRead')}</button>
            </header>
            <div className='threads-tabs' role='tablist' aria-label={t('threads.tabs')}>
                {(['all', 'unread'] as const).map((name) => (
                    <button key={name} type='button' role='tab' id={`threads-tab-${name}`} aria-selected={tab === name}
                        aria-controls='threads-panel' className={tab === name ? 'selected' : ''} onClick={() => choose(name)}>
                        {t(name === 'all' ? 'threads.all' : 'threads.unread')}
                        {name === 'unread' && anyUnread && <span className='unread-dot' aria-hidden='true'/>}
                    </button>
                ))}
            </div>
            {error && <p className='form-error' role='alert'>{error}</p>}
            <div className='threads-panel' role='tabpanel' id='threads-panel' aria-labelledby={`threads-tab-${tab}`}>
                {!loaded ? !error && <p className='empty-state'>{t('threads.loading')}</p>
                    : order.length === 0 ? <EmptyThreads tab={tab}/>
                    : (
                        <ul className='thread-items' aria-label={t('threads.list')}>
                            {order.map((id) => (
                                <ThreadItem key={id} teamId={team.id} threadId={id} selected={id === openId}
                                    onOpen={open} onUnfollow={(threadId) => run(unfollowThread(team.id, threadId))}/>
                            ))}
                        </ul>
                    )}
                {loaded && hasOlder && tab === 'all' && (
                    <button type='button' className='link-button load-older-threads' onClick={() => run(loadOlderThreads(team.id))}>
                        {t('threads.loadOlder')}
                    </button>
                )}
            </div>
        </section>
    );
}

function EmptyThreads({tab}: {tab: Tab}) {
    if (tab === 'unread') {
        return <p className='empty-state threads-empty'>{t('threads.noUnread')}</p>;
    }
    return (
        <div className='empty-state threads-empty'>
            <p className='threads-empty-title'>{t('threads.empty')}</p>
            <p>{t('threads.emptyHint')}</p>
        </div>
    );
}

function when(timestamp: number): string {
    return startOfDay(timestamp) === startOfDay(Date.now()) ? formatTime(timestamp) : formatDate(timestamp);
}

/** A participant as the thread lists them (a whole profile when extended), or as the store knows them. */
function Participant({user}: {user: Partial<UserProfile> & {id: string}}) {
    const known = useAppState((state) => state.users[user.id]);
    const name = user.username ?? known?.username ?? '';
    // The same picture (or initials on the user's colour) as beside their messages.
    return (
        <span className='participant' role='img' aria-label={name} title={name}>
            <Avatar userId={user.id} size={22} fallback={user}/>
        </span>
    );
}

interface ItemProps {
    teamId: string;
    threadId: string;
    selected: boolean;
    onOpen: (id: string) => void;
    onUnfollow: (id: string) => void;
}

const ThreadItem = memo(function ThreadItem({teamId, threadId, selected, onOpen, onUnfollow}: ItemProps) {
    const thread: UserThreadWithPost | undefined = useAppState((state) => state.followedThreads[teamId]?.byId[threadId]);
    // The store's copy of the root follows edits; the thread's copy is what the list arrived with.
    const root = useAppState((state) => state.posts[threadId]) ?? thread?.post;
    const author = useAppState((state) => (root ? state.users[root.user_id] : undefined));
    const channel = useAppState((state) => {
        const found = root && state.channels[root.channel_id];
        return found ? channelTitle(state, found) : '';
    });
    const me = useAppState((state) => state.me!);
    if (!thread || !root) {
        return null;
    }
    const name = author?.username ?? '…';
    const unread = thread.unread_replies > 0 || thread.unread_mentions > 0;
    const deleted = root.delete_at > 0;
    const className = ['thread-item', unread ? 'unread' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
    const participants = thread.participants.slice(0, MAX_AVATARS) as Array<Partial<UserProfile> & {id: string}>;
    return (
        <li className={className} aria-current={selected ? 'true' : undefined} data-thread-id={thread.id}>
            <div className='thread-item-header'>
                <button type='button' className='thread-open' aria-label={t('threads.open', {name, channel})} onClick={() => onOpen(thread.id)}>
                    <span className='post-author'>{name}</span>
                </button>
                {channel && <span className='thread-channel'>{t('threads.channel', {channel})}</span>}
                <button type='button' className='link-button thread-unfollow' aria-label={t('threads.unfollowLabel', {name, channel})}
                    onClick={() => onUnfollow(thread.id)}>{t('threads.unfollow')}</button>
            </div>
            <div className='thread-excerpt post-text' dir='auto'>
                {deleted ? <p>{t('thread.gone')}</p> : <Markdown text={root.message} highlight={new Set([me.username, 'here', 'channel', 'all'])}/>}
            </div>
            <div className='thread-meta'>
                {participants.length > 0 && (
                    <span className='thread-participants' role='group' aria-label={t('threads.participants')}>
                        {participants.map((user) => <Participant key={user.id} user={user}/>)}
                    </span>
                )}
                <span className='thread-reply-count'>{t('post.replies', {count: thread.reply_count})}</span>
                {thread.last_reply_at > 0 && (
                    <time className='thread-last-reply' dateTime={new Date(thread.last_reply_at).toISOString()} title={formatDateTime(thread.last_reply_at)}>
                        {t('threads.lastReply', {time: when(thread.last_reply_at)})}
                    </time>
                )}
                {thread.unread_replies > 0 && <span className='thread-new-replies'>{t('threads.newReplies', {count: thread.unread_replies})}</span>}
                {thread.unread_mentions > 0 && (
                    <span className='badge thread-mentions' aria-label={t('threads.mentions', {count: thread.unread_mentions})}>{thread.unread_mentions}</span>
                )}
            </div>
        </li>
    );
});
