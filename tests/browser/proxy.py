"""A forwarding HTTP proxy in front of the live server that tests can break on purpose:
take it down (no network), answer API calls with errors, slow some paths down, or drop a
response after the server has handled the request (the answer is lost on the way back)."""

import http.client
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BreakableProxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.fail_api = 0  # answer this many /api/ requests with 503
        self.drop_sync = 0  # forward this many /api/sync posts, then drop the answer
        self.sync_posts = 0  # /api/sync posts that reached the server
        self.delays = {}  # path prefix: seconds to wait before answering (a slow network)
        self.api_calls = []  # (time.monotonic(), method, path without the query, status) of each /api/ request
        self._server = None
        self._lock = threading.Lock()

    def start(self):
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        """Connections are refused from now on, as with no network."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def note_api(self, method, path, status):
        with self._lock:
            self.api_calls.append((time.monotonic(), method, path.split("?", 1)[0], status))

    def pings(self, since=0.0):
        """The times of the pings since a moment, and whether each was answered."""
        with self._lock:
            return [
                (at, status == 200)
                for at, _m, path, status in self.api_calls
                if path == "/api/ping" and at >= since
            ]

    def take(self, attribute):
        with self._lock:
            if getattr(self, attribute) > 0:
                setattr(self, attribute, getattr(self, attribute) - 1)
                return True
            return False


def _handler_for(proxy):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _forward(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            if self.path.startswith("/api/") and proxy.take("fail_api"):
                proxy.note_api(self.command, self.path, 503)
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            for prefix, seconds in list(proxy.delays.items()):
                if self.path.startswith(prefix):
                    time.sleep(seconds)
            upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=30)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body or None, headers=headers)
            response = upstream.getresponse()
            payload = response.read()
            upstream.close()
            if self.path.startswith("/api/"):
                proxy.note_api(self.command, self.path, response.status)
            if self.path.startswith("/api/sync"):
                with proxy._lock:
                    proxy.sync_posts += 1
                if proxy.take("drop_sync"):
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
            self.send_response(response.status)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_HEAD = _forward

    return Handler
