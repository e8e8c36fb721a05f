"""Search quality: top-3 accuracy over a labelled set of realistic French questions (tests/data/questions.yaml).

The set was written from the shipped data, independently of the engine. Run with `-s` to see the report.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from knowledge.timeutil import today_at_noon

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "questions.yaml").read_text(encoding="utf-8"))
MIN_QUESTIONS = 60
MIN_ACCURACY = 0.95


def _check(kb, entry: dict) -> tuple[bool, list[str]]:
    """Ask one question; it passes when every expected key is in the top 3 (or nothing comes back for `none`)."""
    day = entry["today"] if isinstance(entry["today"], date) else date.fromisoformat(str(entry["today"]))
    answer = kb.ask(entry["q"], today_at_noon(day), limit=3)
    keys = [h.opportunity.key for h in answer.hits]
    if entry.get("none"):
        return not keys, keys
    return set(entry["expect"]) <= set(keys), keys


def test_the_set_is_big_enough_and_well_formed():
    assert len(QUESTIONS) >= MIN_QUESTIONS
    for entry in QUESTIONS:
        assert entry.get("q") and entry.get("today"), entry
        assert entry.get("none") or 1 <= len(entry.get("expect") or []) <= 3, entry


def test_top3_accuracy(kb):
    failures = []
    for i, entry in enumerate(QUESTIONS, 1):
        ok, keys = _check(kb, entry)
        if not ok:
            expected = "nothing" if entry.get("none") else ", ".join(entry["expect"])
            failures.append(f"#{i:03d} [{entry['today']}] {entry['q']!r}\n"
                            f"      expected: {expected}\n      got:      {', '.join(keys) or 'nothing'}")
    accuracy = 1 - len(failures) / len(QUESTIONS)
    report = f"top-3 accuracy {accuracy:.1%} ({len(QUESTIONS) - len(failures)}/{len(QUESTIONS)})"
    print("\n" + report + "".join("\n" + f for f in failures))
    assert accuracy >= MIN_ACCURACY, report + "; failing questions:\n" + "\n".join(failures)
