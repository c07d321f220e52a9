// The socket side of typing indicators: what the composer reports, what the server tells us.
import {socket} from '../api/client';
import {store} from '../store/state';
import {TypingThrottle, expireTyping, startedTyping, stoppedTyping} from './typing';

const throttle = new TypingThrottle((channelId, parentId) => socket.userTyping(channelId, parentId));

/** A keystroke in a composer. */
export function noteTyping(channelId: string, parentId: string): void {
    throttle.typed(channelId, parentId);
}

/** The message went: the next keystroke starts a new indicator at once. */
export function typingSent(channelId: string, parentId: string): void {
    throttle.reset(channelId, parentId);
}

/** The server's `typing` event, broadcast to the channel's members (never to the typist). */
export function receiveTyping(channelId: string, parentId: string, userId: string, now: number = Date.now()): void {
    store.update((state) => startedTyping(expireTyping(state, now), channelId, parentId, userId, now));
}

/** A post by someone who was typing: their indicator goes at once. */
export function postArrived(channelId: string, rootId: string, userId: string): void {
    store.update((state) => stoppedTyping(state, channelId, rootId, userId));
}
