"""The `ess-bot` command as a person types it: output, JSON shape, exit codes, no tracebacks."""
import json
import subprocess
import sys

import pytest

from bot import cli
from bot.config import get_settings


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()

    def _run(*argv: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:      # argparse errors
            code = exc.code
        out = capsys.readouterr()
        return code, out.out, out.err

    yield _run
    get_settings.cache_clear()


def test_ask_prints_the_answer_with_reasons(run):
    code, out, _ = run("ask", "quels appels pour une association ?", "--today", "2021-06-01")
    assert code == 0
    assert out.startswith("4 résultats pour « quels appels pour une association ? »")
    assert "1. Appel à projets Draccare" in out
    assert "ouvert aux structures de type « association »" in out
    assert "clôture dans 5 semaines (vendredi 9 juillet 2021 à 23:59)" in out


def test_ask_json_shape(run):
    code, out, _ = run("ask", "evenements en juin", "--today", "2021-05-20", "--json", "--limit", "1")
    data = json.loads(out)
    assert code == 0 and set(data) >= {"query", "understood", "results"}
    assert data["understood"]["kinds"] == ["evenement"]
    assert data["understood"]["period"]["label"] == "en juin 2021"
    [first] = data["results"]
    assert set(first) >= {"id", "title", "kind", "status", "deadline", "starts_at", "ends_at", "url", "score", "why"}
    assert first["starts_at"] == "2021-06-02T16:00:00+00:00" and first["deadline"] is None
    assert first["status"] == "upcoming"


def test_ask_in_2026_labels_closed_items(run):
    code, out, _ = run("ask", "apel a projé draccar", "--today", "2026-11-26")
    assert code == 0
    assert "Rien d'ouvert ne correspond pour l'instant" in out
    assert "🔴 clôturé · clôturé depuis le 9 juillet 2021" in out


def test_ask_without_answer_explains_what_was_understood(run):
    code, out, _ = run("ask", "subvention plongee sous-marine en corse", "--today", "2021-06-01")
    assert code == 0
    assert out.startswith("Je n'ai rien trouvé pour « subvention plongee sous-marine en corse ».")
    assert "territoire : Corse" in out and "Suggestions :" in out


def test_eligibility_json(run):
    code, out, _ = run("eligibility", "--type", "association", "--department", "76", "--budget", "10k",
                       "--today", "2021-06-01", "--json")
    results = {r["title"]: r for r in json.loads(out)["results"]}
    draccare = next(r for t, r in results.items() if "Draccare" in t)
    assert code == 0 and draccare["verdict"] == "not_eligible"
    assert any("sous le minimum de 20\u202f000\xa0€" in reason for reason in draccare["reasons"])


def test_kb_list_show_and_json(run):
    code, out, _ = run("kb", "list", "--json")
    items = json.loads(out)["items"]
    assert code == 0 and len(items) == 10
    draccare = next(i for i in items if i["key"] == "cress-normandie-2021-draccare")
    assert draccare["deadline"] == "2021-07-09T21:59:00+00:00"
    code, out, _ = run("kb", "show", str(draccare["id"]), "--json")
    assert json.loads(out)["amount_min"] == 20000
    code, out, _ = run("kb", "show", str(draccare["id"]))
    assert "Pour qui : association, OPCO, pôle de compétitivité" in out


def test_kb_import_reports_bad_rows(run, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("key,kind,title\ngood,offre,Une offre\nbad,loterie,Mauvais type\n", encoding="utf-8")
    code, out, err = run("kb", "import", str(path))
    assert code == 1
    assert "1 créé(s)" in out and "1 erreur(s)" in out
    assert "ligne 3 : kind : type inconnu « loterie »" in err


@pytest.mark.parametrize("argv,message", [
    (["ask", "x", "--today", "2021-02-30"], "date invalide"),
    (["ask", "x", "--limit", "0"], "entre 1 et 100"),
    (["eligibility", "--type", "martien"], "type inconnu"),
    (["eligibility", "--type", "scop", "--budget", "-5"], "budget invalide"),
    (["eligibility", "--type", "scop", "--department", "atlantide"], "département inconnu"),
    (["eligibility", "--type", "scop", "--region", "11", "--department", "76"], "n'est pas dans la région"),
    (["kb", "show", "999"], "aucun élément n° 999"),
    (["kb", "import", "/nonexistent/file.csv"], "fichier introuvable"),
])
def test_user_mistakes_exit_2_with_one_clear_line(run, argv, message):
    code, out, err = run(*argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_console_script_is_installed_and_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "mobilier", "--today", "2021-06-01"],
                            capture_output=True, text=True, env={"DATABASE_URL": f"sqlite:///{tmp_path}/s.db",
                                                                   "PATH": "/usr/bin:/bin"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Mobilier professionnel de réemploi" in result.stdout


def test_digest_preview_of_a_subscribed_chat(run, tmp_path):
    from knowledge import delivery
    from knowledge.db import open_database
    from knowledge.timeutil import today_at_noon
    from datetime import date
    import os

    run("kb", "list")                                          # creates and seeds the database
    engine = open_database(os.environ["DATABASE_URL"])
    delivery.subscribe(engine, 55, weekday=0, hour=9, kinds=["events"], quiet_when_empty=False,
                       now=today_at_noon(date(2021, 5, 28)))
    code, out, _ = run("digest", "preview", "--chat", "55", "--today", "2021-05-31")
    assert code == 0 and out.startswith("📬 Votre récapitulatif du lundi 31 mai 2021")
    assert "carte collaborative" in out and "Conférence : le numérique" in out
    assert "Draccare" not in out                               # events only
    code, _, err = run("digest", "preview", "--chat", "99")
    assert code == 2 and "n'est pas abonné" in err


def test_sources_commands(run):
    code, out, _ = run("sources", "add", "https://www.cressnormandie.org/feed/", "--territory", "normandie")
    assert code == 0 and "(rss)" in out
    code, out, _ = run("sources", "list")
    assert "https://www.cressnormandie.org/feed/" in out and "jamais" in out
    code, _, err = run("sources", "add", "ftp://nope")
    assert code == 2 and "adresse invalide" in err
    code, out, _ = run("kb", "set", "4", "amount_min", "25000")
    assert code == 0 and "protégé des synchronisations" in out
    code, _, err = run("kb", "set", "4", "amount_min", "-3")
    assert code == 2 and "montant négatif" in err
