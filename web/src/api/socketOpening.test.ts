import {WebSocketClient} from '@mattermost/client';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';

import {openingWithin} from './socketOpening';

/** A socket whose handshake finishes only when the test says so. */
class HandshakeSocket extends EventTarget {
    static opened: HandshakeSocket[] = [];
    readyState = 0;
    onopen: (() => void) | null = null;
    onclose: ((event: {code: number}) => void) | null = null;
    onerror: (() => void) | null = null;
    onmessage: (() => void) | null = null;
    closes = 0;

    constructor(readonly url: string) {
        super();
        HandshakeSocket.opened.push(this);
    }

    open(): void {
        this.readyState = 1;
        this.dispatchEvent(new Event('open'));
        this.onopen?.();
    }

    send(): void {}

    close(): void {
        this.closes++;
        if (this.readyState === 3) {
            return;
        }
        // A socket closed before it opened fails: the browser reports 1006.
        this.readyState = 3;
        this.dispatchEvent(new Event('close'));
        this.onclose?.({code: 1006});
    }
}

function openFake(url: string): WebSocket {
    return new HandshakeSocket(url) as unknown as WebSocket;
}

beforeEach(() => {
    vi.useFakeTimers();
    HandshakeSocket.opened = [];
    vi.stubGlobal('WebSocket', {OPEN: 1, CONNECTING: 0});
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
});

describe('a socket that never opens', () => {
    it('is closed after the limit, and the client connects again', () => {
        const client = new WebSocketClient({newWebSocketFn: openingWithin(15_000, openFake), reconnectJitterRange: 0});
        const closed = vi.fn();
        client.addCloseListener(closed);
        client.initialize('ws://chat.example/api/v4/websocket');
        expect(HandshakeSocket.opened).toHaveLength(1);
        // Without the limit the client would wait for this handshake for ever.
        vi.advanceTimersByTime(14_999);
        expect(HandshakeSocket.opened[0].closes).toBe(0);
        vi.advanceTimersByTime(1);
        expect(HandshakeSocket.opened[0].closes).toBe(1);
        expect(closed).toHaveBeenCalledTimes(1);
        // The library's own retry, after its minimum wait.
        vi.advanceTimersByTime(3_000);
        expect(HandshakeSocket.opened).toHaveLength(2);
        HandshakeSocket.opened[1].open();
        // Past the limit: an open socket is the library's pings' to judge (every 30 s).
        vi.advanceTimersByTime(20_000);
        expect(HandshakeSocket.opened[1].closes).toBe(0);
        expect(closed).toHaveBeenCalledTimes(1);
        client.close();
    });

    it('leaves a socket that opened in time alone', () => {
        const open = openingWithin(15_000, openFake);
        const socket = open('ws://chat.example/api/v4/websocket') as unknown as HandshakeSocket;
        vi.advanceTimersByTime(100);
        socket.open();
        vi.advanceTimersByTime(60_000);
        expect(socket.closes).toBe(0);
    });
});
