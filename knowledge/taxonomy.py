"""Fixed vocabularies of the domain: kinds of opportunity, organisation types, themes, territories.

Codes are stable identifiers stored in the database; labels are the French words shown to users.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    AAP = "aap"                  # appel à projets
    AMI = "ami"                  # appel à manifestation d'intérêt
    CANDIDATURES = "candidatures"  # appel à candidatures, prix, trophées
    EVENEMENT = "evenement"
    OFFRE = "offre"
    RESSOURCE = "ressource"      # ressource, dossier, actualité


CALL_KINDS = frozenset({Kind.AAP, Kind.AMI, Kind.CANDIDATURES})

KIND_LABELS = {
    Kind.AAP: "appel à projets",
    Kind.AMI: "appel à manifestation d'intérêt",
    Kind.CANDIDATURES: "appel à candidatures",
    Kind.EVENEMENT: "événement",
    Kind.OFFRE: "offre / service",
    Kind.RESSOURCE: "ressource / actualité",
}


class Recurrence(StrEnum):
    ONE_OFF = "one_off"
    PERMANENT = "permanent"   # rolling, no closing date (or successive waves)
    YEARLY = "yearly"


class AmountBasis(StrEnum):
    """What amount_min/amount_max bound: the project's eligible spending, or the grant itself."""
    SPENDING = "spending"
    GRANT = "grant"


@dataclass(frozen=True)
class Audience:
    code: str
    label: str
    parent: str | None = None


# Organisation types an opportunity can be open to, and a user's profile picks from.
AUDIENCES: dict[str, Audience] = {a.code: a for a in [
    Audience("association", "association"),
    Audience("fondation", "fondation"),
    Audience("fonds_dotation", "fonds de dotation"),
    Audience("mutuelle", "mutuelle"),
    Audience("cooperative", "coopérative"),
    Audience("scop", "SCOP", "cooperative"),
    Audience("scic", "SCIC", "cooperative"),
    Audience("cae", "CAE (coopérative d'activité et d'emploi)", "cooperative"),
    Audience("cooperative_autre", "autre coopérative", "cooperative"),
    Audience("siae", "SIAE (structure d'insertion)"),
    Audience("ei", "entreprise d'insertion (EI)", "siae"),
    Audience("etti", "entreprise de travail temporaire d'insertion (ETTI)", "siae"),
    Audience("aci", "atelier et chantier d'insertion (ACI)", "siae"),
    Audience("ai", "association intermédiaire (AI)", "siae"),
    Audience("eiti", "entreprise d'insertion par le travail indépendant (EITI)", "siae"),
    Audience("entreprise_ess", "entreprise de l'ESS"),
    Audience("entreprise_esus", "entreprise agréée ESUS", "entreprise_ess"),
    Audience("entreprise", "start-up, micro-entreprise, TPE ou PME"),
    Audience("collectivite", "collectivité"),
    Audience("commune", "commune", "collectivite"),
    Audience("epci", "EPCI (intercommunalité, métropole)", "collectivite"),
    Audience("departement", "conseil départemental", "collectivite"),
    Audience("region", "conseil régional", "collectivite"),
    Audience("etablissement_public", "établissement public"),
    Audience("opco", "OPCO"),
    Audience("syndicat_federation", "syndicat ou fédération professionnelle"),
    Audience("pole_competitivite", "pôle de compétitivité"),
    Audience("organisme_consulaire", "organisme consulaire (CCI, CMA, chambre d'agriculture)"),
    Audience("collectif_entreprises", "collectif d'entreprises"),
    Audience("autre", "autre structure"),
]}


def audience_ancestors(code: str) -> list[str]:
    """The code itself, then its parents: an SCOP is a coopérative."""
    chain = []
    while code in AUDIENCES:
        chain.append(code)
        code = AUDIENCES[code].parent
    return chain


def audience_children(code: str) -> list[str]:
    return [a.code for a in AUDIENCES.values() if a.parent == code]


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    keywords: tuple[str, ...]   # words (any spelling) that signal the theme in a question


THEMES: dict[str, Theme] = {t.code: t for t in [
    Theme("emploi", "Emploi et insertion", ("emploi", "insertion", "embauche", "recrutement", "chomage", "metier")),
    Theme("jeunesse", "Jeunesse", ("jeune", "jeunesse", "etudiant", "apprenti", "alternance")),
    Theme("formation", "Formation et compétences", ("formation", "competence", "apprentissage")),
    Theme("numerique", "Numérique", ("numerique", "digital", "teletravail", "visio")),
    Theme("innovation", "Innovation sociale", ("innovation", "innovant", "experimentation")),
    Theme("economie_circulaire", "Économie circulaire et réemploi",
          ("circulaire", "reemploi", "recyclage", "ressourcerie", "dechet", "reutilisation")),
    Theme("transition", "Transition écologique et énergie",
          ("ecologique", "ecologie", "environnement", "energie", "energetique", "climat", "biodiversite")),
    Theme("culture", "Culture et arts",
          ("culture", "culturel", "artistique", "art", "spectacle", "theatre", "musique", "danse", "cirque")),
    Theme("cooperation", "Coopération et territoires (PTCE)", ("ptce", "cooperation", "territoire", "territorial")),
    Theme("vie_associative", "Vie associative et bénévolat", ("benevole", "benevolat", "associatif", "fdva")),
    Theme("plaidoyer", "Politiques publiques et plaidoyer", ("election", "plaidoyer", "politique", "candidat")),
    Theme("visibilite", "Visibilité et communication", ("visibilite", "communication", "promotion")),
    Theme("solidarite", "Santé, social et solidarité", ("sante", "social", "solidarite", "handicap", "precarite")),
    Theme("alimentation", "Alimentation et agriculture", ("alimentation", "agriculture", "alimentaire", "agricole")),
    Theme("mobilite", "Mobilité", ("mobilite", "transport")),
]}


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    aliases: tuple[str, ...] = ()


REGIONS: dict[str, Region] = {r.code: r for r in [
    Region("11", "Île-de-France", ("idf", "ile de france", "region parisienne")),
    Region("24", "Centre-Val de Loire", ("centre val de loire", "cvl")),
    Region("27", "Bourgogne-Franche-Comté", ("bourgogne", "franche comte", "bfc")),
    Region("28", "Normandie", ("normand", "normande", "normands", "normandes")),
    Region("32", "Hauts-de-France", ("hdf", "hauts de france")),
    Region("44", "Grand Est", ("grand est", "alsace", "lorraine", "champagne ardenne")),
    Region("52", "Pays de la Loire", ("pays de la loire", "pdl")),
    Region("53", "Bretagne", ("breton", "bretonne")),
    Region("75", "Nouvelle-Aquitaine", ("nouvelle aquitaine", "aquitaine")),
    Region("76", "Occitanie", ()),
    Region("84", "Auvergne-Rhône-Alpes", ("auvergne rhone alpes", "aura", "auvergne", "rhone alpes")),
    Region("93", "Provence-Alpes-Côte d'Azur", ("paca", "provence", "cote d azur", "region sud")),
    Region("94", "Corse", ()),
    Region("01", "Guadeloupe", ()),
    Region("02", "Martinique", ()),
    Region("03", "Guyane", ()),
    Region("04", "La Réunion", ("reunion",)),
    Region("06", "Mayotte", ()),
]}


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    region: str


_DEPARTMENTS_BY_REGION = {
    "11": "75 Paris|77 Seine-et-Marne|78 Yvelines|91 Essonne|92 Hauts-de-Seine|93 Seine-Saint-Denis|94 Val-de-Marne|"
          "95 Val-d'Oise",
    "24": "18 Cher|28 Eure-et-Loir|36 Indre|37 Indre-et-Loire|41 Loir-et-Cher|45 Loiret",
    "27": "21 Côte-d'Or|25 Doubs|39 Jura|58 Nièvre|70 Haute-Saône|71 Saône-et-Loire|89 Yonne|90 Territoire de Belfort",
    "28": "14 Calvados|27 Eure|50 Manche|61 Orne|76 Seine-Maritime",
    "32": "02 Aisne|59 Nord|60 Oise|62 Pas-de-Calais|80 Somme",
    "44": "08 Ardennes|10 Aube|51 Marne|52 Haute-Marne|54 Meurthe-et-Moselle|55 Meuse|57 Moselle|67 Bas-Rhin|"
          "68 Haut-Rhin|88 Vosges",
    "52": "44 Loire-Atlantique|49 Maine-et-Loire|53 Mayenne|72 Sarthe|85 Vendée",
    "53": "22 Côtes-d'Armor|29 Finistère|35 Ille-et-Vilaine|56 Morbihan",
    "75": "16 Charente|17 Charente-Maritime|19 Corrèze|23 Creuse|24 Dordogne|33 Gironde|40 Landes|47 Lot-et-Garonne|"
          "64 Pyrénées-Atlantiques|79 Deux-Sèvres|86 Vienne|87 Haute-Vienne",
    "76": "09 Ariège|11 Aude|12 Aveyron|30 Gard|31 Haute-Garonne|32 Gers|34 Hérault|46 Lot|48 Lozère|"
          "65 Hautes-Pyrénées|66 Pyrénées-Orientales|81 Tarn|82 Tarn-et-Garonne",
    "84": "01 Ain|03 Allier|07 Ardèche|15 Cantal|26 Drôme|38 Isère|42 Loire|43 Haute-Loire|63 Puy-de-Dôme|69 Rhône|"
          "73 Savoie|74 Haute-Savoie",
    "93": "04 Alpes-de-Haute-Provence|05 Hautes-Alpes|06 Alpes-Maritimes|13 Bouches-du-Rhône|83 Var|84 Vaucluse",
    "94": "2A Corse-du-Sud|2B Haute-Corse",
    "01": "971 Guadeloupe", "02": "972 Martinique", "03": "973 Guyane", "04": "974 La Réunion", "06": "976 Mayotte",
}

DEPARTMENTS: dict[str, Department] = {
    code: Department(code, name, region)
    for region, listing in _DEPARTMENTS_BY_REGION.items()
    for code, name in (item.split(" ", 1) for item in listing.split("|"))
}

# Department names that are also ordinary French words: places only after "dans le", "en", "du"...
AMBIGUOUS_DEPARTMENT_NAMES = frozenset({"cher", "lot", "nord", "var", "ain", "somme", "vienne", "aube", "creuse",
                                        "landes", "manche", "orne", "loire"})

# Towns people name instead of their department.
TOWNS = {
    "rouen": "76", "le havre": "76", "dieppe": "76", "caen": "14", "evreux": "27", "saint lo": "50",
    "cherbourg": "50", "alencon": "61", "lisieux": "14", "paris": "75", "lyon": "69", "marseille": "13",
    "toulouse": "31", "bordeaux": "33", "lille": "59", "nantes": "44", "rennes": "35", "strasbourg": "67",
    "montpellier": "34", "nice": "06", "grenoble": "38", "dijon": "21", "orleans": "45", "tours": "37",
    "metz": "57", "nancy": "54", "brest": "29", "angers": "49", "le mans": "72", "limoges": "87",
    "clermont ferrand": "63", "besancon": "25", "amiens": "80", "poitiers": "86", "perpignan": "66",
}

NATIONAL = "FR"


def territory_label(code: str) -> str:
    if code == NATIONAL:
        return "France entière"
    if code.startswith("R"):
        return REGIONS[code[1:]].name
    if code.startswith("D"):
        dep = DEPARTMENTS[code[1:]]
        return f"{dep.name} ({dep.code})"
    return code


def profile_place(department: str | None, region: str | None) -> str | None:
    """A profile's territory code: its department when known ("D14"), else its region ("R28")."""
    return f"D{department}" if department else f"R{region}" if region else None


def territory_region(code: str) -> str | None:
    """Region code of a territory code ("R28" → "28", "D76" → "28")."""
    if code.startswith("R"):
        return code[1:]
    if code.startswith("D") and code[1:] in DEPARTMENTS:
        return DEPARTMENTS[code[1:]].region
    return None


def territory_covers(offer: str, place: str) -> bool:
    """Does an opportunity's territory `offer` include the place `place`?

    Codes: "FR" national, "R28" a region, "D76" a department (the prefix keeps department 76 apart from region 76).
    """
    if offer == NATIONAL or offer == place:
        return True
    if offer.startswith("R") and place.startswith("D"):
        return territory_region(place) == offer[1:]
    return False
