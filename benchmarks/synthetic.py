"""Deterministic synthetic knowledge bases of French ESS opportunities, and questions with known answers.

`generate(n, seed)` yields plausible rows (appels à projets, AMI, prix, événements, offres, ressources) whose titles
and summaries are assembled from realistic vocabulary, with the taxonomy codes of knowledge/taxonomy.py; dates fall
in 2025-2027. `write_database(url, rows)` bulk-inserts them with SQLAlchemy Core. `make_questions(rows, n, seed)`
picks target items and writes the few words a user would remember of each title (some with a typo, no accents, a
kind, an organisation type or a department added), keeping only word sets found in at most 3 titles so that each
question has an answer a search can reach; the target's key must be in the top 3.

Nothing here reads the search engine: questions are built from the data alone.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterator

import numpy as np
import sqlalchemy as sa

from knowledge import taxonomy
from knowledge.models import Opportunity
from knowledge.text import STOPWORDS, words
from knowledge.timeutil import PARIS, at_paris

START, END = date(2025, 1, 1), date(2027, 12, 31)
SPAN = (END - START).days

# --- vocabulary -----------------------------------------------------------------------------------------------------

KIND_WEIGHTS = {"aap": 35, "ami": 10, "candidatures": 10, "evenement": 25, "offre": 10, "ressource": 10}
KIND_TITLES = {
    "aap": ["Appel à projets", "AAP", "Appel à projets"],
    "ami": ["Appel à manifestation d'intérêt", "AMI"],
    "candidatures": ["Appel à candidatures", "Prix", "Trophées", "Concours"],
    "evenement": ["Forum", "Journée", "Rencontre", "Webinaire", "Salon", "Conférence", "Atelier", "Festival"],
    "offre": ["Accompagnement", "Dispositif", "Offre", "Programme d'accompagnement", "Service"],
    "ressource": ["Guide", "Dossier", "Étude", "Boîte à outils", "Panorama", "Baromètre"],
}
KIND_QUESTION_WORD = {"aap": ["appel à projets", "aap"], "ami": ["ami", "appel à manifestation d'intérêt"],
                      "candidatures": ["concours", "prix", "appel à candidatures"],
                      "evenement": ["événement", "rdv"], "offre": ["offre", "service"],
                      "ressource": ["guide", "ressource"]}

THEME_PHRASES = {
    "emploi": ["emploi des jeunes", "insertion professionnelle", "retour à l'emploi", "recrutement inclusif",
               "emploi des seniors", "métiers en tension"],
    "jeunesse": ["engagement des jeunes", "jeunesse", "étudiants entrepreneurs", "service civique"],
    "formation": ["formation des bénévoles", "compétences numériques", "apprentissage", "formation des dirigeants"],
    "numerique": ["inclusion numérique", "transformation numérique", "outils numériques", "médiation numérique"],
    "innovation": ["innovation sociale", "expérimentation sociale", "essaimage", "changement d'échelle"],
    "economie_circulaire": ["réemploi", "économie circulaire", "ressourceries", "recyclage des textiles",
                            "lutte contre le gaspillage", "réparation"],
    "transition": ["transition écologique", "rénovation énergétique", "biodiversité", "adaptation au climat",
                   "sobriété énergétique", "énergies renouvelables citoyennes"],
    "culture": ["culture", "spectacle vivant", "pratiques artistiques", "lecture publique", "musiques actuelles",
                "patrimoine"],
    "cooperation": ["coopération territoriale", "PTCE", "tiers-lieux", "mutualisation"],
    "vie_associative": ["vie associative", "bénévolat", "FDVA", "gouvernance associative"],
    "plaidoyer": ["plaidoyer", "politiques publiques", "élections municipales"],
    "visibilite": ["communication", "valorisation de l'ESS", "mois de l'ESS"],
    "solidarite": ["santé", "accès aux soins", "handicap", "lutte contre la précarité", "aide aux aidants",
                   "santé mentale"],
    "alimentation": ["alimentation durable", "circuits courts", "agriculture urbaine", "épiceries solidaires",
                     "projets alimentaires territoriaux"],
    "mobilite": ["mobilité solidaire", "mobilité douce", "covoiturage", "vélo", "garages solidaires"],
}
PUBLICS = ["dans les quartiers prioritaires", "en zone rurale", "pour les femmes entrepreneures", "pour les seniors",
           "pour les personnes réfugiées", "pour les familles monoparentales", "dans les territoires ruraux",
           "pour les personnes en situation de handicap", "pour les jeunes sans diplôme", "en milieu scolaire",
           "pour les petites communes", "auprès des aidants"]
FOUNDATIONS = ["Fondation de France", "Fondation Crédit Coopératif", "Fondation Macif", "Fondation Orange",
               "Fondation Abbé Pierre", "Fondation RTE", "Fondation Daniel et Nina Carasso", "Fondation SNCF",
               "Fondation La France s'engage", "Fondation Caisse d'Épargne", "Fondation AG2R La Mondiale",
               "Fondation Vinci pour la Cité", "Fondation Véolia", "Fondation MAIF"]
NATIONAL_ORGS = ["Banque des Territoires", "ADEME", "France Active", "Avise", "ESS France", "Le Mouvement associatif",
                 "Le Labo de l'ESS", "France Travail", "Agence nationale de la cohésion des territoires",
                 "Ministère de l'Économie", "Caisse des Dépôts", "Bpifrance"]
AUDIENCE_WEIGHTS = {"association": 30, "cooperative": 6, "scop": 5, "scic": 5, "siae": 6, "ei": 3, "aci": 3,
                    "entreprise_esus": 8, "entreprise_ess": 5, "collectivite": 6, "commune": 4, "epci": 3,
                    "fondation": 2, "mutuelle": 3, "entreprise": 3, "cae": 2}
AUDIENCE_PHRASES = {
    "association": ("les associations", "pour une association"), "cooperative": ("les coopératives", "pour une coopérative"),
    "scop": ("les SCOP", "pour une scop"), "scic": ("les SCIC", "pour une scic"),
    "siae": ("les structures d'insertion", "pour une SIAE"), "ei": ("les entreprises d'insertion", "pour une entreprise d'insertion"),
    "aci": ("les chantiers d'insertion", "pour un chantier d'insertion"),
    "entreprise_esus": ("les entreprises agréées ESUS", "pour une entreprise ESUS"),
    "entreprise_ess": ("les entreprises de l'ESS", "pour une entreprise de l'ESS"),
    "collectivite": ("les collectivités", "pour une collectivité"), "commune": ("les communes", "pour une mairie"),
    "epci": ("les intercommunalités", "pour une intercommunalité"), "fondation": ("les fondations", "pour une fondation"),
    "mutuelle": ("les mutuelles", "pour une mutuelle"), "entreprise": ("les TPE et PME", "pour une TPE"),
    "cae": ("les coopératives d'activité et d'emploi", "pour une CAE"),
}
SYLLABLES = ["ca", "ra", "do", "li", "ne", "ter", "vo", "sa", "mi", "lo", "ba", "zen", "tri", "co", "ma", "ri",
             "so", "la", "ké", "vi", "nou", "pa", "té", "gal", "bo", "fa", "lu", "ar", "mo", "dé", "ka", "ly"]
NAME_SUFFIXES = ["", "", "", "", " Solidaire", " Lab", "+", " Ensemble", " Avenir", " Impact"]
DESCRIPTION_SENTENCES = [
    "Les projets devront démontrer leur utilité sociale et leur ancrage territorial.",
    "Une attention particulière sera portée à la coopération entre acteurs du territoire.",
    "L'accompagnement comprend plusieurs jours de formation, un suivi individuel et une mise en réseau.",
    "Le dossier de candidature est à déposer en ligne, accompagné du budget prévisionnel.",
    "Les dépenses éligibles couvrent l'investissement, le fonctionnement et les frais de personnel.",
    "Un comité de sélection réunissant financeurs et réseaux de l'ESS examinera les dossiers.",
    "Les lauréats bénéficient d'une visibilité auprès des partenaires et d'un parrainage.",
    "La démarche s'inscrit dans la stratégie régionale de développement de l'économie sociale et solidaire.",
    "Les structures de moins de deux ans d'existence peuvent être accompagnées en amont du dépôt.",
    "Une réunion d'information en visio est proposée aux porteurs de projets intéressés.",
    "Les projets portés collectivement par plusieurs structures seront privilégiés.",
    "Le programme s'appuie sur l'expérience de structures pionnières et sur une évaluation d'impact.",
]
THEME_SENTENCES = {
    "emploi": "Il s'agit de créer des emplois durables et d'accompagner les personnes éloignées de l'emploi.",
    "jeunesse": "Les jeunes de 16 à 25 ans sont associés à la conception et à la conduite des actions.",
    "formation": "Des parcours de formation qualifiants sont proposés aux salariés comme aux bénévoles.",
    "numerique": "Le numérique est pensé comme un outil au service des personnes accompagnées.",
    "innovation": "Les démarches expérimentales, évaluées et transférables sont encouragées.",
    "economie_circulaire": "Collecte, tri, réparation et revente : la filière du réemploi crée des emplois locaux.",
    "transition": "Les actions réduisent l'empreinte carbone et préservent les ressources naturelles.",
    "culture": "La création artistique et l'accès de tous à la culture sont au cœur du dispositif.",
    "cooperation": "Les acteurs d'un même bassin de vie mutualisent moyens et compétences.",
    "vie_associative": "Le renforcement du bénévolat et de la gouvernance associative est soutenu.",
    "plaidoyer": "Les propositions des acteurs de l'ESS sont portées auprès des élus et des candidats.",
    "visibilite": "La manifestation fait connaître les initiatives de l'ESS au grand public.",
    "solidarite": "Les actions améliorent l'accès aux droits, aux soins et à l'accompagnement social.",
    "alimentation": "Une alimentation saine, locale et accessible à tous est recherchée.",
    "mobilite": "Les solutions de mobilité facilitent l'accès à l'emploi et aux services.",
}
EVENT_HOURS = [(9, 0), (9, 30), (14, 0), (14, 30), (18, 0)]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]

REGION_CODES = [c for c in taxonomy.REGIONS if c not in {"01", "02", "03", "04", "06"}]
DEPTS_BY_REGION: dict[str, list[str]] = {}
for _d in taxonomy.DEPARTMENTS.values():
    DEPTS_BY_REGION.setdefault(_d.region, []).append(_d.code)
TOWNS_BY_DEPT: dict[str, list[str]] = {}
for _town, _dep in taxonomy.TOWNS.items():
    TOWNS_BY_DEPT.setdefault(_dep, []).append(_town.title().replace("Le ", "Le ").replace("Saint Lo", "Saint-Lô"))

KIND_WORDS = frozenset(w for labels in KIND_TITLES.values() for t in labels for w in words(t)) - STOPWORDS

# Words of the generator's own filter vocabulary: a question must hold at least one word outside it.
GENERIC_WORDS = frozenset(
    w for phrases in (KIND_TITLES.values(), KIND_QUESTION_WORD.values()) for p in phrases for t in p for w in words(t)
) | frozenset(w for a, b in AUDIENCE_PHRASES.values() for w in words(a) + words(b)) | frozenset(
    w for r in taxonomy.REGIONS.values() for w in words(r.name.replace("-", " "))) | frozenset(
    w for d in taxonomy.DEPARTMENTS.values() for w in words(d.name.replace("-", " "))) | frozenset(
    w for t in taxonomy.TOWNS for w in words(t)) | frozenset(words(" ".join(MONTHS))) | {
    "2025", "2026", "2027", "edition", "region", "departement", "metropole", "ville", "conseil", "departemental",
    "fondation", "cress", "dreets", "partout", "france", "niveau", "national"}


def _pick_weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _name(rng: random.Random) -> str:
    n = rng.choice((2, 2, 3))
    base = "".join(rng.choice(SYLLABLES) for _ in range(n))
    return base.capitalize() + rng.choice(NAME_SUFFIXES)


def _dept_phrase(code: str) -> str:
    return f"en {taxonomy.DEPARTMENTS[code].name}"


def _paris_dt(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return at_paris(day, time(hour, minute))


@dataclass
class Place:
    territories: list[str]
    phrase: str          # "en Normandie", "en Gironde", "" for national
    organiser: str


def _place(rng: random.Random) -> Place:
    r = rng.random()
    if r < 0.2:
        org = rng.choice(FOUNDATIONS + NATIONAL_ORGS)
        return Place([taxonomy.NATIONAL], rng.choice(["", "", "partout en France", "au niveau national"]), org)
    region = rng.choice(REGION_CODES)
    rname = taxonomy.REGIONS[region].name
    if r < 0.6:
        org = rng.choice([f"Région {rname}", f"CRESS {rname}", f"DREETS {rname}", f"France Active {rname}",
                          rng.choice(FOUNDATIONS)])
        return Place([f"R{region}"], f"en {rname}", org)
    dept = rng.choice(DEPTS_BY_REGION[region])
    dname = taxonomy.DEPARTMENTS[dept].name
    towns = TOWNS_BY_DEPT.get(dept)
    orgs = [f"Département {dname}", f"Conseil départemental {dname}", rng.choice(FOUNDATIONS)]
    if towns:
        orgs += [f"Métropole {towns[0]}", f"Ville de {towns[0]}"]
    phrase = f"à {towns[0]}" if towns and rng.random() < 0.3 else _dept_phrase(dept)
    return Place([f"D{dept}"], phrase, rng.choice(orgs))


def _theme_phrase(rng: random.Random, themes: list[str]) -> str:
    first = rng.choice(THEME_PHRASES[themes[0]])
    if len(themes) > 1 and rng.random() < 0.4:
        return f"{first} et {rng.choice(THEME_PHRASES[themes[1]])}"
    return first


def _money(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f") + " €"


def generate(n: int, seed: int = 2025) -> Iterator[dict]:
    """`n` opportunity rows, as dicts of Opportunity columns (no id); the same rows for the same seed."""
    rng = random.Random(seed)
    epoch = datetime(2025, 1, 1, tzinfo=timezone.utc)
    for i in range(n):
        kind = _pick_weighted(rng, KIND_WEIGHTS)
        themes = rng.sample(list(THEME_PHRASES), rng.choice((1, 1, 2, 2, 3)))
        audiences = sorted({_pick_weighted(rng, AUDIENCE_WEIGHTS) for _ in range(rng.choice((0, 1, 2, 2, 3, 4)))})
        place = _place(rng)
        name = _name(rng) if rng.random() < 0.45 else None
        theme = _theme_phrase(rng, themes)
        public = rng.choice(PUBLICS) if rng.random() < 0.35 else ""
        aud_words = AUDIENCE_PHRASES[audiences[0]][0] if audiences else ""
        label = rng.choice(KIND_TITLES[kind])
        year = rng.choice(("2025", "2026", "2027"))

        opens_at = deadline = starts_at = ends_at = None
        if kind in ("aap", "ami", "candidatures") or (kind == "offre" and rng.random() < 0.3):
            day = START + timedelta(days=rng.randrange(15, SPAN))
            deadline = _paris_dt(day, 23, 59)
            if rng.random() < 0.8:
                opens_at = _paris_dt(day - timedelta(days=rng.randrange(30, 120)))
            year = str(day.year)
        elif kind == "evenement" or (kind == "ressource" and rng.random() < 0.2):
            day = START + timedelta(days=rng.randrange(0, SPAN))
            h, m = rng.choice(EVENT_HOURS)
            starts_at = _paris_dt(day, h, m)
            r = rng.random()
            if r < 0.6:
                ends_at = starts_at + timedelta(hours=rng.choice((2, 3, 4, 8)))
            elif r < 0.75:
                ends_at = _paris_dt(day + timedelta(days=rng.choice((1, 2))), 17, 0)
            year = str(day.year)

        # Title
        if kind in ("aap", "ami", "candidatures"):
            forms = [f"{label} « {name} » : {theme}" if name else f"{label} {theme} {public}".strip(),
                     f"{label} {theme} {('pour ' + aud_words) if aud_words else place.phrase}".strip(),
                     f"{place.organiser} : {label.lower() if label not in ('AAP', 'AMI') else label} {theme} {year}",
                     f"{label} {theme} {place.phrase} {year}".replace("  ", " ")]
        elif kind == "evenement":
            local = starts_at.astimezone(PARIS)
            when = f"{MONTHS[local.month - 1]} {local.year}"
            forms = [f"{label} « {name} » : {theme} {place.phrase}" if name else f"{label} {theme} {place.phrase}",
                     f"{label} {theme} {public} – {when}".replace("  ", " "),
                     f"{label} de l'ESS {place.phrase} : {theme}"]
        elif kind == "offre":
            forms = [f"{label} « {name} » : {theme}" if name else f"{label} {theme} pour {aud_words or 'les porteurs de projets'}",
                     f"{label} {theme} {public} {place.phrase}".replace("  ", " ")]
        else:
            forms = [f"{label} : {theme} {place.phrase}", f"{label} « {name} » sur {theme}" if name
                     else f"{label} {theme} {public}".strip()]
        title = " ".join(rng.choice(forms).split()).strip(" :")
        title = title[0].upper() + title[1:]

        # Summary and description
        verb = rng.choice(["soutient", "finance", "accompagne", "récompense", "réunit", "met en lumière"])
        summary = (f"{place.organiser} {verb} les initiatives de {_theme_phrase(rng, themes)}"
                   f"{' portées par ' + AUDIENCE_PHRASES[rng.choice(audiences)][0] if audiences else ''}"
                   f" {place.phrase}.").replace("  ", " ").replace(" .", ".")
        amount_min = amount_max = amount_basis = amount_total = None
        if kind in ("aap", "ami", "candidatures") and rng.random() < 0.7:
            amount_min = rng.choice((1_000, 2_000, 5_000, 10_000, 20_000, 50_000))
            amount_max = amount_min * rng.choice((2, 5, 10, 20))
            amount_basis = taxonomy.AmountBasis.SPENDING.value
            amount_total = amount_max * rng.choice((5, 10, 20)) if rng.random() < 0.5 else None
            summary += f" Projets de {_money(amount_min)} à {_money(amount_max)}."
        if deadline is not None:
            local = deadline.astimezone(PARIS)
            summary += f" Candidatures jusqu'au {local.day} {MONTHS[local.month - 1]} {local.year}."
        elif starts_at is not None:
            local = starts_at.astimezone(PARIS)
            summary += f" Le {local.day} {MONTHS[local.month - 1]} {local.year}."
        sentences = [THEME_SENTENCES[t] for t in themes] + rng.sample(DESCRIPTION_SENTENCES, rng.choice((1, 2, 3)))
        if public:
            sentences.append(f"Les actions visent en priorité les publics {public.split(' ', 1)[1]}.")
        rng.shuffle(sentences)

        seen = epoch + timedelta(seconds=i)
        yield {
            "key": f"synth-{seed}-{i:06d}",
            "kind": kind,
            "title": title,
            "summary": summary,
            "description": " ".join(sentences),
            "organiser": place.organiser,
            "source_name": "Synthétique",
            "audiences": audiences,
            "territories": place.territories,
            "themes": themes,
            "amount_min": amount_min, "amount_max": amount_max, "amount_basis": amount_basis,
            "amount_total": amount_total, "amount_note": None,
            "requires_esus": False,
            "opens_at": opens_at, "deadline": deadline, "starts_at": starts_at, "ends_at": ends_at,
            "recurrence": taxonomy.Recurrence.ONE_OFF.value,
            "application_url": f"https://example.org/{i}" if deadline else None,
            "registration_url": f"https://example.org/{i}/inscription" if starts_at else None,
            "how_to_apply": None,
            "contacts": [], "links": [],
            "source_url": f"https://example.org/source/{i}",
            "published_at": None,
            "first_seen_at": seen, "last_seen_at": seen,
        }


def write_database(engine: sa.Engine, rows: list[dict], batch: int = 5_000) -> None:
    """Bulk insert with SQLAlchemy Core, in batches, in one transaction."""
    table = Opportunity.__table__
    with engine.begin() as conn:
        for lo in range(0, len(rows), batch):
            conn.execute(sa.insert(table), rows[lo:lo + batch])


# --- questions ------------------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, word: str) -> str:
    """One keyboard slip in a word of 5+ letters: a letter dropped, doubled, swapped or replaced."""
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "double", "swap", "replace"))
    if op == "drop":
        return word[:i] + word[i + 1:]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1:]


VARIANTS = {"plain": 20, "typo": 20, "no_accents": 15, "audience": 15, "place": 15, "kind": 15}


def _today_live(rng: random.Random, row: dict) -> date:
    """A day when the target can be acted on (call open, event to come), as a user would ask."""
    if row["deadline"] is not None:
        d = row["deadline"].astimezone(PARIS).date()
        lo = row["opens_at"].astimezone(PARIS).date() if row["opens_at"] else d - timedelta(days=90)
        lo = max(lo, d - timedelta(days=90))
        return lo + timedelta(days=rng.randrange(0, max(1, (d - lo).days)))
    if row["starts_at"] is not None:
        d = row["starts_at"].astimezone(PARIS).date()
        return d - timedelta(days=rng.randrange(1, 60))
    return START + timedelta(days=rng.randrange(0, SPAN))


def make_questions(rows: list[dict], n: int, seed: int = 7) -> list[dict]:
    """`n` questions {q, today, expect: [key], variant}, each answerable: its words are in at most 3 titles."""
    rng = random.Random(seed)
    title_words = [list(dict.fromkeys(w for w in words(r["title"]) if w not in STOPWORDS and len(w) >= 3))
                   for r in rows]
    postings: dict[str, list[int]] = {}
    for doc, ws in enumerate(title_words):
        for w in ws:
            postings.setdefault(w, []).append(doc)
    post = {w: np.array(d, dtype=np.int32) for w, d in postings.items()}
    variants = list(VARIANTS)
    weights = list(VARIANTS.values())
    out: list[dict] = []
    while len(out) < n:
        doc = rng.randrange(len(rows))
        row, ws = rows[doc], title_words[doc]
        content = [w for w in ws if w not in GENERIC_WORDS and not w.isdigit()]
        if not content:
            continue
        # Users remember a run of the title's meaningful words ("musiques actuelles", a programme's name); when
        # that run names more than 3 titles, rarer words of the same title are swapped in.
        if len(content) == 1:                  # "Forum « X »": the kind word comes along ("forum mois ess")
            kind_words = [w for w in ws if w in KIND_WORDS and w not in content]
            if not kind_words:
                continue
            chosen = content + kind_words[:1]
        else:
            k = min(len(content), rng.choice((2, 3, 3, 4)))
            start = rng.randrange(len(content) - k + 1)
            chosen = content[start:start + k]
        for _ in range(4):
            hits = post[chosen[0]]
            for w in chosen[1:]:
                hits = np.intersect1d(hits, post[w], assume_unique=True)
            if hits.size <= 3:
                break
            spare = sorted((w for w in content if w not in chosen), key=lambda w: post[w].size)
            if not spare:
                break
            if len(chosen) < 4:
                chosen.append(spare[0])
            else:
                common = max(chosen, key=lambda w: post[w].size)
                chosen[chosen.index(common)] = spare[0]
        if hits.size > 3:
            continue
        # Original spelling (accents) of the chosen words, in title order.
        originals = {}
        for token in row["title"].replace("’", "'").replace("'", " ").replace("«", " ").replace("»", " ").split():
            token = token.strip(":;,.–-()").lower()
            key = "".join(words(token))
            if key in chosen and key not in originals:
                originals[key] = token
        phrase = [originals.get(w, w) for w in ws if w in chosen]
        variant = rng.choices(variants, weights=weights)[0]
        if variant == "typo":
            long = [i for i, w in enumerate(phrase) if len(w) >= 5 and fold(w) not in GENERIC_WORDS]
            if not long:
                variant = "plain"
            else:
                i = rng.choice(long)
                phrase[i] = typo(rng, phrase[i])
        text = " ".join(phrase)
        if variant == "no_accents":
            text = fold(text)
        elif variant == "audience":
            codes = [a for a in row["audiences"] if a in AUDIENCE_PHRASES] or ["association"]
            text = f"{text} {AUDIENCE_PHRASES[rng.choice(codes)][1]}"
        elif variant == "place":
            text = f"{text} {_question_place(rng, row['territories'])}"
        elif variant == "kind":
            text = f"{rng.choice(KIND_QUESTION_WORD[row['kind']])} {text}"
        out.append({"q": text, "today": _today_live(rng, row).isoformat(), "expect": [row["key"]],
                    "variant": variant, "title": row["title"]})
    return out


def _question_place(rng: random.Random, territories: list[str]) -> str:
    code = territories[0] if territories else taxonomy.NATIONAL
    if code == taxonomy.NATIONAL:
        dept = rng.choice([d for d in taxonomy.DEPARTMENTS if len(d) == 2])
    elif code.startswith("R"):
        if rng.random() < 0.5:
            return f"en {taxonomy.REGIONS[code[1:]].name}"
        dept = rng.choice(DEPTS_BY_REGION[code[1:]])
    else:
        dept = code[1:]
    if rng.random() < 0.3 and dept.isdigit():
        return f"dans le {dept}"
    return _dept_phrase(dept)
