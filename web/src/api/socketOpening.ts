// How long a WebSocket may take to open before it is given up and tried again.
//
// @mattermost/client checks a socket's health with its own pings, but starts them only once the
// socket has opened, and starts no new socket while one is still connecting. A handshake that
// never completes (a server or proxy that took the TCP connection and then went quiet) would
// leave the page with no events, no "Reconnecting…" and no retry until the browser itself gives
// up: Chromium waits 4 minutes. Closing it sooner makes the library's ordinary reconnect (with
// its backoff) take over.
export const OPEN_TIMEOUT_MS = 15_000;

type Open = (url: string) => WebSocket;

const CONNECTING = 0;

/** A `newWebSocketFn` for WebSocketClient: `open`, with a limit on the opening handshake. */
export function openingWithin(timeoutMs: number, open: Open = (url) => new WebSocket(url)): Open {
    return (url) => {
        const socket = open(url);
        const timer = setTimeout(() => {
            if (socket.readyState === CONNECTING) {
                console.log(`websocket did not open in ${timeoutMs} ms: trying again`); // eslint-disable-line no-console
                socket.close();
            }
        }, timeoutMs);
        const settled = () => clearTimeout(timer);
        socket.addEventListener('open', settled);
        socket.addEventListener('close', settled);
        return socket;
    };
}
