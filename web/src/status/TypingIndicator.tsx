import {useEffect, useState} from 'react';

import {useAppState} from '../store/state';
import {nameFormatOf} from '../settings/preferences';
import {TYPING_SHOW_MS, typingMessage, typingUserIds} from './typing';

/** "Ada is typing…" under a composer, for its channel (parentId '') or thread. */
export function TypingIndicator({channelId, parentId = ''}: {channelId: string; parentId?: string}) {
    const [now, setNow] = useState(() => Date.now());
    const entry = useAppState((state) => state.typing[`${channelId}:${parentId}`]);
    const text = useAppState((state) => {
        const ids = typingUserIds(state, channelId, parentId, now);
        return typingMessage(ids.map((id) => state.users[id]), nameFormatOf(state));
    });
    // Re-reads the clock when the list changes and until the last indicator lapses.
    useEffect(() => {
        setNow(Date.now());
        if (!entry) {
            return;
        }
        const timer = setInterval(() => setNow(Date.now()), 1000);
        const stop = setTimeout(() => clearInterval(timer), TYPING_SHOW_MS + 1000);
        return () => {
            clearInterval(timer);
            clearTimeout(stop);
        };
    }, [entry]);
    return <div className='typing-indicator' aria-live='polite'>{text}</div>;
}
