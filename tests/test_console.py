"""`ess-bot console` fed with scripted input, and `ess-bot run` refusing a bad token in one line."""
import subprocess
import sys

from bot import console
from bot.config import Settings


def script(*lines):
    steps = iter(lines)

    def read(prompt):
        try:
            return next(steps)
        except StopIteration:
            raise EOFError
    return read


async def test_console_chat_runs_the_real_handlers(fresh_kb):
    out: list[str] = []
    await console.chat(Settings(_env_file=None), fresh_kb, read=script(
        "/start", "1", "mobilier pour une asso", "1", "/eligibilite", "scop", "bretagne", "3", "/annuler", "/quitter"),
        output=out.append)
    screen = "\n".join(out)
    assert "bot> Bonjour ! Je repère pour les structures de l'ESS" in screen
    assert "[1] 🔎 Rechercher   [2] ✅ Suis-je éligible ?" in screen
    assert "bot> Écrivez votre question" in screen                      # "1" pressed the first button
    assert "bot> 1. Mobilier professionnel de réemploi par les ressourceries normandes" in screen
    assert "bot> Pour qui : association, entreprise d'insertion (EI)" in screen   # "1" = Détails 1, tags removed
    assert "bot> 3/6 — Quel est le département ?" not in screen
    assert "bot> 3/6 — Quel département ?" in screen
    assert "[3] Ille-et-Vilaine (35)" in screen
    assert "bot> 4/6 — Quels thèmes vous intéressent ?" in screen        # "3" pressed Ille-et-Vilaine
    assert "bot> D'accord, j'arrête là." in screen
    assert out[-1] == "À bientôt !"
    assert "<b>" not in screen


async def test_console_ends_cleanly_at_end_of_input(fresh_kb):
    out: list[str] = []
    await console.chat(Settings(_env_file=None), fresh_kb, read=script(), output=out.append)
    assert out[-1] == "À bientôt !"


def _run(env):
    return subprocess.run([sys.executable, "-m", "bot.cli", "run"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **env})


def test_run_without_token_explains_in_one_line(tmp_path):
    result = _run({"DATABASE_URL": f"sqlite:///{tmp_path}/r.db"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "TELEGRAM_BOT_TOKEN manquant" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_with_malformed_token_or_webhook_without_secret(tmp_path):
    result = _run({"DATABASE_URL": f"sqlite:///{tmp_path}/r.db", "TELEGRAM_BOT_TOKEN": "not a token"})
    assert result.returncode == 2 and "mal formé" in result.stderr
    result = _run({"DATABASE_URL": f"sqlite:///{tmp_path}/r.db", "TELEGRAM_BOT_TOKEN": "123:abc",
                   "WEBHOOK_URL": "https://example.org/hook"})
    assert result.returncode == 2 and "WEBHOOK_SECRET est requis" in result.stderr
