"""The shipped data against its source page (../shared/seeds/): facts traceable, wording our own."""
import re

import pytest
import yaml

from knowledge.db import SEED_FILES
from knowledge.text import words


@pytest.fixture(scope="module")
def page(seed_page) -> str:
    return seed_page


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [item for path in SEED_FILES for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_the_ten_items_of_the_page_are_shipped(items):
    assert len(items) == 10
    assert len({i["key"] for i in items}) == 10


def test_every_contact_comes_from_the_page(items, page):
    folded = " ".join(words(page))
    for item in items:
        for contact in item.get("contacts", []):
            if contact.get("email"):
                assert contact["email"] in page
            if contact.get("phone"):
                assert contact["phone"].replace(" ", ".") in page or contact["phone"] in page
            assert " ".join(words(contact["name"])) in folded


@pytest.mark.parametrize("fact", [
    "20 000€ et 500 000€", "9 juillet 2021", "23 juin minuit", "100 000€ pour 2 ans", "doté de 150 000 euros",
    "jusqu’au 30 septembre", "jusqu’au 10 juin", "du 16 juillet au 29 août", "Jeudi 24 juin 14h30-17h",
    "le 2 juin de 18h à 19h", "12 mai 2021", "Dimanche 20 juin",
])
def test_dates_and_amounts_of_the_curated_data_are_on_the_page(fact, page):
    assert fact in page


def test_no_sentence_is_copied_from_the_page(items, page):
    """Summaries and descriptions are written anew: no run of 8 words is taken from the page (names aside)."""
    source = " ".join(words(page))
    copied = []
    for item in items:
        name = " ".join(words(item.get("organiser") or "")) or "\0"
        mine = " ".join(words(f"{item.get('summary', '')} {item.get('description', '')}")).replace(name, "|").split()
        for i in range(len(mine) - 7):
            run = " ".join(mine[i:i + 8])
            if re.search(rf"\b{re.escape(run)}\b", source):
                copied.append(f"{item['key']}: « {run} »")
    assert not copied, "copied from the page:\n" + "\n".join(copied)
