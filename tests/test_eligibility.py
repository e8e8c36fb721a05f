"""Verdicts and French reasons for several organisation profiles."""
from datetime import date

import pytest

from knowledge.eligibility import Verdict, assess
from knowledge.models import Organisation
from knowledge.timeutil import today_at_noon

DRACCARE = "cress-normandie-2021-draccare"
MOBILIER = "cress-normandie-2021-reemploi-mobilier-professionnel"
PLEIN_AIR = "cress-normandie-2021-manifestations-culturelles-plein-air"
MOIS_ESS = "cress-normandie-2021-mois-ess"
AMI_PTCE = "cress-normandie-2021-ami-ptce-emergents"


def verdict(kb, key, org, now):
    result = assess(kb.by_key(key), org, now)
    return result.verdict, result.reasons


def test_small_association_budget_is_below_draccare_minimum(kb, june_2021):
    org = Organisation(org_type="association", region="28", department="76", budget=10_000)
    v, reasons = verdict(kb, DRACCARE, org, june_2021)
    assert v is Verdict.NOT_ELIGIBLE
    assert "Montant : votre projet de 10\u202f000\xa0€ est sous le minimum de 20\u202f000\xa0€" in reasons[2]
    assert reasons[0] == "Type de structure : ouvert aux structures de type « association »."
    assert reasons[1] == "Territoire : Seine-Maritime (76) fait partie de la zone (Normandie)."


def test_association_with_a_fitting_budget_is_eligible_to_draccare_until_the_deadline(kb, june_2021):
    org = Organisation(org_type="association", region="28", department="14", budget=80_000)
    v, reasons = verdict(kb, DRACCARE, org, june_2021)
    assert v is Verdict.ELIGIBLE
    assert reasons[-1] == "Calendrier : clôture dans 5 semaines (vendredi 9 juillet 2021 à 23:59)."
    v, reasons = verdict(kb, DRACCARE, org, today_at_noon(date(2021, 7, 10)))
    assert v is Verdict.NOT_ELIGIBLE and reasons[-1] == "Calendrier : clôturé depuis le 9 juillet 2021."


def test_scop_is_not_in_draccare_audiences(kb, june_2021):
    org = Organisation(org_type="scop", region="28", budget=50_000)
    v, reasons = verdict(kb, DRACCARE, org, june_2021)
    assert v is Verdict.NOT_ELIGIBLE
    assert reasons[0].startswith("Type de structure : réservé à association, OPCO")
    assert "« SCOP » n'en fait pas partie" in reasons[0]


def test_commune_is_a_collectivite_and_occitanie_is_outside_normandy(kb, june_2021):
    org = Organisation(org_type="commune", region="76", budget=50_000)   # region 76 = Occitanie
    v, reasons = verdict(kb, DRACCARE, org, june_2021)
    assert v is Verdict.NOT_ELIGIBLE
    assert reasons[0] == "Type de structure : ouvert aux structures de type « collectivité »."
    assert reasons[1] == "Territoire : limité à Normandie, hors de Occitanie."


def test_department_76_is_seine_maritime_for_the_rouen_call(kb, june_2021):
    rouen = Organisation(org_type="association", region="28", department="76")
    caen = Organisation(org_type="association", region="28", department="14")
    normandy = Organisation(org_type="association", region="28")
    assert verdict(kb, PLEIN_AIR, rouen, june_2021)[0] is Verdict.TO_CHECK      # audience not stated
    assert verdict(kb, PLEIN_AIR, caen, june_2021)[0] is Verdict.NOT_ELIGIBLE
    v, reasons = verdict(kb, PLEIN_AIR, normandy, june_2021)
    assert v is Verdict.TO_CHECK and reasons[1] == (
        "Territoire : limité à Seine-Maritime (76) ; à vérifier selon votre département.")


def test_esus_company_reaches_the_furniture_offer_through_its_agreement(kb, today_2026):
    org = Organisation(org_type="entreprise_ess", region="28", esus=True)
    v, reasons = verdict(kb, MOBILIER, org, today_2026)
    assert v is Verdict.ELIGIBLE
    assert reasons[0] == "Type de structure : ouvert aux structures de type « entreprise agréée ESUS »."
    assert reasons[-1] == "Calendrier : disponible en continu."
    without = Organisation(org_type="entreprise_ess", region="28", esus=False)
    assert verdict(kb, MOBILIER, without, today_2026)[0] is Verdict.NOT_ELIGIBLE


def test_siae_without_its_kind_must_check_an_offer_for_entreprises_d_insertion(kb, today_2026):
    org = Organisation(org_type="siae", region="28")
    v, reasons = verdict(kb, MOBILIER, org, today_2026)
    assert v is Verdict.TO_CHECK
    assert "ouvert seulement à entreprise d'insertion (EI)" in reasons[0]


def test_yearly_mois_de_l_ess_is_projected_and_to_check(kb, today_2026):
    org = Organisation(org_type="scic", region="28", department="50")
    v, reasons = verdict(kb, MOIS_ESS, org, today_2026)
    assert v is Verdict.TO_CHECK
    assert reasons[0] == "Type de structure : ouvert aux structures de type « coopérative »."
    assert reasons[-1] == "Calendrier : prochaine édition estimée, à confirmer : en cours, jusqu'au 30 novembre 2026."


def test_grant_amount_is_information_not_a_budget_bound(kb, june_2021):
    org = Organisation(org_type="association", region="53", budget=5_000)
    v, reasons = verdict(kb, AMI_PTCE, org, june_2021)
    assert v is Verdict.TO_CHECK      # audience not stated by the call
    assert reasons[1] == "Territoire : ouvert dans toute la France."
    assert reasons[2] == ("Montant : aide prévue jusqu'à 100\u202f000\xa0€ (sur 2 ans, par territoire retenu en "
                          "phase 2 ; aide complémentaire possible la 3e année).")


def test_unknown_profile_fields_ask_to_check(kb, june_2021):
    v, reasons = verdict(kb, DRACCARE, Organisation(), june_2021)
    assert v is Verdict.TO_CHECK
    assert reasons[0].startswith("Type de structure : précisez le vôtre")
    assert reasons[1] == "Territoire : précisez votre région ou département ; limité à : Normandie."
    assert reasons[2].startswith("Montant : dépenses éligibles de 20\u202f000\xa0€ à 500\u202f000\xa0€ ; indiquez")


@pytest.mark.parametrize("budget,expected", [(19_999, Verdict.NOT_ELIGIBLE), (20_000, Verdict.ELIGIBLE),
                                             (500_000, Verdict.ELIGIBLE), (500_001, Verdict.NOT_ELIGIBLE)])
def test_draccare_spending_bounds_are_inclusive(kb, june_2021, budget, expected):
    org = Organisation(org_type="opco", region="28", budget=budget)
    assert verdict(kb, DRACCARE, org, june_2021)[0] is expected


def test_all_verdicts_sorted_eligible_first(kb, june_2021):
    org = Organisation(org_type="association", region="28", department="76", budget=10_000)
    results = kb.eligibility(org, june_2021)
    order = [r.verdict for r in results]
    assert order == sorted(order, key=[Verdict.ELIGIBLE, Verdict.TO_CHECK, Verdict.NOT_ELIGIBLE].index)
    assert results[0].opportunity.key == MOBILIER
