import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import type {WebSocketMessage} from '@mattermost/client';
import type {UserProfile} from '@mattermost/types/users';

import {store} from '../store/state';
import {makeChannel, makePost, stateWith} from '../test/fixtures';
import {ANNOUNCE_DELAY_MS, Announcer} from './announcer';
import {cycleRegions} from './regions';

function posted(fields: Parameters<typeof makePost>[0]): WebSocketMessage {
    return {event: 'posted', data: {post: JSON.stringify(makePost({channel_id: 'town', user_id: 'othello', ...fields}))}} as unknown as WebSocketMessage;
}

describe('the live region', () => {
    let announcer: Announcer;

    beforeEach(() => {
        vi.useFakeTimers();
        store.update(() => stateWith({
            users: {othello: {id: 'othello', username: 'othello'} as UserProfile},
            channels: {town: makeChannel()},
            view: {teamId: 'denmark', channelId: 'town', threadId: 'root'},
        }));
        announcer = new Announcer();
    });

    afterEach(() => {
        announcer.stop();
        vi.useRealTimers();
    });

    it('reads out others\' messages in the open channel or thread, after a pause, politely', () => {
        expect(announcer.region.getAttribute('aria-live')).toBe('polite');
        announcer.onMessage(posted({message: 'Get thee to a **nunnery**'}));
        expect(announcer.region.textContent).toBe('');
        vi.advanceTimersByTime(ANNOUNCE_DELAY_MS);
        expect(announcer.region.textContent).toBe('othello: Get thee to a nunnery');

        announcer.onMessage(posted({message: 'a reply', root_id: 'root'}));
        vi.advanceTimersByTime(ANNOUNCE_DELAY_MS);
        expect(announcer.region.textContent).toBe('othello: a reply');
    });

    it('sums up a burst, and stays quiet for own posts, other channels and other threads', () => {
        announcer.onMessage(posted({message: 'one'}));
        announcer.onMessage(posted({message: 'two'}));
        announcer.onMessage(posted({message: 'mine', user_id: 'hamlet'}));
        announcer.onMessage(posted({message: 'elsewhere', channel_id: 'off'}));
        announcer.onMessage(posted({message: 'other thread', root_id: 'other'}));
        announcer.onMessage(posted({message: 'joined', type: 'system_join_channel'}));
        vi.advanceTimersByTime(ANNOUNCE_DELAY_MS);
        expect(announcer.region.textContent).toBe('2 new messages in Town Square');
    });
});

describe('F6 regions', () => {
    beforeEach(() => {
        document.body.innerHTML = `
            <nav class="sidebar"><a class="channel-link" href="/a">A</a><a class="channel-link current" href="/b">B</a></nav>
            <main class="main-pane">
                <header class="channel-header"><h2>B</h2></header>
                <div class="post-list" tabindex="0"></div>
                <form class="composer"><textarea></textarea></form>
            </main>
            <aside class="thread-panel"><div class="thread-posts"></div><form class="composer"><textarea></textarea></form></aside>`;
        // jsdom lays nothing out; every element counts as shown.
        vi.spyOn(Element.prototype, 'getClientRects').mockReturnValue([{}] as unknown as DOMRectList);
    });

    afterEach(() => {
        vi.restoreAllMocks();
        document.body.innerHTML = '';
    });

    it('goes round sidebar, header, messages, composer, thread replies and thread composer, and back', () => {
        const order: string[] = [];
        for (let i = 0; i < 7; i++) {
            cycleRegions(false);
            const active = document.activeElement as HTMLElement;
            order.push(active.closest('.thread-panel') ? `thread ${active.className || active.tagName.toLowerCase()}` : active.className || active.tagName.toLowerCase());
        }
        expect(order).toEqual([
            'channel-link current', 'channel-header', 'post-list', 'textarea', 'thread thread-posts', 'thread textarea', 'channel-link current',
        ]);
        cycleRegions(true);
        expect((document.activeElement as HTMLElement).closest('.thread-panel')).not.toBeNull();
    });
});
