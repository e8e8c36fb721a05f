"""French dates, amounts and durations as users read them."""
from datetime import date, timedelta

from knowledge import formatting as fmt
from knowledge import texts
from knowledge.status import Status, timing
from knowledge.timeutil import parse_local, today_at_noon

NNBSP, NBSP = "\u202f", "\xa0"


def test_dates_and_times():
    conference = parse_local("2021-06-24T14:30")
    assert fmt.datetime_long(conference) == "jeudi 24 juin 2021 à 14:30"
    assert fmt.date_short(parse_local("2021-07-09", end_of_day=True)) == "9 juillet 2021"


def test_amounts_use_french_spacing():
    assert fmt.amount(20_000) == f"20{NNBSP}000{NBSP}€"
    assert fmt.amount(1_500_000) == f"1{NNBSP}500{NNBSP}000{NBSP}€"
    assert texts.amount_range(20_000, 500_000) == f"de 20{NNBSP}000{NBSP}€ à 500{NNBSP}000{NBSP}€"


def test_durations():
    assert fmt.in_duration(timedelta(days=8)) == "dans 8 jours"
    assert fmt.in_duration(timedelta(days=-3)) == "il y a 3 jours"
    assert fmt.in_duration(timedelta(days=45)) == "dans 6 semaines"


def test_status_phrases_of_a_call(kb):
    draccare = kb.by_key("cress-normandie-2021-draccare")
    july_1 = today_at_noon(date(2021, 7, 1))
    assert texts.status_phrase(draccare, timing(draccare, july_1), july_1) == \
        "clôture dans 8 jours (vendredi 9 juillet 2021 à 23:59)"
    july_9 = today_at_noon(date(2021, 7, 9))
    assert texts.status_phrase(draccare, timing(draccare, july_9), july_9) == \
        "clôture aujourd'hui (vendredi 9 juillet 2021 à 23:59)"
    later = today_at_noon(date(2021, 9, 1))
    assert timing(draccare, later).status is Status.CLOSED
    assert texts.status_phrase(draccare, timing(draccare, later), later) == "clôturé depuis le 9 juillet 2021"


def test_status_phrases_of_events(kb, june_2021):
    conference = kb.by_key("cress-normandie-2021-conference-numerique-innovation-sociale")
    assert texts.status_phrase(conference, timing(conference, june_2021), june_2021) == \
        "le jeudi 24 juin 2021 de 14:30 à 17:00 (dans 23 jours)"
    during = parse_local("2021-06-24T15:00")
    assert timing(conference, during).status is Status.ONGOING
    plein_air = kb.by_key("cress-normandie-2021-manifestations-culturelles-plein-air")
    assert texts.event_dates(plein_air.starts_at, plein_air.ends_at) == "du 16 juillet au 29 août 2021"
    offer = kb.by_key("cress-normandie-2021-reemploi-mobilier-professionnel")
    assert texts.status_phrase(offer, timing(offer, june_2021), june_2021) == "disponible en continu"


def test_an_end_without_a_start_is_not_a_crash():
    from knowledge.models import Opportunity

    opp = Opportunity(key="x", kind="evenement", title="x", ends_at=parse_local("2021-06-30", end_of_day=True))
    assert timing(opp, today_at_noon(date(2021, 6, 1))).status is Status.ONGOING
    assert timing(opp, today_at_noon(date(2021, 7, 1))).status is Status.CLOSED
