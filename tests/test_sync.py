"""Syncing sources served on 127.0.0.1: feeds, WordPress, Aides-territoires, the CRESS archive page."""
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlmodel import Session, select

from knowledge.db import open_database
from knowledge.models import Opportunity, Source
from knowledge.service import KnowledgeBase
from knowledge.sync import add_source, correct, sync_all, sync_source
from knowledge.timeutil import PARIS
from tests.fake_sources import Web

NOW = datetime(2021, 9, 10, 8, tzinfo=timezone.utc)


@pytest.fixture
def web(seed_page):
    with Web(seed_page) as web:
        yield web


@pytest.fixture
def engine(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'sync.db'}", seed=False)


def items(engine) -> dict[str, Opportunity]:
    with Session(engine) as s:
        return {o.title: o for o in s.exec(select(Opportunity))}


def sync(engine, **kw):
    return {r.source: r for r in sync_all(engine, NOW, aides_territoires_token="at-key", timeout=1, **kw)}


def test_feed_wordpress_and_api_become_opportunities_with_their_facts(engine, web):
    add_source(engine, web.url("/feed.xml"), name="CRESS test", default_territory="R28")
    add_source(engine, web.url("/wp-json/wp/v2/posts"), name="WP test", default_territory="R28")
    reports = sync(engine)
    assert reports["CRESS test"].created == 2 and reports["WP test"].created == 2
    got = items(engine)
    call = got["Appel à projets « Tiers-lieux solidaires » jusqu’au 15 octobre"]
    assert call.kind == "aap" and call.deadline.astimezone(PARIS).isoformat() == "2021-10-15T23:59:00+02:00"
    assert (call.amount_min, call.amount_max) == (10_000, 80_000) and call.audiences == ["association", "scic"]
    assert call.contacts == [{"name": "Jeanne Martin", "email": "jeanne.martin@example.org", "phone": "02 31 00 00 00"}]
    assert call.evidence["deadline"] == "Candidatez avant le 15 octobre 2021 sur le site de la Région."
    assert call.source_url.endswith("/tiers-lieux") and call.territories == ["R28"]
    webinaire = got["Webinaire « Financer son projet ESS »"]            # the feed gave an excerpt: article read
    assert "/article/webinaire" in web.state["requests"]
    assert webinaire.kind == "evenement" and webinaire.starts_at.astimezone(PARIS).strftime("%d/%m %H:%M") == "07/10 14:00"
    forum = got["Forum de l’ESS à Caen"]
    assert forum.territories == ["D14"] and forum.starts_at.astimezone(PARIS).strftime("%d/%m %H:%M") == "14/10 09:00"


def test_resync_creates_no_duplicates(engine, web):
    add_source(engine, web.url("/feed.xml"), name="CRESS test")
    sync(engine)
    again = sync(engine)["CRESS test"]
    assert (again.created, again.unchanged) == (0, 2)
    assert len(items(engine)) == 2


def test_one_failing_source_is_reported_and_the_others_go_on(engine, web):
    add_source(engine, web.url("/slow.xml"), "rss", name="lent")
    add_source(engine, web.url("/broken.xml"), "rss", name="cassé")
    add_source(engine, web.url("/error.xml"), "rss", name="en panne")
    add_source(engine, web.url("/feed.xml"), name="CRESS test")
    reports = sync(engine)
    assert "délai dépassé" in reports["lent"].error
    assert "flux invalide" in reports["cassé"].error
    assert "HTTP 500" in reports["en panne"].error
    assert reports["CRESS test"].created == 2
    with Session(engine) as s:
        statuses = {src.name: (src.last_status, src.last_error) for src in s.exec(select(Source))}
    assert statuses["lent"][0] == "error" and statuses["CRESS test"] == ("ok", None)


def test_a_field_corrected_by_hand_is_kept_and_the_change_reported(engine, web):
    add_source(engine, web.url("/feed.xml"), name="CRESS test")
    sync(engine)
    call = next(o for o in items(engine).values() if o.kind == "aap")
    correct(engine, call.id, "deadline", "2021-10-20")
    web.state["title"] = "Appel à projets « Tiers-lieux solidaires » jusqu’au 18 octobre"
    report = sync(engine)["CRESS test"]
    kept = items(engine)["Appel à projets « Tiers-lieux solidaires » jusqu’au 18 octobre"]   # title: not protected
    assert kept.deadline.astimezone(PARIS).date().isoformat() == "2021-10-20"
    assert kept.manual_fields == ["deadline"]
    assert any(k.startswith(f"{kept.key}.deadline") for k in report.kept_manual)
    assert "corrigé à la main, gardé" in report.summary()


def test_items_removed_from_a_source_are_kept_and_marked(engine, web):
    add_source(engine, web.url("/wp-json/wp/v2/posts"), name="WP test")
    sync(engine)
    web.state["drop_second"] = True
    report = sync(engine)["WP test"]
    assert report.removed == 1
    guide = items(engine)["Guide de la commande publique responsable"]
    assert guide.removed_at == NOW


def test_aides_territoires_fields_and_merge_with_the_same_call_from_a_feed(engine, web):
    add_source(engine, web.url("/feed.xml"), name="CRESS test")
    add_source(engine, web.url("/api/aids/?targeted_audiences=association"), name="Aides-territoires")
    reports = sync(engine)
    at = reports["Aides-territoires"]
    assert (at.created, at.merged) == (1, 1)                      # the Tiers-lieux call was already known
    got = items(engine)
    call = got["Appel à projets « Tiers-lieux solidaires » jusqu’au 15 octobre"]
    assert {"label": "Aides-territoires", "url": "https://aides-territoires.example/aides/tiers-lieux/"} in call.links
    fonds = got["Fonds mobilité solidaire"]
    assert fonds.territories == ["FR"] and fonds.audiences == ["association"]
    assert fonds.organiser == "Fondation Exemple" and fonds.amount_total == 200_000
    assert fonds.deadline.astimezone(PARIS).isoformat() == "2021-12-31T23:59:00+01:00"
    assert sync(engine)["Aides-territoires"].created == 0          # and again: still no duplicate


def test_aides_territoires_needs_its_key(engine, web):
    add_source(engine, web.url("/api/aids/"), name="AT")
    [report] = sync_all(engine, NOW, aides_territoires_token=None, timeout=1)
    assert "AIDES_TERRITOIRES_TOKEN manquant" in report.error


def test_the_cress_archive_page_as_a_source_gives_its_ten_items(engine, web):
    add_source(engine, web.url("/actualites"), "page", name="CRESS Normandie", default_territory="R28")
    report = sync(engine)["CRESS Normandie"]
    assert report.created == 10 and not report.invalid
    draccare = next(o for o in items(engine).values() if "Draccare" in o.title)
    assert (draccare.amount_min, draccare.amount_max) == (20_000, 500_000)


def test_dry_run_writes_nothing(engine, web):
    add_source(engine, web.url("/feed.xml"), name="CRESS test")
    report = sync(engine, dry_run=True)["CRESS test"]
    assert report.created == 2 and items(engine) == {}


def test_synced_items_are_searchable(tmp_path, web):
    kb = KnowledgeBase.open(f"sqlite:///{tmp_path / 'kb.db'}")
    add_source(kb.engine, web.url("/feed.xml"), name="CRESS test", default_territory="R28")
    sync_all(kb.engine, NOW, timeout=1)
    kb.refresh()
    answer = kb.ask("tiers lieux pour une scic", NOW)
    assert answer.hits[0].opportunity.title.startswith("Appel à projets « Tiers-lieux solidaires »")
