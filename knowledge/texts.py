"""Every French sentence the product shows, in one place. Logic modules pick and fill these; none write their own."""
from __future__ import annotations

from datetime import datetime, timedelta

from knowledge import formatting as fmt
from knowledge.status import Status, Timing, days_between
from knowledge.taxonomy import CALL_KINDS, KIND_LABELS, Kind

STATUS_LABELS = {
    Status.OPEN: "ouvert",
    Status.ONGOING: "en cours",
    Status.UPCOMING: "à venir",
    Status.AVAILABLE: "disponible",
    Status.CLOSED: "clôturé",
}
STATUS_ICONS = {Status.OPEN: "🟢", Status.ONGOING: "🟢", Status.AVAILABLE: "🟢", Status.UPCOMING: "🟡",
                Status.CLOSED: "🔴"}

# --- status sentences -----------------------------------------------------------------------------------------------


def _midnight(dt: datetime) -> bool:
    return fmt.time_of_day(dt) == "00:00"


def event_dates(starts: datetime, ends: datetime | None) -> str:
    """"le jeudi 24 juin 2021 de 14:30 à 17:00", "du 16 juillet au 29 août 2021", "le dimanche 20 juin 2021"."""
    if ends is None or days_between(starts, ends) == 0:
        if _midnight(starts):
            return f"le {fmt.date_long(starts)}"
        if ends is None or ends == starts:
            return f"le {fmt.datetime_long(starts)}"
        return f"le {fmt.date_long(starts)} de {fmt.time_of_day(starts)} à {fmt.time_of_day(ends)}"
    same_year = fmt.date_short(starts).split()[-1] == fmt.date_short(ends).split()[-1]
    first = " ".join(fmt.date_short(starts).split()[:-1]) if same_year else fmt.date_short(starts)
    return f"du {first} au {fmt.date_short(ends)}"


def _until(when: datetime, now: datetime) -> str:
    days = days_between(now, when)
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    return fmt.in_duration(timedelta(days=days)) if days > 0 else fmt.in_duration(when - now)


def deadline_phrase(deadline: datetime) -> str:
    return f"{fmt.date_long(deadline)} à {fmt.time_of_day(deadline)}"


def status_phrase(opp, t: Timing, now: datetime) -> str:
    """One line saying where the item stands: "clôture dans 8 jours (vendredi 9 juillet 2021 à 23:59)"."""
    prefix = "prochaine édition estimée, à confirmer : " if t.estimated else ""
    if t.deadline is not None:
        if t.status is Status.CLOSED:
            return f"clôturé depuis le {fmt.date_short(t.deadline)}"
        if t.status is Status.UPCOMING:
            return f"{prefix}ouvre le {fmt.date_long(t.opens_at)} ({_until(t.opens_at, now)})"
        when = _until(t.deadline, now)
        close = "clôture aujourd'hui" if when == "aujourd'hui" else \
            "clôture demain" if when == "demain" else f"clôture {when}"
        return f"{prefix}{close} ({deadline_phrase(t.deadline)})"
    if t.starts_at is not None:
        dates = event_dates(t.starts_at, t.ends_at)
        if t.status is Status.CLOSED:
            end = t.ends_at or t.starts_at
            return f"terminé depuis le {fmt.date_short(end)}" if opp.kind == Kind.EVENEMENT else \
                f"date passée ({fmt.date_short(t.starts_at)})"
        if t.status is Status.ONGOING:
            return f"{prefix}en cours, jusqu'au {fmt.date_short(t.ends_at)}" if t.ends_at else f"{prefix}aujourd'hui"
        return f"{prefix}{dates} ({_until(t.starts_at, now)})"
    return "disponible en continu" if opp.kind == Kind.OFFRE else "disponible"


def status_label(opp, t: Timing) -> str:
    if t.status is Status.CLOSED and opp.kind not in CALL_KINDS:
        return "terminé" if opp.kind == Kind.EVENEMENT else "passé"
    return STATUS_LABELS[t.status]


def amount_range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f"de {fmt.amount(lo)} à {fmt.amount(hi)}"
    if lo is not None:
        return f"à partir de {fmt.amount(lo)}"
    return f"jusqu'à {fmt.amount(hi)}"


def amount_line(opp) -> str | None:
    """"dépenses éligibles de 20 000 € à 500 000 €", "enveloppe totale : 150 000 €"."""
    parts = []
    if opp.amount_min is not None or opp.amount_max is not None:
        what = "aide" if opp.amount_basis == "grant" else "dépenses éligibles"
        parts.append(f"{what} {amount_range(opp.amount_min, opp.amount_max)}")
    if opp.amount_total is not None:
        parts.append(f"enveloppe totale : {fmt.amount(opp.amount_total)}")
    if opp.amount_note:
        parts[-1:] = [f"{parts[-1]} ({opp.amount_note})"] if parts else [opp.amount_note]
    return " · ".join(parts) or None


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


# --- why an item matched --------------------------------------------------------------------------------------------

WHY_WORDS = "mots trouvés : {words}"
WHY_KIND = "type demandé : {kind}"
WHY_AUDIENCE = "ouvert aux structures de type « {audience} »"
WHY_AUDIENCE_UNSTATED = "public non précisé par l'annonce : à vérifier"
WHY_TERRITORY = "territoire : {territory}"
WHY_TERRITORY_UNSTATED = "territoire non précisé : à vérifier"
WHY_PERIOD = "dates compatibles avec « {period} »"
WHY_AMOUNT = "montant compatible ({amount})"
WHY_AMOUNT_UNSTATED = "pas de montant indiqué"

NOTE_ANY_YEAR = "Rien en {month} à venir : voici ce qui a eu lieu en {month} les années passées."
PERIOD_ANY_YEAR = "en {month}, les années passées"
NOTE_IGNORED = "Mots ignorés (absents de la base) : {words}."
NOTE_CLOSED_ONLY = "Rien d'ouvert ne correspond pour l'instant : voici des éléments clôturés, pour information."
NOTE_TRUNCATED = "Votre message était très long : seuls les {n} premiers caractères ont été lus."
NOTE_CORRECTED = "J'ai compris : {fixes}."

# --- periods read from questions ---------------------------------------------------------------------------------

MONTH_NAMES = ["", "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"]
PERIOD_LABELS = {
    "month": "en {month} {year}", "year": "en {year}", "day": "le {day}", "before_day": "avant le {day}",
    "until_day": "jusqu'au {day}", "after_day": "à partir du {day}", "before": "avant {named} {year}",
    "until": "jusqu’à {named} {year}", "after": "à partir de {named} {year}", "part": "{named} {year}",
    "this_week": "cette semaine", "next_week": "la semaine prochaine", "today": "aujourd'hui", "tomorrow": "demain",
    "next_days": "dans les {n} prochains jours",
    "printemps": "au printemps", "ete": "cet été", "automne": "cet automne", "hiver": "cet hiver",
    "rentree": "à la rentrée",
}
MONTH_PARTS = {"debut": "début", "mi": "mi", "fin": "fin"}


def day_label(d) -> str:
    """"1er juin 2021", "24 juin 2021"."""
    return f"{'1er' if d.day == 1 else d.day} {MONTH_NAMES[d.month]} {d.year}"


# --- answers ----------------------------------------------------------------------------------------------------------

def plural(n: int, one: str, many: str) -> str:
    """"1 résultat", "3 résultats" (French: 0 and 1 take the singular)."""
    return f"{n} {one if n <= 1 else many}"


ANSWER_HEADER = "{count} pour « {query} »"
ANSWER_MORE = "… et {more} de plus."
EMPTY_QUESTION = ("Posez-moi une question sur les appels à projets, AMI, événements ou offres de l'ESS, par exemple : "
                  "« appels pour une association en Normandie » ou « événements en juin ».")
NO_MATCH = "Je n'ai rien trouvé pour « {query} »."
NO_MATCH_UNDERSTOOD = "J'ai compris : {understood}."
NO_MATCH_TIPS = [
    "essayez moins de mots, ou des mots plus généraux (« emploi », « culture », « numérique ») ;",
    "retirez un filtre (territoire, date, montant) ;",
    "demandez « appels pour une association » ou « événements à venir » pour tout voir.",
]
NO_MATCH_TIPS_TITLE = "Suggestions :"
UNDERSTOOD_LABELS = {
    "kinds": "type : {value}", "audience": "pour : {value}", "territory": "territoire : {value}",
    "period": "période : {value}", "amount": "montant : {value}", "terms": "mots : {value}",
}

CARD_FIELDS = {
    "kind": "Type", "status": "Statut", "organiser": "Organisateur", "audiences": "Pour qui",
    "territories": "Territoire", "amounts": "Montants", "dates": "Dates", "how": "Comment candidater",
    "contacts": "Contacts", "links": "Liens", "source": "Source", "themes": "Thèmes",
}
CARD_AUDIENCE_UNSTATED = "non précisé par l'annonce"
CARD_ORGANISER_UNSTATED = "non précisé par l'annonce"
CARD_TERRITORY_UNSTATED = "non précisé par l'annonce"
CARD_LINK_NO_URL = "{label} (adresse non reprise par la source)"
CARD_OPENS = "ouverture : {date}"
CARD_DEADLINE = "date limite : {date}"
CARD_EVENT = "déroulement : {dates}"
CARD_PUBLISHED = "publié le {date}"


# --- eligibility ------------------------------------------------------------------------------------------------------

VERDICT_LABELS = {"eligible": "✅ éligible", "to_check": "🟡 à vérifier", "not_eligible": "❌ non éligible"}

ELIG_TYPE_UNSTATED = "Type de structure : l'annonce ne précise pas qui peut candidater, à vérifier."
ELIG_TYPE_UNKNOWN = "Type de structure : précisez le vôtre ; ouvert à : {audiences}."
ELIG_TYPE_OK = "Type de structure : ouvert aux structures de type « {audience} »."
ELIG_TYPE_NARROWER = "Type de structure : ouvert seulement à {audiences} ; à vérifier pour votre {type}."
ELIG_TYPE_NO = "Type de structure : réservé à {audiences} ; une structure de type « {type} » n'en fait pas partie."
ELIG_TERRITORY_UNSTATED = "Territoire : non précisé par l'annonce, à vérifier."
ELIG_TERRITORY_NATIONAL = "Territoire : ouvert dans toute la France."
ELIG_TERRITORY_UNKNOWN = "Territoire : précisez votre région ou département ; limité à : {territories}."
ELIG_TERRITORY_OK = "Territoire : {place} fait partie de la zone ({territories})."
ELIG_TERRITORY_PART = "Territoire : limité à {territories} ; à vérifier selon votre département."
ELIG_TERRITORY_NO = "Territoire : limité à {territories}, hors de {place}."
ELIG_AMOUNT_GRANT = "Montant : aide prévue {amount}."
ELIG_AMOUNT_UNKNOWN = "Montant : dépenses éligibles {range} ; indiquez le budget de votre projet pour vérifier."
ELIG_AMOUNT_LOW = ("Montant : votre projet de {budget} est sous le minimum de {min} "
                   "(dépenses éligibles {range}).")
ELIG_AMOUNT_HIGH = ("Montant : votre projet de {budget} dépasse le plafond de {max} "
                    "(dépenses éligibles {range}).")
ELIG_AMOUNT_OK = "Montant : votre projet de {budget} entre dans les dépenses éligibles ({range})."
ELIG_DATES = "Calendrier : {status}."
ELIG_ESUS_UNKNOWN = "Agrément : l'agrément ESUS est exigé ; l'avez-vous ?"
ELIG_ESUS_OK = "Agrément : l'agrément ESUS exigé est bien le vôtre."
ELIG_ESUS_NO = "Agrément : l'agrément ESUS est exigé et votre structure ne l'a pas."
ELIG_HEADER = "Éligibilité de votre structure ({profile}) au {date}"
ELIG_PROFILE_BUDGET = "projet de {budget}"
ELIG_PROFILE_ESUS = "agréée ESUS"

# --- digests and reminders --------------------------------------------------------------------------------------------

DIGEST_TITLE = "📬 Votre récapitulatif du {date}"
DIGEST_SECTIONS = {"new": "🆕 Nouveau pour vous", "closing": "⏳ Clôture dans les 14 jours",
                   "events": "📅 Événements des 14 prochains jours"}
DIGEST_MORE = "… et {n} de plus : tapez /appels ou /evenements pour tout voir."
DIGEST_EMPTY = "📬 Rien de nouveau pour votre profil cette semaine. Bonne semaine !"
DIGEST_FOOTER = "Réglages : /abonnement · Arrêter : /desabonner"
REMINDER = "⏰ Rappel : « {title} »\n{status}."

# --- reports for administrators (sync, digest runs) -----------------------------------------------------------------

SYNC_ERROR = "{source} : ERREUR — {error}"
SYNC_DONE = ("{source} : {created} nouveau(x), {updated} mis à jour, {unchanged} inchangé(s), {merged} fusionné(s) "
             "avec un doublon, {removed} retiré(s) de la source")
SYNC_KEPT = "\n  corrigé à la main, gardé : {field}"
SYNC_INVALID = "\n  ignoré : {item}"
SYNC_NO_SOURCE = "Aucune source à lire."
SOURCE_UNREADABLE = "lecture impossible ({error})"
TICK_REPORT = "{claimed} récapitulatif(s) dus, {reminders} rappel(s) dus — {done}"
TICK_NOTHING = "rien à envoyer"
TICK_OUTCOMES = {"sent": "envoyés", "skipped": "sans objet", "retry": "à réessayer", "failed": "en échec",
                 "blocked": "bot bloqué"}
UNKNOWN_TYPE = "type non précisé"
