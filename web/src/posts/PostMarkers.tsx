import {useEffect, useRef, type TouchEvent} from 'react';

import {t} from '../i18n/i18n';

/** "Pinned" and "Saved" above a post's text, for everyone (pinned) or the reader (saved). */
export function PostMarkers({pinned, saved}: {pinned?: boolean; saved: boolean}) {
    if (!pinned && !saved) {
        return null;
    }
    return (
        <div className='post-markers'>
            {pinned && <span className='post-marker pinned-marker'>{t('post.pinned')}</span>}
            {saved && <span className='post-marker saved-marker'>{t('post.saved')}</span>}
        </div>
    );
}

const NOTICE_MS = 2500;

/** A short-lived status line ("Link copied"), read out by screen readers. */
export function Notice({text, onDone}: {text: string; onDone: () => void}) {
    const done = useRef(onDone);
    done.current = onDone;
    useEffect(() => {
        const timer = setTimeout(() => done.current(), NOTICE_MS);
        return () => clearTimeout(timer);
    }, [text]);
    return <p className='post-notice' role='status'>{text}</p>;
}

const LONG_PRESS_MS = 500;
const MOVE_SLACK_PX = 10;

/** Touch handlers that call `onLongPress` when a finger rests on the element without moving. */
export function useLongPress(onLongPress: () => void) {
    const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
    const start = useRef({x: 0, y: 0});
    const cancel = () => clearTimeout(timer.current);
    useEffect(() => cancel, []);
    return {
        onTouchStart: (event: TouchEvent) => {
            const touch = event.touches[0];
            start.current = {x: touch.clientX, y: touch.clientY};
            cancel();
            timer.current = setTimeout(onLongPress, LONG_PRESS_MS);
        },
        onTouchMove: (event: TouchEvent) => {
            const touch = event.touches[0];
            if (Math.hypot(touch.clientX - start.current.x, touch.clientY - start.current.y) > MOVE_SLACK_PX) {
                cancel();
            }
        },
        onTouchEnd: cancel,
        onTouchCancel: cancel,
        // A long press also raises the browser's own menu; ours replaces it (links and images
        // keep theirs, for "copy address" and the like).
        onContextMenu: (event: {preventDefault: () => void; target: EventTarget}) => {
            if (!(event.target as HTMLElement).closest('a, img')) {
                event.preventDefault();
                cancel();
                onLongPress();
            }
        },
    };
}
