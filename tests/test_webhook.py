"""`ess-bot run` in webhook mode, for real: a local stub of the Bot API on 127.0.0.1, updates posted to the bot's
webhook server, the secret checked on every request."""
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StubBotAPI(BaseHTTPRequestHandler):
    calls: list[tuple[str, dict]] = []

    def do_POST(self):
        method = self.path.rsplit("/", 1)[-1]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)) or 0)
        params = {k: v[0] for k, v in parse_qs(body.decode()).items()}   # PTB posts form-encoded parameters
        params = {k: json.loads(v) if v[:1] in "[{" or v.isdigit() else v for k, v in params.items()}
        StubBotAPI.calls.append((method, params))
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "ESS", "username": "ess_bot"}
        elif method == "sendMessage":
            result = {"message_id": 5, "date": int(time.time()), "chat": {"id": params.get("chat_id"), "type": "private"},
                      "text": params.get("text", "")}
        else:
            result = True
        data = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def post(url: str, payload: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.fixture
def stub_api():
    StubBotAPI.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), StubBotAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_webhook_checks_the_secret_and_answers_updates(stub_api, tmp_path):
    hook_port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/hook.db", "TELEGRAM_BOT_TOKEN": "123456:TEST-TOKEN",
           "TELEGRAM_BASE_URL": f"{stub_api}/bot", "TELEGRAM_BASE_FILE_URL": f"{stub_api}/file/bot",
           "WEBHOOK_URL": f"http://127.0.0.1:{hook_port}/hook", "WEBHOOK_SECRET": "s3cret-value",
           "WEBHOOK_LISTEN": "127.0.0.1", "WEBHOOK_PORT": str(hook_port)}
    bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "run"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 30
        while not any(m == "setWebhook" for m, _ in StubBotAPI.calls) and time.time() < deadline:
            assert bot.poll() is None, bot.stdout.read()
            time.sleep(0.1)
        [(_, hook)] = [c for c in StubBotAPI.calls if c[0] == "setWebhook"]
        assert hook["url"] == f"http://127.0.0.1:{hook_port}/hook" and hook["secret_token"] == "s3cret-value"
        time.sleep(0.5)
        update = {"update_id": 1, "message": {"message_id": 1, "date": int(time.time()), "text": "/start",
                                              "chat": {"id": 99, "type": "private"},
                                              "from": {"id": 99, "is_bot": False, "first_name": "Camille"},
                                              "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}
        url = f"http://127.0.0.1:{hook_port}/hook"
        assert post(url, update, None) == 403
        assert post(url, update, "wrong") == 403
        assert post(url, update, "s3cret-value") == 200
        deadline = time.time() + 10
        while not any(m == "sendMessage" for m, _ in StubBotAPI.calls) and time.time() < deadline:
            time.sleep(0.1)
        sent = [p for m, p in StubBotAPI.calls if m == "sendMessage"]
        assert len(sent) == 1 and sent[0]["chat_id"] == 99 and "Bonjour" in sent[0]["text"]
    finally:
        bot.terminate()
        bot.wait(15)
