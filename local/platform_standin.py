"""A local stand-in for the platforms' APIs (X API v2, Meta Graph API, WhatsApp Cloud API) on 127.0.0.1.

It answers replies the way the platforms do, records every request, and shows them:
    GET /               the replies posted so far, newest first (HTML)
    GET /requests.json  every request it received, as JSON
Tests script its next answers (429 with Retry-After, 500, 400) and give it Graph objects to read back.

    python -m local.platform_standin --port 8900
"""
from __future__ import annotations

import argparse
import html
import itertools
import json
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: dict | None


@dataclass
class Answer:
    status: int
    body: dict | str                 # a str is sent as it is: a platform answering something that is not JSON
    headers: dict = field(default_factory=dict)
    delay: float = 0.0               # seconds before answering: a platform too slow for the client's timeout


REPLY_PATHS = [
    (re.compile(r"^/2/tweets$"), lambda n: {"data": {"id": f"19{n:017d}", "edit_history_tweet_ids": [f"19{n:017d}"]}}),
    (re.compile(r"^/2/dm_conversations/with/[^/]+/messages$"),
     lambda n: {"data": {"dm_conversation_id": "dm", "dm_event_id": f"18{n:017d}"}}),
    (re.compile(r"^/2/users/[^/]+/likes$"), lambda n: {"data": {"liked": True}}),
    (re.compile(r"^/v[\d.]+/[^/]+/likes$"), lambda n: {"success": True}),
    (re.compile(r"^/v[\d.]+/[^/]+/(comments|replies|mentions)$"), lambda n: {"id": f"{n:015d}"}),
    (re.compile(r"^/v[\d.]+/[^/]+/messages$"),
     lambda n: {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.standin{n:012d}"}]}),
]


class PlatformStandIn:
    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.requests: list[Recorded] = []
        self.scripted: list[Answer] = []
        self.objects: dict[str, dict] = {}      # Graph object id -> what GET /{version}/{id} answers
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> PlatformStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *answers: Answer) -> None:
        """The next requests get these answers, in order, instead of the platform's usual one."""
        with self._lock:
            self.scripted.extend(answers)

    def replies(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]

    def answer(self, recorded: Recorded) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            if self.scripted:
                return self.scripted.pop(0)
            number = next(self._ids)
        if not recorded.headers.get("authorization", "").startswith("Bearer "):
            return Answer(401, {"error": {"message": "no bearer token", "code": 190}})
        if recorded.method == "GET":
            object_id = recorded.path.rstrip("/").split("/")[-1]
            if object_id in self.objects:
                return Answer(200, self.objects[object_id])
            return Answer(404, {"error": {"message": f"object {object_id} does not exist", "code": 100}})
        for pattern, make in REPLY_PATHS:
            if pattern.match(recorded.path):
                return Answer(200, make(number))
        return Answer(404, {"error": {"message": f"unknown path {recorded.path}"}})

    def page(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(r.path)}</td><td><pre>{html.escape(json.dumps(r.body, ensure_ascii=False, indent=1))}"
            f"</pre></td></tr>" for r in reversed(self.replies()))
        return (f"<!doctype html><meta charset=utf-8><title>Platform replies</title>"
                f"<h1>Replies sent to platforms ({len(self.replies())})</h1>"
                f"<table border=1 cellpadding=4><tr><th>endpoint</th><th>body</th></tr>{rows}</table>")

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # the stack's own logs say what was sent
                pass

            def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _record(self, method: str) -> Recorded:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                return Recorded(method, parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()},
                                {k.lower(): v for k, v in self.headers.items()},
                                json.loads(raw) if raw else None)

            def do_GET(self):
                if self.path == "/":
                    return self._send(200, standin.page().encode(), "text/html; charset=utf-8")
                if self.path == "/requests.json":
                    body = json.dumps([asdict(r) for r in standin.requests], ensure_ascii=False).encode()
                    return self._send(200, body, "application/json")
                self._reply(self._record("GET"))

            def do_POST(self):
                self._reply(self._record("POST"))

            def _reply(self, recorded: Recorded):
                answer = standin.answer(recorded)
                time.sleep(answer.delay)
                raw = answer.body if isinstance(answer.body, str) else json.dumps(answer.body)
                try:
                    self._send(answer.status, raw.encode(), "application/json", answer.headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped waiting (its timeout), as it would with a slow platform

        return Handler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8900)
    args = parser.parse_args(argv)
    standin = PlatformStandIn(port=args.port)
    print(f"platform stand-in on {standin.url} (replies at {standin.url}/)", flush=True)
    try:
        standin.server.serve_forever()
    except KeyboardInterrupt:
        standin.server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
