// A channel's messages, virtualised: only the rows near the viewport are in the DOM, so a
// channel scrolled back through 10,000 messages stays as light as one with 50. Rows are
// measured as they render; the reader's place is kept by anchoring on the first row in view,
// so older messages loading above, or a row above changing height, never move what they read.
import {useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent} from 'react';

import type {Post as PostData} from '@mattermost/types/posts';

import {formatDate, t} from '../i18n/i18n';
import {loadOlderPosts} from '../store/actions';
import {channelPostsOf} from '../store/posts';
import {useAppState} from '../store/state';
import {Post} from './Post';
import {buildRows, type Row} from './rows';
import {anchorAt, anchoredTop, rowOffsets, visibleRange, type Anchor} from './virtual';

// How close to the top (px) the reader scrolls before older messages are asked for.
const LOAD_MARGIN = 400;
const BOTTOM_SLACK = 60;
// Rows rendered beyond each edge of the viewport, so a fast scroll rarely shows blank space.
const OVERSCAN_PX = 700;

function estimate(row: Row): number {
    if (row.kind === 'post') {
        return row.continuation ? 30 : 62;
    }
    return 40;
}

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
    const keys = useMemo(() => rows.map((row) => row.key), [rows]);

    const scroller = useRef<HTMLDivElement>(null);
    const inner = useRef<HTMLDivElement>(null);
    const heights = useRef(new Map<string, number>());
    // Bumped when a measurement changes a height, to lay the rows out again.
    const [measured, setMeasured] = useState(0);
    const [viewport, setViewport] = useState({top: 0, height: 800});
    const stickToBottom = useRef(true);
    const anchor = useRef<Anchor | null>(null);
    const positioned = useRef(false);
    const focusKey = useRef('');
    const [awayFromLatest, setAwayFromLatest] = useState(false);

    const offsets = useMemo(
        () => rowOffsets(keys, (i) => heights.current.get(keys[i]) ?? estimate(rows[i])),
        // `measured` stands for the heights map, which changes in place.
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [keys, rows, measured],
    );
    const base = inner.current?.offsetTop ?? 0;
    const [start, end] = visibleRange(offsets, viewport.top - base, viewport.height, OVERSCAN_PX);

    const loadOlder = useCallback(() => {
        const box = scroller.current;
        if (box && channelPosts.hasOlder && !channelPosts.loadingOlder && box.scrollTop < LOAD_MARGIN) {
            void loadOlderPosts(channelId).catch(console.error);
        }
    }, [channelId, channelPosts.hasOlder, channelPosts.loadingOlder]);

    const remember = useCallback((box: HTMLDivElement) => {
        const top = box.scrollTop - (inner.current?.offsetTop ?? 0);
        anchor.current = anchorAt(keys, offsets, top, (i) => rows[i].kind === 'post');
    }, [keys, offsets, rows]);

    // After every render: measure the rows in the DOM, then put the reader back in their place.
    useLayoutEffect(() => {
        const box = scroller.current;
        const list = inner.current;
        if (!box || !list || rows.length === 0) {
            return;
        }
        let changed = false;
        const children = list.children;
        for (let i = 0; i < children.length && start + i < rows.length; i++) {
            const key = keys[start + i];
            const height = (children[i] as HTMLElement).offsetHeight;
            if (height > 0 && heights.current.get(key) !== height) {
                heights.current.set(key, height);
                changed = true;
            }
        }
        if (changed) {
            // Lay out again with the true heights; this effect runs once more after that.
            setMeasured((n) => n + 1);
            return;
        }
        if (!positioned.current) {
            positioned.current = true;
            const line = keys.indexOf('new-messages');
            if (line >= 0) {
                stickToBottom.current = false;
                anchor.current = {key: 'new-messages', delta: -box.clientHeight / 3};
            }
        }
        let target: number | null = null;
        if (stickToBottom.current) {
            target = box.scrollHeight - box.clientHeight;
        } else if (anchor.current) {
            const top = anchoredTop(keys, offsets, anchor.current);
            target = top === null ? null : top + list.offsetTop;
        }
        if (target !== null && Math.abs(box.scrollTop - target) >= 1) {
            box.scrollTop = target;
        }
        if (box.scrollTop !== viewport.top || box.clientHeight !== viewport.height) {
            setViewport({top: box.scrollTop, height: box.clientHeight});
        }
        if (!stickToBottom.current) {
            remember(box);
        }
        if (focusKey.current) {
            const index = keys.indexOf(focusKey.current);
            if (index >= start && index < end) {
                const element = list.children[index - start] as HTMLElement | undefined;
                focusKey.current = '';
                if (element) {
                    element.tabIndex = -1;
                    element.focus({preventScroll: true});
                    element.scrollIntoView({block: 'nearest'});
                }
            }
        }
    });

    // Rows change height after they render (an edit box opens, a reaction wraps, the window
    // narrows): measure again.
    useEffect(() => {
        const list = inner.current;
        if (!list || typeof ResizeObserver === 'undefined') {
            return;
        }
        const observer = new ResizeObserver(() => setMeasured((n) => n + 1));
        for (const child of Array.from(list.children)) {
            observer.observe(child);
        }
        if (scroller.current) {
            observer.observe(scroller.current);
        }
        return () => observer.disconnect();
    }, [start, end, rows]);

    // A permalink's message, once it is in the list: brought into view (after the positioning above).
    const highlightId = useAppState((state) => state.highlightPostId);
    const highlightJumps = useAppState((state) => state.highlightJumps);
    const highlightShown = highlightId !== '' && channelPosts.order.includes(highlightId);
    // A message outside the rendered rows (scrolled away in a long channel) is first scrolled to
    // by its estimated offset, which renders it; the next render centres it exactly.
    const highlightPending = useRef('');
    const highlightTries = useRef(0);
    useEffect(() => {
        if (highlightShown) {
            highlightPending.current = highlightId;
            highlightTries.current = 0;
        }
    }, [highlightId, highlightShown, highlightJumps]);
    useEffect(() => {
        const box = scroller.current;
        if (!box || !highlightPending.current) {
            return;
        }
        const element = box.querySelector(`[data-post-id="${highlightPending.current}"]`);
        if (element) {
            highlightPending.current = '';
            stickToBottom.current = false;
            element.scrollIntoView({block: 'center'});
            remember(box);
            return;
        }
        const index = keys.indexOf(highlightPending.current);
        // A few tries at most: the estimate converges as rows are measured, and never loops.
        if (index >= 0 && inner.current && highlightTries.current < 5) {
            highlightTries.current += 1;
            stickToBottom.current = false;
            box.scrollTop = Math.max(0, offsets[index] + inner.current.offsetTop - box.clientHeight / 2);
            // The reader's place is now here: without this, the next layout would put them back
            // where they were, unless the scroll event happened to come first.
            remember(box);
            setViewport({top: box.scrollTop, height: box.clientHeight});
        }
    });

    // A short channel does not fill the screen, so no scroll would ever ask for more.
    useEffect(() => {
        const box = scroller.current;
        if (box && box.scrollHeight <= box.clientHeight) {
            loadOlder();
        }
    }, [posts, loadOlder]);

    // A load that ends with the reader still at the top (or a scroll that came while one was under
    // way) asks for the next page: no scroll event would come to ask, as the list is at its top.
    useEffect(() => {
        loadOlder();
    }, [loadOlder]);

    const onScroll = () => {
        const box = scroller.current!;
        const fromBottom = box.scrollHeight - box.scrollTop - box.clientHeight;
        stickToBottom.current = fromBottom < BOTTOM_SLACK;
        remember(box);
        setViewport({top: box.scrollTop, height: box.clientHeight});
        setAwayFromLatest(fromBottom > box.clientHeight);
        loadOlder();
    };

    const jumpToLatest = () => {
        const box = scroller.current!;
        stickToBottom.current = true;
        box.scrollTop = box.scrollHeight;
        setAwayFromLatest(false);
    };

    // Up and Down move between messages (Tab then reaches the message's own buttons).
    const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
        if ((event.key !== 'ArrowUp' && event.key !== 'ArrowDown') || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        const list = inner.current!;
        const focused = Array.from(list.children).indexOf(event.target as Element);
        if (event.target !== scroller.current && focused < 0) {
            return;
        }
        event.preventDefault();
        const postRows = rows.map((row, index) => (row.kind === 'post' ? index : -1)).filter((index) => index >= 0);
        if (postRows.length === 0) {
            return;
        }
        const current = focused < 0 ? -1 : start + focused;
        const target = event.key === 'ArrowUp'
            ? (current < 0 ? postRows[postRows.length - 1] : [...postRows].reverse().find((index) => index < current))
            : (current < 0 ? postRows[0] : postRows.find((index) => index > current));
        if (target === undefined) {
            return;
        }
        focusKey.current = keys[target];
        stickToBottom.current = false;
        const box = scroller.current!;
        const top = offsets[target] + list.offsetTop;
        if (top < box.scrollTop || top + (offsets[target + 1] - offsets[target]) > box.scrollTop + box.clientHeight) {
            box.scrollTop = Math.max(0, top - box.clientHeight / 3);
        }
        setMeasured((n) => n + 1);
    };

    return (
        <div className='post-list-frame'>
        <div className='post-list' ref={scroller} onScroll={onScroll} onKeyDown={onKeyDown}
            role='log' aria-label={t('channel.messages')} tabIndex={0}>
            {channelPosts.loadingOlder && <p className='loading-older' role='status'>{t('channel.loadingOlder')}</p>}
            {!channelPosts.hasOlder && <p className='channel-start'>{t('channel.beginning')}</p>}
            <div className='post-rows' ref={inner}
                style={{paddingBlockStart: offsets[start], paddingBlockEnd: offsets[rows.length] - offsets[end]}}>
                {rows.slice(start, end).map((row) => {
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
        </div>
        {awayFromLatest && (
            <button type='button' className='jump-to-latest' onClick={jumpToLatest}>{t('channel.jumpToLatest')}</button>
        )}
        </div>
    );
}
