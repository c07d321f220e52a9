"""A TCP relay between the browser and the server whose cable can be pulled: `cut()` drops every
connection and refuses new ones until `restore()`, as a network drop or a sleeping laptop does;
`hold()` takes new connections and never answers them, as a server or proxy that went quiet."""

import contextlib
import socket
import threading


class CuttableProxy:
    def __init__(self, target_port: int) -> None:
        self._target_port = target_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._holding = False
        self._closed = False
        # The request line of each connection held unanswered ("GET /api/v4/websocket?..").
        self.held: list[str] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            for sock in self._open:
                _close(sock)
            self._open.clear()

    def restore(self) -> None:
        """New connections reach the server again; those held stay unanswered."""
        with self._lock:
            self._cut = False
            self._holding = False

    def hold(self) -> None:
        with self._lock:
            self._cut = False
            self._holding = True

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                if self._cut:
                    _close(client)
                    continue
                if self._holding:
                    self._open.add(client)
                    threading.Thread(target=self._swallow, args=(client,), daemon=True).start()
                    continue
                try:
                    upstream = socket.create_connection(("127.0.0.1", self._target_port))
                except OSError:
                    _close(client)
                    continue
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _swallow(self, client: socket.socket) -> None:
        """Reads what a held connection sends and answers nothing."""
        head = b""
        try:
            while data := client.recv(65536):
                if not head:
                    head = data
                    self.held.append(data.split(b"\r\n", 1)[0].decode("latin-1"))
        except OSError:
            pass

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # One side hung up: so does the other, as a real connection would.
            with self._lock:
                self._open.discard(source)
                self._open.discard(sink)
            _close(source)
            _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
