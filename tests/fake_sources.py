"""A local web of sources on 127.0.0.1: an RSS feed (one entry only an excerpt), a WordPress site, an
Aides-territoires-shaped API, the CRESS archive page, a feed that times out and one that is broken."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>CRESS test</title>
<item><guid>post-tiers-lieux</guid><title>{title}</title><link>{base}/tiers-lieux</link>
<pubDate>Mon, 06 Sep 2021 10:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>La Région Normandie soutient les tiers-lieux portés par des structures de l’ESS.</p>
<p>Vous êtes :</p><ul><li>une association,</li><li>une SCIC.</li></ul>
<p>Les projets dont les dépenses éligibles sont comprises entre 10 000€ et 80 000€ sont accompagnés.</p>
<p>Candidatez avant le 15 octobre 2021 sur le site de la Région.</p>
<p>Contact : Jeanne MARTIN : jeanne.martin@example.org – 02 31 00 00 00</p>]]></content:encoded></item>
<item><guid>post-webinaire</guid><title>Webinaire « Financer son projet ESS »</title><link>{base}/article/webinaire</link>
<pubDate>Tue, 07 Sep 2021 10:00:00 +0000</pubDate><description>Un webinaire pour les porteurs de projet […]</description></item>
</channel></rss>"""
ARTICLE = """<html><body><nav>menu</nav><article><div class="entry-content">
<p>Un webinaire pour les porteurs de projet de l’ESS qui cherchent des financements.</p>
<p>Jeudi 7 octobre 14h-16h – Inscription</p></div></article><footer>pied</footer></body></html>"""


def wordpress_posts(page: int, drop_second: bool) -> tuple[list[dict], int]:
    posts = [
        {"id": 101, "date_gmt": "2021-09-01T08:00:00", "link": "https://wp.example/forum",
         "title": {"rendered": "Forum de l&rsquo;ESS à Caen"},
         "content": {"rendered": "<p>Rencontres des acteurs normands le 14 octobre de 9h à 17h.</p>"}},
        {"id": 102, "date_gmt": "2021-09-02T08:00:00", "link": "https://wp.example/guide",
         "title": {"rendered": "Guide de la commande publique responsable"},
         "content": {"rendered": "<p>Un guide pour les collectivités normandes.</p>"}},
    ]
    if page == 1:
        return posts[:1], 2
    return ([] if drop_second else posts[1:]), 2


AIDS = [
    {"id": 5001, "slug": "tiers-lieux", "url": "https://aides-territoires.example/aides/tiers-lieux/",
     "name": "Tiers-lieux solidaires en Normandie : appel à projets", "financers": ["Région Normandie"],
     "description": "<p>Soutien aux tiers-lieux de l’ESS.</p>", "eligibility": "",
     "targeted_audiences": ["association", "epci"], "perimeter": "Normandie",
     "submission_deadline": "2021-10-15", "start_date": "2021-09-01", "is_call_for_project": True,
     "application_url": "https://aides-territoires.example/candidater/5001"},
    {"id": 5002, "slug": "fonds-mobilite", "url": "https://aides-territoires.example/aides/mobilite/",
     "name": "Fonds mobilité solidaire", "financers": ["Fondation Exemple"],
     "description": "<p>Aide aux projets de mobilité inclusive, doté de 200 000 euros.</p>", "eligibility": "",
     "targeted_audiences": ["association", "private_person"], "perimeter": "France",
     "submission_deadline": "2021-12-31", "start_date": None, "is_call_for_project": True},
]


class Web:
    """Start with `with Web(seed_page) as web:`; `web.url(path)`; change `web.state` between syncs."""

    def __init__(self, archive_text: str):
        self.state = {"title": "Appel à projets « Tiers-lieux solidaires » jusqu’au 15 octobre",
                      "drop_second": False, "requests": []}
        web = self

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, body: str | bytes, kind: str, headers: dict | None = None):
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                web.state["requests"].append(parts.path)
                if parts.path == "/feed.xml":
                    self._send(200, RSS.format(title=web.state["title"], base=web.base), "application/rss+xml")
                elif parts.path == "/article/webinaire":
                    self._send(200, ARTICLE, "text/html; charset=utf-8")
                elif parts.path == "/broken.xml":
                    self._send(200, "<rss><channel><item><title>oops</ti", "application/rss+xml")
                elif parts.path == "/slow.xml":
                    time.sleep(2)
                    self._send(200, RSS.format(title="lent", base=web.base), "application/rss+xml")
                elif parts.path == "/error.xml":
                    self._send(500, "Internal Server Error", "text/plain")
                elif parts.path == "/wp-json/wp/v2/posts":
                    posts, pages = wordpress_posts(int(query.get("page", ["1"])[0]), web.state["drop_second"])
                    self._send(200, json.dumps(posts), "application/json", {"X-WP-TotalPages": str(pages)})
                elif parts.path == "/actualites":
                    self._send(200, archive_text, "text/plain; charset=utf-8")
                elif parts.path == "/api/aids/":
                    if self.headers.get("Authorization") != "Bearer jwt-ok":
                        self._send(401, "{}", "application/json")
                        return
                    page = int(query.get("page", ["1"])[0])
                    body = {"count": 2, "results": AIDS[page - 1:page],
                            "next": f"{web.base}/api/aids/?targeted_audiences=association&page=2" if page == 1
                            else None}
                    self._send(200, json.dumps(body), "application/json")
                else:
                    self._send(404, "not found", "text/plain")

            def do_POST(self):
                if urlsplit(self.path).path == "/api/connexion/" and self.headers.get("X-AUTH-TOKEN") == "at-key":
                    self._send(200, json.dumps({"token": "jwt-ok"}), "application/json")
                else:
                    self._send(401, json.dumps({"detail": "bad key"}), "application/json")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> "Web":
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
