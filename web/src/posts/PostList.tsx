import {useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState} from 'react';

import type {Post as PostData} from '@mattermost/types/posts';

import {formatDate, t} from '../i18n/i18n';
import {loadOlderPosts} from '../store/actions';
import {channelPostsOf} from '../store/posts';
import {useAppState} from '../store/state';
import {Post} from './Post';
import {buildRows} from './rows';

// How close to the top (px) the reader scrolls before older messages are asked for.
const LOAD_MARGIN = 400;
const BOTTOM_SLACK = 60;

export function PostList({channelId}: {channelId: string}) {
    const channelPosts = useAppState((state) => channelPostsOf(state, channelId));
    const allPosts = useAppState((state) => state.posts);
    const readMark = useAppState((state) => state.readMarks[channelId]);
    const myId = useAppState((state) => state.me!.id);
    const posts = useMemo(
        () => channelPosts.order.map((id) => allPosts[id]).filter((post): post is PostData => Boolean(post)),
        [channelPosts.order, allPosts],
    );
    const rows = useMemo(() => buildRows(posts, readMark, myId), [posts, readMark, myId]);

    const scroller = useRef<HTMLDivElement>(null);
    const atBottom = useRef(true);
    const firstId = useRef<string | undefined>(undefined);
    const heightBefore = useRef(0);
    const positioned = useRef(false);
    const [awayFromLatest, setAwayFromLatest] = useState(false);

    const loadOlder = useCallback(() => {
        const box = scroller.current;
        if (box && channelPosts.hasOlder && !channelPosts.loadingOlder && box.scrollTop < LOAD_MARGIN) {
            void loadOlderPosts(channelId).catch(console.error);
        }
    }, [channelId, channelPosts.hasOlder, channelPosts.loadingOlder]);

    // Keep the reader's place: at the bottom when new messages arrive, and on the same message
    // when older ones are added above.
    useLayoutEffect(() => {
        const box = scroller.current;
        if (!box || posts.length === 0) {
            return;
        }
        if (!positioned.current) {
            positioned.current = true;
            const line = box.querySelector<HTMLElement>('.new-messages');
            if (line) {
                box.scrollTop = line.offsetTop - box.clientHeight / 3;
                atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < BOTTOM_SLACK;
            } else {
                box.scrollTop = box.scrollHeight;
            }
        } else if (firstId.current !== posts[0].id && heightBefore.current) {
            box.scrollTop += box.scrollHeight - heightBefore.current;
        } else if (atBottom.current) {
            box.scrollTop = box.scrollHeight;
        }
        firstId.current = posts[0].id;
        heightBefore.current = box.scrollHeight;
    }, [posts]);

    // A permalink's message, once it is in the list: brought into view (after the positioning above).
    const highlightId = useAppState((state) => state.highlightPostId);
    const highlightShown = highlightId !== '' && channelPosts.order.includes(highlightId);
    useEffect(() => {
        if (highlightShown) {
            scroller.current?.querySelector(`[data-post-id="${highlightId}"]`)?.scrollIntoView({block: 'center'});
        }
    }, [highlightId, highlightShown]);

    // A short channel does not fill the screen, so no scroll would ever ask for more.
    useEffect(() => {
        const box = scroller.current;
        if (box && box.scrollHeight <= box.clientHeight) {
            loadOlder();
        }
    }, [posts, loadOlder]);

    const onScroll = () => {
        const box = scroller.current!;
        atBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < BOTTOM_SLACK;
        heightBefore.current = box.scrollHeight;
        setAwayFromLatest(box.scrollHeight - box.scrollTop - box.clientHeight > box.clientHeight);
        loadOlder();
    };

    const jumpToLatest = () => {
        const box = scroller.current!;
        box.scrollTop = box.scrollHeight;
        atBottom.current = true;
        setAwayFromLatest(false);
    };

    return (
        <div className='post-list-frame'>
        <div className='post-list' ref={scroller} onScroll={onScroll} role='log' aria-label={t('channel.messages')} tabIndex={0}>
            {channelPosts.loadingOlder && <p className='loading-older' role='status'>{t('channel.loadingOlder')}</p>}
            {!channelPosts.hasOlder && <p className='channel-start'>{t('channel.beginning')}</p>}
            {rows.map((row) => {
                switch (row.kind) {
                case 'date':
                    return <div key={row.key} className='date-separator' role='separator'><span>{formatDate(row.day)}</span></div>;
                case 'new-messages':
                    return <div key={row.key} className='new-messages' role='separator'><span>{t('channel.newMessages')}</span></div>;
                case 'post':
                    return <Post key={row.key} post={row.post} continuation={row.continuation}/>;
                }
            })}
        </div>
        {awayFromLatest && (
            <button type='button' className='jump-to-latest' onClick={jumpToLatest}>{t('channel.jumpToLatest')}</button>
        )}
        </div>
    );
}
