"""Reading sources: RSS/Atom feeds, the WordPress REST API, Aides-territoires' API, news archive pages.

Each reader returns `Incoming` items — an id stable within the source, a title, the article's text, links — that
`knowledge.sync` turns into opportunities. Network and format errors raise `SourceError`: a sync reports them and
goes on with the other sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import logging

import feedparser
import httpx
from bs4 import BeautifulSoup

from knowledge import taxonomy
from knowledge.extract import Extracted, extract, parse_archive
from knowledge.query import resolve_place
from knowledge.timeutil import PARIS

log = logging.getLogger(__name__)
KINDS = ("rss", "wordpress", "aides-territoires", "page")
USER_AGENT = "ess-bot/0.1 (+https://github.com/; veille ESS)"
EXCERPT_CHARS = 600            # a feed entry shorter than this (or ending with […]) is only an excerpt
MAX_PAGES = 20


class SourceError(Exception):
    """A source could not be read (time-out, HTTP error, invalid feed, unexpected JSON)."""


@dataclass
class Incoming:
    item_id: str
    extracted: Extracted
    link: str | None = None
    published: datetime | None = None
    fields: dict[str, Any] = field(default_factory=dict)    # structured fields the source gives directly


def guess_kind(url: str) -> str:
    u = url.lower()
    if "aides-territoires" in u or "/api/aids" in u:
        return "aides-territoires"
    if "wp-json" in u:
        return "wordpress"
    if re.search(r"(/feed/?|\.rss|\.xml|/rss/?|atom)$", u.split("?")[0]):
        return "rss"
    return "page"


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: paragraphs, headings and list items on their own lines."""
    soup = BeautifulSoup(html or "", "html.parser")
    for tag in soup(["script", "style", "nav", "footer", "form"]):
        tag.decompose()
    for li in soup.find_all("li"):
        li.insert_before("\n  • ")
    for block in soup.find_all(["p", "h1", "h2", "h3", "h4", "div", "ul", "ol", "br", "section", "article"]):
        block.insert_before("\n\n")
    text = soup.get_text()
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _get(client: httpx.Client, url: str, **params) -> httpx.Response:
    try:
        response = client.get(url, params=params or None, headers={"User-Agent": USER_AGENT})
        response.raise_for_status()
        return response
    except httpx.TimeoutException as exc:
        raise SourceError(f"délai dépassé en lisant {url}") from exc
    except httpx.HTTPStatusError as exc:
        raise SourceError(f"HTTP {exc.response.status_code} en lisant {url}") from exc
    except httpx.HTTPError as exc:
        raise SourceError(f"{type(exc).__name__} en lisant {url} : {exc}") from exc


def _parsed_date(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return datetime(*value[:6], tzinfo=timezone.utc)       # feedparser's struct_time (UTC)


def _paris_day(moment: datetime | None) -> date | None:
    return moment.astimezone(PARIS).date() if moment else None


def _article_text(client: httpx.Client, url: str) -> str:
    """The main text of an article page (the feed only gave an excerpt)."""
    soup = BeautifulSoup(_get(client, url).text, "html.parser")
    main = soup.select_one("article .entry-content, .entry-content, article, main, #content") or soup.body
    return html_to_text(str(main)) if main else ""


def read_rss(client: httpx.Client, url: str, default_territory: str | None) -> list[Incoming]:
    feed = feedparser.parse(_get(client, url).content)
    problem = feed.get("bozo_exception")
    if feed.bozo and not isinstance(problem, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
        raise SourceError(f"flux invalide : {problem or 'format inconnu'}")
    items = []
    for entry in feed.entries:
        full = bool(entry.get("content"))
        text = html_to_text(entry.content[0].value if full else entry.get("summary", ""))
        link = entry.get("link")
        if link and not full and (len(text) < EXCERPT_CHARS or text.rstrip().endswith(("[…]", "[...]", "…"))):
            try:                           # only an excerpt in the feed: read the article itself
                text = _article_text(client, link) or text
            except SourceError as exc:
                log.info("article %s unreadable, excerpt kept: %s", link, exc)
        published = _parsed_date(entry.get("published_parsed") or entry.get("updated_parsed"))
        extracted = extract(html_to_text(entry.get("title", "")), text, reference=_paris_day(published),
                            default_territory=default_territory)
        items.append(Incoming(entry.get("id") or link or extracted.title, extracted, link, published))
    return items


def _wordpress_api(url: str) -> str:
    parts = urlsplit(url)
    if "wp-json" in parts.path:
        return url.split("?")[0]
    return f"{parts.scheme}://{parts.netloc}/wp-json/wp/v2/posts"


def read_wordpress(client: httpx.Client, url: str, default_territory: str | None) -> list[Incoming]:
    api = _wordpress_api(url)
    items, page, pages = [], 1, 1
    while page <= min(pages, MAX_PAGES):
        response = _get(client, api, per_page=50, page=page)
        try:
            posts = response.json()
            pages = int(response.headers.get("X-WP-TotalPages", 1))
        except ValueError as exc:
            raise SourceError(f"réponse WordPress illisible : {exc}") from exc
        if not isinstance(posts, list):
            raise SourceError("réponse WordPress inattendue (pas une liste d'articles)")
        for post in posts:
            published = _parsed_date(post.get("date_gmt") or post.get("date"))
            title = html_to_text(post.get("title", {}).get("rendered", ""))
            text = html_to_text(post.get("content", {}).get("rendered", ""))
            extracted = extract(title, text, reference=_paris_day(published), default_territory=default_territory)
            items.append(Incoming(str(post.get("id")), extracted, post.get("link"), published))
        page += 1
    return items


def read_page(client: httpx.Client, url: str, default_territory: str | None) -> list[Incoming]:
    body = _get(client, url).text
    text = html_to_text(body) if "<" in body[:500] else body
    return [Incoming(f"{url}#{n}", item, url) for n, item in
            enumerate(parse_archive(text, default_territory=default_territory), start=1)]


# --- Aides-territoires ----------------------------------------------------------------------------------------------

# Their audience slugs and labels mapped onto ours (their "Particulier", "Agriculteur"… have no match: skipped).
AT_AUDIENCES = {
    "association": "association", "associations": "association", "commune": "commune", "communes": "commune",
    "epci": "epci", "intercommunalité / pays": "epci", "department": "departement", "département": "departement",
    "region": "region", "région": "region", "public_org": "etablissement_public",
    "établissement public": "etablissement_public", "public_cies": "etablissement_public",
    "private_sector": "entreprise", "entreprise privée": "entreprise", "entreprises privées": "entreprise",
    "special": "collectivite", "collectivité d'outre-mer à statuts particuliers": "collectivite",
}


def _at_token(client: httpx.Client, base: str, token: str | None) -> dict[str, str]:
    """Aides-territoires trades the API key (X-AUTH-TOKEN) for a short-lived bearer token."""
    if not token:
        raise SourceError("AIDES_TERRITOIRES_TOKEN manquant (clé d'API à demander à Aides-territoires)")
    try:
        response = client.post(urljoin(base, "/api/connexion/"), headers={"X-AUTH-TOKEN": token,
                                                                            "User-Agent": USER_AGENT})
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['token']}"}
    except (httpx.HTTPError, KeyError, ValueError) as exc:
        raise SourceError(f"connexion à Aides-territoires refusée : {exc}") from exc


def read_aides_territoires(client: httpx.Client, url: str, token: str | None) -> list[Incoming]:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    headers = _at_token(client, base, token) | {"User-Agent": USER_AGENT}
    next_url: str | None = url if "/api/aids" in url else urljoin(base, "/api/aids/?targeted_audiences=association")
    items: list[Incoming] = []
    for _ in range(MAX_PAGES):
        if not next_url:
            break
        try:
            response = client.get(next_url, headers=headers)
            response.raise_for_status()
            page = response.json()
        except httpx.TimeoutException as exc:
            raise SourceError(f"délai dépassé en lisant {next_url}") from exc
        except (httpx.HTTPError, ValueError) as exc:
            raise SourceError(f"Aides-territoires : {exc}") from exc
        for aid in page.get("results", []):
            items.append(_aid(aid))
        next_url = page.get("next")
    return items


def _aid(aid: dict) -> Incoming:
    text = html_to_text(aid.get("description") or "")
    eligibility = html_to_text(aid.get("eligibility") or "")
    extracted = extract(aid.get("name") or aid.get("name_initial") or "", f"{text}\n\n{eligibility}".strip())
    audiences = [AT_AUDIENCES[a.lower()] for a in aid.get("targeted_audiences") or [] if a.lower() in AT_AUDIENCES]
    place = resolve_place(aid.get("perimeter") or "") if aid.get("perimeter") else None
    if (aid.get("perimeter") or "").lower() in {"france", "national", "france métropolitaine"}:
        place = taxonomy.NATIONAL
    fields: dict[str, Any] = {"audiences": list(dict.fromkeys(audiences)),
                              "organiser": ", ".join(aid.get("financers") or []) or None,
                              "application_url": aid.get("application_url") or None,
                              "source_url": aid.get("url") or aid.get("origin_url") or None}
    if place:
        fields["territories"] = [place]
    if aid.get("submission_deadline"):
        fields["deadline"] = date.fromisoformat(aid["submission_deadline"])
    if aid.get("start_date"):
        fields["opens_at"] = date.fromisoformat(aid["start_date"])
    if aid.get("is_call_for_project") and extracted.kind not in taxonomy.CALL_KINDS:
        extracted.kind = taxonomy.Kind.AAP
    elif extracted.kind not in taxonomy.CALL_KINDS:
        extracted.kind = taxonomy.Kind.OFFRE                  # a standing aid: no call, an offer to apply to
    return Incoming(f"at-{aid.get('id') or aid.get('slug')}", extracted, aid.get("url"), None,
                    {k: v for k, v in fields.items() if v not in (None, [])})


def read(kind: str, client: httpx.Client, url: str, *, default_territory: str | None = None,
         aides_territoires_token: str | None = None) -> list[Incoming]:
    if kind == "rss":
        return read_rss(client, url, default_territory)
    if kind == "wordpress":
        return read_wordpress(client, url, default_territory)
    if kind == "aides-territoires":
        return read_aides_territoires(client, url, aides_territoires_token)
    if kind == "page":
        return read_page(client, url, default_territory)
    raise SourceError(f"type de source inconnu : {kind}")
