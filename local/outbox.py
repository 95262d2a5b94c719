"""The local outbox: every email the desk sent through moto's SES, readable in a browser.

    python -m local.outbox --moto http://127.0.0.1:5000 --port 8025     # local.stack starts it for you

moto keeps raw emails whole (`RawMessage.raw_data`), so inline chart images are shown by turning their
`cid:` references into data: URLs. For plain `SendEmail` calls with Text and Html parts moto keeps only the Html.
"""
from __future__ import annotations

import argparse
import base64
import email
import html
import json
import threading
import urllib.request
from dataclasses import dataclass
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class SentMail:
    sender: str
    to: list[str]
    subject: str
    html: str | None
    text: str | None


def from_raw(raw_data: str) -> SentMail:
    message = email.message_from_string(raw_data, policy=policy.default)
    images = {part["Content-ID"].strip("<>"): part for part in message.walk() if part["Content-ID"]}
    html_part = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    text_part = next((p for p in message.walk() if p.get_content_type() == "text/plain"), None)
    body = html_part.get_content() if html_part else None
    for content_id, image in images.items():
        data = base64.b64encode(image.get_content()).decode()
        body = body and body.replace(f"cid:{content_id}", f"data:{image.get_content_type()};base64,{data}")
    return SentMail(str(message["From"]), [a.addr_spec for a in message["To"].addresses], str(message["Subject"]),
                    body, text_part.get_content() if text_part else None)


def sent_mails(moto_state: dict) -> list[SentMail]:
    """Oldest first, from moto's `/moto-api/data.json`."""
    ses = moto_state.get("ses", {})
    plain = [SentMail(m["source"], [a for kind in m["destinations"].values() for a in kind], m["subject"], m["body"], None)
             for m in ses.get("Message", [])]
    return plain + [from_raw(m["raw_data"]) for m in ses.get("RawMessage", [])]


def index_page(mails: list[SentMail]) -> str:
    rows = "".join(f'<tr><td>{n}</td><td><a href="/mail/{n}">{html.escape(m.subject)}</a></td>'
                   f'<td>{html.escape(", ".join(m.to))}</td><td><a href="/mail/{n}.txt">text</a></td></tr>'
                   for n, m in reversed(list(enumerate(mails))))
    return (f'<!doctype html><meta charset="utf-8"><title>Local outbox</title><h1>Local outbox ({len(mails)})</h1>'
            f'<table border="1" cellpadding="4"><tr><th>#</th><th>Subject</th><th>To</th><th></th></tr>{rows}</table>')


class OutboxHandler(BaseHTTPRequestHandler):
    moto_url = "http://127.0.0.1:5000"

    def do_GET(self):  # noqa: N802 (http.server's naming)
        with urllib.request.urlopen(f"{self.moto_url}/moto-api/data.json", timeout=10) as response:
            mails = sent_mails(json.load(response))
        path = self.path.rstrip("/")
        if path in ("", "/mail"):
            return self.answer(index_page(mails), "text/html")
        number, _, suffix = path.removeprefix("/mail/").partition(".")
        if not number.isdigit() or int(number) >= len(mails):
            return self.answer("no such mail", "text/plain", 404)
        mail = mails[int(number)]
        if suffix == "txt" or not mail.html:
            return self.answer(mail.text or "", "text/plain")
        return self.answer(mail.html, "text/html")

    def answer(self, body: str, content_type: str, status: int = 200) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass   # the stack's terminal is for the desk's own logs


def start_outbox(port: int, moto_url: str) -> ThreadingHTTPServer:
    """On `port`, or on any free port when it is taken (several stacks run side by side in tests)."""
    handler = type("BoundOutboxHandler", (OutboxHandler,), {"moto_url": moto_url})
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError:
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moto", default="http://127.0.0.1:5000")
    parser.add_argument("--port", type=int, default=8025)
    args = parser.parse_args(argv)
    server = start_outbox(args.port, args.moto)
    print(f"outbox on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
