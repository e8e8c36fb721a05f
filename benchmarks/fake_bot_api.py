"""A fake Telegram Bot API over real HTTP on 127.0.0.1, for benchmarks of the sending path.

Runs in its own process (`start()`), so that its clock and its CPU are not those of the bot under test. It answers
getMe, sendMessage (a realistic Message: message_id, date, chat, from, text, reply_markup) and True for every other
method, and records the arrival time (time.time(), comparable across processes) and chat of every sendMessage.
PTB posts form-encoded parameters (JSON-encoded values for objects such as reply_markup); JSON bodies are read too.

Like Telegram, it refuses a text longer than 4096 characters after HTML parsing (400 "message is too long").
`GET /_stats` returns everything recorded as JSON.
"""
from __future__ import annotations

import html
import itertools
import json
import multiprocessing
import re
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "ESS bot", "username": "ess_opportunites_bot",
            "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False}
MAX_TEXT = 4096
TAG = re.compile(r"<[^>]+>")


class _State:
    def __init__(self, latency: float):
        self.lock = threading.Lock()
        self.latency = latency
        self.message_ids = itertools.count(1)
        self.sends: list[tuple[float, int, int]] = []     # (arrival, chat_id, text length)
        self.rejected: list[tuple[float, int, str]] = []
        self.methods: dict[str, int] = {}


def _params(handler: BaseHTTPRequestHandler, body: bytes) -> dict:
    ctype = handler.headers.get("Content-Type", "")
    if not body:
        return {}
    if ctype.startswith("application/json"):
        return json.loads(body)
    if ctype.startswith("application/x-www-form-urlencoded"):
        return {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
    return {}        # multipart (files): the benchmark sends none


def _handler(state: _State):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"          # keep-alive, as httpx's pool expects

        def log_message(self, *args) -> None:
            pass

        def _answer(self, status: int, payload: object) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/_stats":
                with state.lock:
                    self._answer(200, {"sends": state.sends, "rejected": state.rejected, "methods": state.methods})
            else:
                self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            arrival = time.time()
            method = self.path.rsplit("/", 1)[-1]
            params = _params(self, body)
            with state.lock:
                state.methods[method] = state.methods.get(method, 0) + 1
            if state.latency:
                time.sleep(state.latency)
            if method == "getMe":
                return self._answer(200, {"ok": True, "result": BOT_USER})
            if method == "sendMessage":
                chat_id = int(params.get("chat_id", 0))
                text = params.get("text", "")
                shown = html.unescape(TAG.sub("", text)) if params.get("parse_mode") == "HTML" else text
                if len(shown.encode("utf-16-le")) // 2 > MAX_TEXT:
                    with state.lock:
                        state.rejected.append((arrival, chat_id, "message is too long"))
                    return self._answer(400, {"ok": False, "error_code": 400,
                                              "description": "Bad Request: message is too long"})
                with state.lock:
                    state.sends.append((arrival, chat_id, len(shown)))
                    message_id = next(state.message_ids)
                message = {"message_id": message_id, "date": int(arrival), "from": BOT_USER,
                           "chat": {"id": chat_id, "type": "private", "first_name": "Bench"}, "text": shown}
                if params.get("reply_markup"):
                    markup = params["reply_markup"]
                    message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
                return self._answer(200, {"ok": True, "result": message})
            return self._answer(200, {"ok": True, "result": True})

    return Handler


def _serve(conn, latency: float) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(_State(latency)))
    server.daemon_threads = True
    conn.send(server.server_address[1])
    server.serve_forever(poll_interval=0.2)


def start(latency: float = 0.0) -> tuple[multiprocessing.Process, int]:
    """Start the server in a child process; returns the process (terminate it when done) and its port."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe()
    process = ctx.Process(target=_serve, args=(child, latency), daemon=True)
    process.start()
    if not parent.poll(30):
        process.terminate()
        raise RuntimeError("fake Bot API did not start")
    return process, parent.recv()


def stats(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=30) as response:
        return json.loads(response.read())
