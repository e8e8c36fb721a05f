"""Facts read from French prose: the CRESS Normandie archive page (read at test time) and single phrasings."""
from datetime import date, datetime

import pytest
import yaml

from knowledge.db import SEED_FILES
from knowledge.extract import extract, parse_archive, split_archive
from knowledge.ingest import OpportunityRecord
from knowledge.timeutil import PARIS


@pytest.fixture(scope="module")
def items(seed_page):
    return {item.title: item for item in parse_archive(seed_page, default_territory="R28")}


def find(items, start):
    return next(item for title, item in items.items() if title.startswith(start))


def paris(value):
    return value.astimezone(PARIS).strftime("%Y-%m-%d %H:%M")


def test_the_page_comes_out_as_its_ten_posts_with_their_kinds(seed_page, items):
    assert [(kind, title[:30]) for title, kind in
            ((i.title, i.kind) for i in parse_archive(seed_page))] == [
        ("ressource", "Élections territoriales 2021 :"), ("evenement", "Conférence « Le numérique peut"),
        ("offre", "Donnez une seconde vie au mobi"), ("aap", "Appel à projets Draccare pour "),
        ("evenement", "[Save the date] Parution de la"), ("ressource", "Relance des Pôles Territoriaux"),
        ("ami", "Appel à manifestation d’intérê"), ("aap", "Appel à projets « Priorité à l"),
        ("aap", "Appel à manifestations culture"), ("evenement", "[Mois de l’ESS en Normandie] P"),
    ]


def test_draccare(items):
    d = find(items, "Appel à projets Draccare")
    assert paris(d.value("deadline")) == "2021-07-09 23:59"
    assert d.facts["deadline"].sentence.startswith("Candidatez à l’appel à projet Draccare avant le 9 juillet 2021")
    assert (d.value("amount_min"), d.value("amount_max"), d.value("amount_basis")) == (20_000, 500_000, "spending")
    assert {"association", "collectivite", "opco", "etablissement_public"} <= set(d.value("audiences"))
    assert "entreprise" not in d.value("audiences")            # the PME are the beneficiaries, not the applicants


def test_ptce_ami_closes_at_midnight_with_100k_over_two_years(items):
    ami = find(items, "Appel à manifestation d’intérêt")
    assert paris(ami.value("deadline")) == "2021-06-23 23:59"
    assert "pour le mercredi 23 juin minuit" in ami.facts["deadline"].sentence
    assert paris(ami.value("opens_at")) == "2021-05-12 00:00"
    assert (ami.value("amount_max"), ami.value("amount_note")) == (100_000, "sur 2 ans")
    assert [c["email"] for c in ami.value("contacts")] == ["laure.drege@cressnormandie.org",
                                                           "rodolphe.joigne@cressnormandie.org"]
    assert ami.value("contacts")[0] == {"name": "Laure Drege", "email": "laure.drege@cressnormandie.org",
                                        "phone": "02 31 06 09 23"}


def test_young_employment_call_and_open_air_call(items):
    jeunes = find(items, "Appel à projets « Priorité")
    assert paris(jeunes.value("deadline")) == "2021-09-30 23:59" and jeunes.value("amount_total") == 150_000
    assert jeunes.facts["amount_total"].sentence == "Cet appel à projets est doté de 150 000 euros."
    plein_air = find(items, "Appel à manifestations culturelles")
    assert paris(plein_air.value("deadline")) == "2021-06-10 23:59"
    assert (paris(plein_air.value("starts_at")), paris(plein_air.value("ends_at"))) == \
        ("2021-07-16 00:00", "2021-08-29 23:59")
    assert plein_air.value("territories") == ["D76"]           # Métropole Rouen Normandie: Seine-Maritime


def test_events_and_offer(items):
    conference = find(items, "Conférence")
    assert (paris(conference.value("starts_at")), paris(conference.value("ends_at"))) == \
        ("2021-06-24 14:30", "2021-06-24 17:00")
    assert conference.value("audiences") == ["association", "cooperative", "mutuelle"]
    carte = find(items, "[Save the date]")
    assert (paris(carte.value("starts_at")), paris(carte.value("ends_at"))) == ("2021-06-02 18:00", "2021-06-02 19:00")
    assert carte.value("territories") == ["FR"]
    mobilier = find(items, "Donnez une seconde vie")
    assert mobilier.value("audiences") == ["association", "ei", "entreprise_esus", "entreprise", "collectivite"]
    assert mobilier.value("contacts") == [{"name": "Bruno Anquetil", "email": "bruno.anquetil50@gmail.com",
                                           "phone": "06 78 65 44 46"}]
    mois = find(items, "[Mois de l’ESS")
    assert (paris(mois.value("starts_at")), paris(mois.value("ends_at"))) == ("2021-11-01 00:00", "2021-11-30 23:59")
    assert mois.value("contacts")[0]["email"] == "muriel.maurice-juhasz@cressnormandie.org"


def test_parsed_items_agree_with_the_curated_data(seed_page):
    curated = [OpportunityRecord.model_validate(r) for r in yaml.safe_load(SEED_FILES[0].read_text("utf-8"))]
    parsed = parse_archive(seed_page, default_territory="R28")
    assert len(parsed) == len(curated) == 10
    for mine, theirs in zip(parsed, curated):
        record = OpportunityRecord.model_validate(mine.record(key=theirs.key))
        for name in ("kind", "deadline", "opens_at", "amount_min", "amount_max", "amount_total", "territories"):
            assert getattr(record, name) == getattr(theirs, name), (theirs.key, name)
        if record.kind != "ressource":
            assert (record.starts_at, record.ends_at) == (theirs.starts_at, theirs.ends_at), theirs.key
        assert set(record.audiences) == set(theirs.audiences), theirs.key
        assert [c["email"] for c in record.contacts] == [c["email"] for c in theirs.contacts], theirs.key


@pytest.mark.parametrize("sentence,field,expected", [
    ("Dépôt des dossiers jusqu'au 9 juillet.", "deadline", "2021-07-09 23:59"),
    ("Candidatez avant le 9 juillet 2022 sur le site.", "deadline", "2022-07-09 23:59"),
    ("Dossiers pour le mercredi 23 juin minuit délai de rigueur.", "deadline", "2021-06-23 23:59"),
    ("Date limite de dépôt : 1er octobre", "deadline", "2021-10-01 23:59"),
])
def test_deadline_phrasings(sentence, field, expected):
    item = extract("Appel à projets test", sentence, reference=date(2021, 5, 1))
    assert paris(item.value(field)) == expected


@pytest.mark.parametrize("sentence,start,end", [
    ("Jeudi 24 juin 14h30-17h – Inscription", "2021-06-24 14:30", "2021-06-24 17:00"),
    ("Rendez-vous le 2 juin de 18h à 19h en visio.", "2021-06-02 18:00", "2021-06-02 19:00"),
    ("Un festival du 16 juillet au 29 août.", "2021-07-16 00:00", "2021-08-29 23:59"),
    ("Conférence le 24 juin à 14h30.", "2021-06-24 14:30", None),
])
def test_event_phrasings(sentence, start, end):
    item = extract("Conférence test", sentence, reference=date(2021, 5, 1))
    assert paris(item.value("starts_at")) == start
    assert (paris(item.value("ends_at")) if item.value("ends_at") else None) == end


def test_amount_phrasings():
    item = extract("Appel à projets", "Un projet dont les dépenses éligibles sont comprises entre 20 000€ et "
                   "500 000€. L'appel est doté de 1.000.000 euros.", reference=date(2021, 1, 1))
    assert (item.value("amount_min"), item.value("amount_max"), item.value("amount_total")) == \
        (20_000, 500_000, 1_000_000)


def test_split_needs_no_headings(seed_page):
    titles = [t for t, _ in split_archive(seed_page)]
    assert "La carte est mise à disposition de toutes et tous en libre-accès !" not in titles
    assert "Retrouvez la visio-conférence du 12 mai" not in titles


@pytest.mark.parametrize("sentence", ["Candidatures jusqu'au 31 février.", "Soirée le 3 juin de 20h à 25h.",
                                      "Le 30 février 2021 à 14h30."])
def test_impossible_dates_and_hours_give_no_fact_rather_than_a_crash(sentence):
    item = extract("Appel à projets test", sentence, reference=date(2021, 5, 1))
    assert item.value("deadline") is None and item.value("starts_at") is None


def test_until_midnight_written_24h():
    item = extract("Conférence test", "Fête le 3 juin de 20h à 24h.", reference=date(2021, 5, 1))
    assert paris(item.value("ends_at")) == "2021-06-03 23:59"
