"""What the bot understands of a French question: filters, repaired words, search words."""
from datetime import date

import pytest

from knowledge.query import QueryParser, parse_amount, resolve_department, resolve_region
from knowledge.timeutil import today_at_noon

NOW = today_at_noon(date(2021, 6, 1))


@pytest.fixture(scope="module")
def parser(kb):
    return kb.index().parser


def understood(parser, question, now=NOW):
    u = parser.parse(question, now)
    data = u.to_json()
    data["period"] = u.period.label if u.period else None
    return {k: v for k, v in data.items() if v not in (None, [], {})}


@pytest.mark.parametrize("question,expected", [
    ("quels appels pour une association ?", {"kinds": ["aap", "ami", "candidatures"], "audience": "association"}),
    ("AAP emploi jeunes normandie", {"kinds": ["aap", "ami", "candidatures"], "territory": "R28",
                                     "themes": ["emploi", "jeunesse"], "terms": ["emploi", "jeunes"]}),
    ("evenements en juin", {"kinds": ["evenement"], "period": "en juin 2021"}),
    ("les AMI pour les SCOP", {"kinds": ["ami"], "audience": "scop"}),
    ("rdv dans le 76", {"kinds": ["evenement"], "territory": "D76"}),
    ("appels region 76", {"kinds": ["aap", "ami", "candidatures"], "territory": "R76"}),
    ("offres pour ma mairie a caen", {"kinds": ["offre"], "audience": "commune", "territory": "D14"}),
    ("financement 30 000 € pour une siae", {"kinds": ["aap", "ami", "candidatures"], "audience": "siae",
                                           "amount": 30000}),
    ("projet de 30k", {"amount": 30000, "terms": ["projet"]}),
    ("appels avant septembre", {"kinds": ["aap", "ami", "candidatures"], "period": "avant septembre 2021"}),
    ("webinaire cet ete", {"kinds": ["evenement"], "period": "cet été", "terms": ["webinaire"]}),
    ("evenements le 24 juin", {"kinds": ["evenement"], "period": "le 24 juin 2021"}),
    ("aides pour une entreprise agréée ESUS", {"kinds": ["aap", "ami", "candidatures"],
                                               "audience": "entreprise_esus"}),
    ("formations dans le cher", {"territory": "D18", "themes": ["formation"], "terms": ["formations"]}),
])
def test_filters_read_from_the_question(parser, question, expected):
    assert understood(parser, question) == expected


def test_common_words_that_are_department_names_need_a_place_word(parser):
    assert "territory" not in understood(parser, "un projet qui coute cher")
    assert understood(parser, "projets dans le nord")["territory"] == "D59"


def test_typos_are_repaired_against_known_words(parser):
    u = parser.parse("apel a projé draccar pour asociation", NOW)
    assert u.corrections == {"apel": "appel", "proje": "projet", "asociation": "association"}
    assert u.audience == "association" and u.terms == ["draccar"]


def test_month_already_past_means_next_year(parser):
    later = today_at_noon(date(2026, 11, 26))
    assert understood(parser, "evenements en juin", later)["period"] == "en juin 2027"
    assert understood(parser, "evenements en novembre", later)["period"] == "en novembre 2026"


def test_j_ai_is_not_an_association_intermediaire(parser):
    assert "audience" not in understood(parser, "j'ai une question sur le mobilier")
    assert understood(parser, "appels pour une AI")["audience"] == "ai"


@pytest.mark.parametrize("text,value", [("30k", 30000), ("30 000 €", 30000), ("30000", 30000), ("1,5 M€", 1500000),
                                        ("12 500 euros", 12500), ("beaucoup", None)])
def test_amounts_typed_by_users(text, value):
    assert parse_amount(text) == value


def test_places_typed_by_users():
    assert [resolve_region(x) for x in ["28", "normandie", "Occitanie", "ile de france", "xx"]] == \
        ["28", "28", "76", "11", None]
    assert [resolve_department(x) for x in ["76", "calvados", "Seine-Maritime", "rouen", "2a", "normandie"]] == \
        ["76", "14", "76", "76", "2A", None]
