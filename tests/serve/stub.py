"""A SPARQL endpoint stand-in on 127.0.0.1 that records every request it gets: a test can tell
whether anything was sent to it (a ``SERVICE`` call), and what it answers can be a valid empty
result or a failure."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'


class RecordingEndpoint:
    """Answers every request with ``status`` and ``body`` (with 500 from the request after the
    first ``fail_after``); ``requests`` lists what came."""

    def __init__(self, status: int = 200, body: bytes = EMPTY_RESULTS,
                 fail_after: int | None = None) -> None:
        self.requests: list[tuple[str, str]] = []
        self.status, self.body, self.fail_after = status, body, fail_after
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                owner.requests.append((self.command, self.path))
                failing = owner.fail_after is not None and len(owner.requests) > owner.fail_after
                self.send_response(500 if failing else owner.status)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(owner.body)))
                self.end_headers()
                self.wfile.write(owner.body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> RecordingEndpoint:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
