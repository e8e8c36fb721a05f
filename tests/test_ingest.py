"""Importing curated files: upsert by key, bad rows reported with line and reason, nothing else lost."""
import json
import textwrap

import pytest

from knowledge.ingest import import_file
from knowledge.timeutil import PARIS

GOOD_CSV = textwrap.dedent("""\
    key,kind,title,summary,audiences,territories,themes,amount_min,amount_max,deadline,contacts
    fdva-calvados-2021,aap,FDVA fonctionnement Calvados,Aide au fonctionnement des petites associations,association,D14,vie_associative,1000,15000,2021-03-01,"[{""name"": ""SDJES 14"", ""email"": ""fdva14@example.org""}]"
    forum-ess-caen,evenement,Forum de l'ESS à Caen,Rencontres entre structures,association;scop|scic,Calvados,,,,,
    """)


def test_csv_import_creates_items_searchable_at_once(fresh_kb, tmp_path, june_2021):
    path = tmp_path / "more.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    report = import_file(fresh_kb.engine, path)
    assert (report.created, report.updated, report.errors) == (2, 0, [])
    fdva = fresh_kb.by_key("fdva-calvados-2021")
    assert fdva.territories == ["D14"] and fdva.amount_max == 15_000
    assert fdva.deadline.astimezone(PARIS).strftime("%Y-%m-%d %H:%M") == "2021-03-01 23:59"
    assert fdva.contacts == [{"name": "SDJES 14", "email": "fdva14@example.org"}]
    assert fresh_kb.by_key("forum-ess-caen").audiences == ["association", "scop", "scic"]
    assert fresh_kb.by_key("forum-ess-caen").territories == ["D14"]
    answer = fresh_kb.ask("forum ess caen", june_2021)
    assert answer.hits[0].opportunity.key == "forum-ess-caen"


def test_reimport_updates_by_key_without_duplicates(fresh_kb, tmp_path):
    path = tmp_path / "more.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    import_file(fresh_kb.engine, path)
    first_seen = fresh_kb.by_key("fdva-calvados-2021").first_seen_at
    path.write_text(GOOD_CSV.replace("15000", "20000"), encoding="utf-8")
    report = import_file(fresh_kb.engine, path)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert fresh_kb.by_key("fdva-calvados-2021").amount_max == 20_000
    assert fresh_kb.by_key("fdva-calvados-2021").first_seen_at == first_seen
    assert len(fresh_kb.all()) == 12


def test_bad_rows_are_reported_with_line_and_reason_and_good_rows_load(fresh_kb, tmp_path):
    path = tmp_path / "mixed.yaml"
    path.write_text(textwrap.dedent("""\
        - key: ok-one
          kind: ami
          title: Un AMI correct
          territories: [Normandie]
        - key: bad-kind
          kind: tombola
          title: Type inconnu
        - key: bad-amounts
          kind: aap
          title: Montants inversés
          amount_min: 50000
          amount_max: 1000
        - key: bad-date
          kind: aap
          title: Date impossible
          deadline: 2021-02-30
        - key: bad-place
          kind: aap
          title: Territoire inconnu
          territories: [Atlantide]
        - just a string
        - key: ok-two
          kind: evenement
          title: Un événement correct
          starts_at: 2021-06-05T10:00
        """), encoding="utf-8")
    report = import_file(fresh_kb.engine, path)
    assert report.created == 2
    reasons = {e.line: e.reason for e in report.errors}
    assert sorted(reasons) == [5, 8, 13, 17, 21]
    assert "tombola" in reasons[5]
    assert "supérieur au maximum" in reasons[8]
    assert "deadline" in reasons[13]
    assert "Atlantide" in reasons[17]
    assert "objet" in reasons[21]
    assert fresh_kb.by_key("ok-one").territories == ["R28"]
    assert fresh_kb.by_key("ok-two") is not None


def test_json_import_and_duplicate_keys_in_one_file(fresh_kb, tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"items": [
        {"key": "dup", "kind": "offre", "title": "Première"},
        {"key": "dup", "kind": "offre", "title": "Seconde"},
    ]}), encoding="utf-8")
    report = import_file(fresh_kb.engine, path)
    assert report.created == 1
    assert [e.line for e in report.errors] == [2] and "déjà utilisée" in report.errors[0].reason
    assert fresh_kb.by_key("dup").title == "Première"


@pytest.mark.parametrize("name,content", [("broken.yaml", "- key: [unclosed"), ("items.txt", "hello"),
                                          ("broken.json", "{not json")])
def test_unreadable_files_raise_a_clear_error(fresh_kb, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError):
        import_file(fresh_kb.engine, path)
    assert len(fresh_kb.all()) == 10
