"""French text normalisation shared by indexing and questions: folding, elisions, tokens, stop words, stems."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_stemmer = Stemmer.Stemmer("french")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_ELISION = re.compile(r"\b(?:l|d|qu|j|n|s|c|m|t|lorsqu|puisqu|quoiqu)'", re.IGNORECASE)
_JUSQU = re.compile(r"\bjusqu'", re.IGNORECASE)      # kept as a word: "jusqu'au 9 juillet" is a period
_TOKEN = re.compile(r"[a-z0-9]+")

STOPWORDS = frozenset("""
a ai aie as au aux avec avez avoir avons ayant c ca ce ceci cela celle celles celui ces cet cette chez ci comme comment
d dans de des du elle elles en encore est et etc etes etre eu eux il ils j je l la le les leur leurs lui m ma mais me
mes moi mon n ne ni nos notre nous o on ont ou par pas peu peut peux plus pour qu quand que quel quelle quelles quels
qui quoi s sa sans se ses si son sont sous suis sur t ta te tes toi ton tous tout toute toutes tu un une vos votre vous
y svp stp merci bonjour salut hello coucou bonsoir cherche chercher recherche recherches trouver voir montre montrez
montrer donne donner liste lister existe existent il y a t ya quels quoi dispo disponible disponibles actuel
actuellement ouvert ouverts ouverte ouvertes moment aussi alors donc tres bien faut falloir besoin veux voudrais
aimerais souhaite pouvez pourriez possible possibles autre autres chose choses info infos ici la nouveau nouveaux
nouvelle nouvelles structure structures organisation organisations orga on nous notre faire fait
jusqu budget montant somme euros euro venir prevu prevue prevus prevues etait etaient quand dont bientot concerne
concernent interesse interesser qu quoi lequel laquelle lesquels
""".split())


_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower case, no accents, no ligatures: "Événements d’été" → "evenements d'ete"."""
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_LIGATURES))).lower()


def words(text: str) -> list[str]:
    """Folded words with elisions removed ("l'appel" → "appel"), punctuation dropped, stop words kept."""
    return _TOKEN.findall(_ELISION.sub(" ", _JUSQU.sub("jusqu ", fold(text))))


@lru_cache(maxsize=1)
def french_words() -> frozenset[str]:
    """Every word of a French dictionary, folded: words a user spelt right, even if the base never uses them."""
    from spellchecker import SpellChecker

    return frozenset(fold(w) for w in SpellChecker(language="fr").word_frequency.dictionary)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def stems(text: str) -> list[str]:
    """The content stems of a text, in order: what the index stores and the question is matched on."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


_DATE_WORDS = frozenset("""janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
jusqu au avant lundi mardi mercredi jeudi vendredi samedi dimanche""".split())


def title_key(title: str) -> str:
    """Normalised title for spotting one call published twice: folded, stemmed, sorted, without stop words and
    dates ("… jusqu'au 15 octobre" is how one site titles what another does not)."""
    kept = {stem(w) for w in words(title) if w not in STOPWORDS and w not in _DATE_WORDS and not w.isdigit()}
    return " ".join(sorted(kept))[:300]
