"""Search benchmark: the engine (KnowledgeBase.ask) against SQLite FTS5 bm25 and rapidfuzz WRatio over titles.

    .venv/bin/python benchmarks/search.py [--sizes 10000,100000] [--queries 300] [--profile]

Data sets: "shipped" (the 10 shipped items, questions of tests/data/questions.yaml) and synthetic bases of the
given sizes (benchmarks/synthetic.py, fixed seed). Each data set is prepared, searched by the engine and searched
by the baselines in three separate child processes (spawn), so that each peak RSS is its own. Databases go to a
temporary folder, removed at the end unless --keep.

Accuracy is top-3: an entry passes when every expected key is among the first 3 answers; a `none: true` entry
passes only when nothing comes back (the baselines always answer something, unless FTS5 matches no word).
Latency is in-process, per question, after the index build and one warm-up question.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

QUESTIONS_FILE = ROOT / "tests" / "data" / "questions.yaml"
TARGET_P95_MS = {10_000: 20.0, 100_000: 100.0}
TOP = 3
WARM_UP = "apel a projé pour une asociation en normandie"


def rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def passes(entry: dict, keys: list[str]) -> bool:
    if entry.get("none"):
        return not keys
    return set(entry["expect"]) <= set(keys[:TOP])


def run_in_child(fn, *args):
    """Run fn(*args) in a fresh spawned interpreter and return its result."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(fn, *args).result()


# --- child: prepare a data set --------------------------------------------------------------------------------------

def prepare(name: str, size: int | None, queries: int, seed: int, workdir: str) -> dict:
    """Create the database and the questions of one data set; return their paths and how long it took."""
    from knowledge.db import open_database

    db = Path(workdir) / f"{name}.db"
    url = f"sqlite:///{db}"
    info: dict = {"name": name, "url": url, "db": str(db)}
    t0 = time.perf_counter()
    if size is None:
        import yaml

        open_database(url)                                    # migrations + the 10 shipped items
        entries = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
        questions = [{"q": e["q"], "today": str(e["today"]), "expect": list(e.get("expect") or []),
                      "none": bool(e.get("none")), "variant": "labelled"} for e in entries]
        info["generate_s"] = 0.0
        info["insert_s"] = time.perf_counter() - t0
    else:
        import synthetic

        engine = open_database(url, seed=False)
        rows = list(synthetic.generate(size, seed))
        questions = synthetic.make_questions(rows, queries, seed + 1)
        t1 = time.perf_counter()
        synthetic.write_database(engine, rows)
        info["generate_s"] = t1 - t0
        info["insert_s"] = time.perf_counter() - t1
        engine.dispose()
    with sqlite3.connect(db) as conn:
        info["items"] = conn.execute("select count(*) from opportunity").fetchone()[0]
    qpath = Path(workdir) / f"{name}.questions.json"
    qpath.write_text(json.dumps(questions, ensure_ascii=False, indent=1), encoding="utf-8")
    info["questions"] = str(qpath)
    info["n_questions"] = len(questions)
    return info


# --- child: the engine ----------------------------------------------------------------------------------------------

def bench_engine(url: str, questions_path: str, profile: bool) -> dict:
    from knowledge.service import KnowledgeBase
    from knowledge.timeutil import today_at_noon

    questions = json.loads(Path(questions_path).read_text(encoding="utf-8"))
    rss_start = rss_mb()
    kb = KnowledgeBase.open(url)
    t0 = time.perf_counter()
    kb.index()
    build = time.perf_counter() - t0
    rss_index = rss_mb()

    def now_of(e):
        return today_at_noon(date.fromisoformat(e["today"]))

    # Warm-up, with a misspelt word so that lazy loads on the spelling-repair path are done too; its latency is
    # reported as the cold first answer.
    t0 = time.perf_counter()
    kb.ask(WARM_UP, now_of(questions[0]), limit=TOP)
    first = (time.perf_counter() - t0) * 1000
    latencies, results = [], []
    for e in questions:
        now = now_of(e)
        t = time.perf_counter()
        answer = kb.ask(e["q"], now, limit=TOP)
        latencies.append((time.perf_counter() - t) * 1000)
        keys = [h.opportunity.key for h in answer.hits]
        results.append({"ok": passes(e, keys), "keys": keys})
    out = {"build_s": build, "first_ms": first, "latencies_ms": latencies, "results": results,
           "rss_start_mb": rss_start, "rss_index_mb": rss_index, "rss_peak_mb": rss_mb()}
    if profile:
        slow = max(range(len(questions)), key=latencies.__getitem__)
        e = questions[slow]
        prof = cProfile.Profile()
        now = now_of(e)
        prof.enable()
        for _ in range(5):
            kb.ask(e["q"], now, limit=TOP)
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("tottime").print_stats(12)
        stats.sort_stats("cumulative").print_stats(20)
        out["profile"] = {"q": e["q"], "today": e["today"], "ms": latencies[slow], "text": buf.getvalue()}
    return out


# --- child: the baselines -------------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def fts_query(question: str) -> str:
    """The question's words of 3+ letters, each quoted, OR-ed."""
    tokens = list(dict.fromkeys(w for w in _WORD.findall(question.lower()) if len(w) > 2))
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in tokens)


def bench_baselines(db: str, questions_path: str, workdir: str, name: str) -> dict:
    from rapidfuzz import fuzz, process

    questions = json.loads(Path(questions_path).read_text(encoding="utf-8"))
    rss_start = rss_mb()

    # (a) FTS5, in its own file so the knowledge base stays as the engine sees it.
    fts_db = Path(workdir) / f"{name}.fts.db"
    fts_db.unlink(missing_ok=True)
    t0 = time.perf_counter()
    conn = sqlite3.connect(fts_db)
    conn.execute("attach database ? as kb", (db,))
    conn.execute("create virtual table fts using fts5(key unindexed, title, summary, description,"
                 " tokenize = 'unicode61 remove_diacritics 2')")
    conn.execute("insert into fts(rowid, key, title, summary, description)"
                 " select id, key, title, summary, description from kb.opportunity")
    conn.commit()
    fts_build = time.perf_counter() - t0
    sql = "select key from fts where fts match ? order by bm25(fts) limit ?"

    def fts_search(q: str) -> list[str]:
        match = fts_query(q)
        return [r[0] for r in conn.execute(sql, (match, TOP))] if match else []

    # (b) rapidfuzz WRatio over the titles, as given (no preprocessing).
    rows = conn.execute("select key, title from kb.opportunity order by id").fetchall()
    keys = [r[0] for r in rows]
    titles = [r[1] for r in rows]

    def wratio_search(q: str) -> list[str]:
        return [keys[i] for _, _, i in process.extract(q, titles, scorer=fuzz.WRatio, limit=TOP)]

    out = {"fts_build_s": fts_build}
    for label, search in (("fts", fts_search), ("wratio", wratio_search)):
        search(questions[0]["q"])                                        # warm-up
        latencies, results = [], []
        for e in questions:
            t = time.perf_counter()
            found = search(e["q"])
            latencies.append((time.perf_counter() - t) * 1000)
            results.append({"ok": passes(e, found), "keys": found})
        out[label] = {"latencies_ms": latencies, "results": results}
    conn.close()
    out["rss_start_mb"], out["rss_peak_mb"] = rss_start, rss_mb()
    return out


# --- parent ---------------------------------------------------------------------------------------------------------

def accuracy(results: list[dict]) -> float:
    return sum(r["ok"] for r in results) / len(results) if results else float("nan")


def fmt_pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def fmt_ms(x: float) -> str:
    return f"{x:.1f}" if x < 100 else f"{x:.0f}"


def fmt_s(x: float) -> str:
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s"


def source_state() -> str:
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no", "--", "knowledge"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"{head}{' + uncommitted changes in knowledge/' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def wait_for_questions(timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not QUESTIONS_FILE.exists():
        if time.monotonic() > deadline:
            sys.exit(f"{QUESTIONS_FILE} is missing (use --no-shipped to skip the shipped data set)")
        print(f"waiting for {QUESTIONS_FILE.relative_to(ROOT)} ...", file=sys.stderr)
        time.sleep(30)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000", help="synthetic sizes, comma-separated (default %(default)s)")
    ap.add_argument("--queries", type=int, default=300, help="questions per synthetic set (default %(default)s)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--no-shipped", action="store_true", help="skip the shipped data set")
    ap.add_argument("--profile", action="store_true", help="cProfile the slowest engine question of each set")
    ap.add_argument("--failures", type=int, default=0, help="list up to N engine misses per data set")
    ap.add_argument("--workdir", help="where the databases go (default: a new temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the databases")
    args = ap.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    started = time.perf_counter()
    workdir = args.workdir or tempfile.mkdtemp(prefix="ess-bench-")
    Path(workdir).mkdir(parents=True, exist_ok=True)
    sets: list[tuple[str, int | None]] = ([] if args.no_shipped else [("shipped", None)]) + \
        [(f"synthetic-{n // 1000}k" if n % 1000 == 0 else f"synthetic-{n}", n) for n in sizes]
    if not args.no_shipped:
        wait_for_questions(600)
    rows = []
    try:
        for name, size in sets:
            print(f"[{time.perf_counter() - started:6.1f} s] {name}: preparing", file=sys.stderr)
            info = run_in_child(prepare, name, size, args.queries, args.seed, workdir)
            info["qs"] = json.loads(Path(info["questions"]).read_text(encoding="utf-8"))
            print(f"[{time.perf_counter() - started:6.1f} s] {name}: engine", file=sys.stderr)
            eng = run_in_child(bench_engine, info["url"], info["questions"], args.profile)
            print(f"[{time.perf_counter() - started:6.1f} s] {name}: baselines", file=sys.stderr)
            base = run_in_child(bench_baselines, info["db"], info["questions"], workdir, name)
            rows.append((name, size, info, eng, base))
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    wall = time.perf_counter() - started
    print(report(rows, args, wall))
    return 0


def report(rows, args, wall: float) -> str:
    out = io.StringIO()
    w = out.write
    w(f"## Search benchmark — engine vs SQLite FTS5 (bm25) vs rapidfuzz WRatio\n\n")
    w(f"Source: {source_state()} · Python {sys.version.split()[0]} · SQLite {sqlite3.sqlite_version} · "
      f"{os.cpu_count()} CPU · seed {args.seed} · wall time {wall:.0f} s\n\n")
    w("| data set | items | questions | index build | 1st ask | p50 ms | p95 ms | max ms | p95 target | top-3 engine "
      "| top-3 FTS5 | top-3 WRatio | engine peak RSS |\n")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|\n")
    for name, size, info, eng, base in rows:
        lat = eng["latencies_ms"]
        p95 = percentile(lat, 0.95)
        target = TARGET_P95_MS.get(size)
        target_cell = "—" if target is None else f"≤ {target:.0f} ms {'✅' if p95 <= target else '❌'}"
        a_eng, a_fts, a_wr = (accuracy(eng["results"]), accuracy(base["fts"]["results"]),
                              accuracy(base["wratio"]["results"]))
        beat = "✅" if a_eng > max(a_fts, a_wr) else "❌"
        w(f"| {name} | {info['items']:,} | {info['n_questions']} | {fmt_s(eng['build_s'])} | {fmt_ms(eng['first_ms'])} ms | {fmt_ms(percentile(lat, .5))} "
          f"| {fmt_ms(p95)} | {fmt_ms(max(lat))} | {target_cell} | **{fmt_pct(a_eng)}** {beat} | {fmt_pct(a_fts)} "
          f"| {fmt_pct(a_wr)} | {eng['rss_peak_mb']:.0f} MB (+{eng['rss_peak_mb'] - eng['rss_start_mb']:.0f}) |\n")
    w("\n1st ask: the warm-up question, answered right after the index build (lazy loads included). "
      "Targets: p95 ≤ 20 ms at 10 000 items, ≤ 100 ms at 100 000; top-3 accuracy above both baselines (✅). "
      "Engine peak RSS: whole child process (+ what opening the base, the index and the questions added).\n\n")

    w("Baselines and preparation:\n\n")
    w("| data set | FTS5 build | FTS5 p50 / p95 ms | WRatio p50 / p95 ms | baselines peak RSS | generate | insert |\n")
    w("|---|---:|---:|---:|---:|---:|---:|\n")
    for name, size, info, eng, base in rows:
        f, r = base["fts"]["latencies_ms"], base["wratio"]["latencies_ms"]
        w(f"| {name} | {fmt_s(base['fts_build_s'])} | {fmt_ms(percentile(f, .5))} / {fmt_ms(percentile(f, .95))} "
          f"| {fmt_ms(percentile(r, .5))} / {fmt_ms(percentile(r, .95))} | {base['rss_peak_mb']:.0f} MB "
          f"| {fmt_s(info['generate_s'])} | {fmt_s(info['insert_s'])} |\n")

    w("\nTop-3 accuracy by kind of question (engine / FTS5 / WRatio):\n\n")
    variants: list[str] = []
    per: dict[tuple[str, str], list[tuple[bool, bool, bool]]] = {}
    qs_by_set = {}
    for name, size, info, eng, base in rows:
        qs = info["qs"]
        qs_by_set[name] = qs
        for i, (e, f, r) in enumerate(zip(eng["results"], base["fts"]["results"], base["wratio"]["results"])):
            v = "none: true" if qs and qs[i].get("none") else (qs[i].get("variant", "?") if qs else "all")
            if v not in variants:
                variants.append(v)
            per.setdefault((name, v), []).append((e["ok"], f["ok"], r["ok"]))
    names = [r[0] for r in rows]
    w("| kind of question | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names) + "\n")
    for v in variants:
        cells = []
        for n in names:
            got = per.get((n, v))
            if not got:
                cells.append("")
                continue
            k = len(got)
            cells.append(" / ".join(f"{100 * sum(g[j] for g in got) / k:.0f}" for j in range(3)) + f" (n={k})")
        w(f"| {v} | " + " | ".join(cells) + " |\n")

    for name, size, info, eng, base in rows:
        qs = qs_by_set.get(name)
        if args.failures and qs:
            misses = [(q, e) for q, e in zip(qs, eng["results"]) if not e["ok"]][:args.failures]
            if misses:
                w(f"\nEngine misses, {name} (first {len(misses)}):\n\n")
                for q, e in misses:
                    expect = "nothing" if q.get("none") else ", ".join(q["expect"])
                    w(f"- [{q['today']}] `{q['q']}` ({q.get('variant')}) expected {expect}; got "
                      f"{', '.join(e['keys']) or 'nothing'}" + (f" — target: {q['title']}" if q.get("title") else "")
                      + "\n")
        if "profile" in eng:
            p = eng["profile"]
            w(f"\nProfile, {name}: slowest question `{p['q']}` ({p['today']}, {p['ms']:.1f} ms), 5 runs:\n\n```\n")
            w(_trim_profile(p["text"]) + "```\n")
    return out.getvalue()


def _trim_profile(text: str) -> str:
    lines = [ln.rstrip() for ln in text.splitlines()]
    keep = [ln for ln in lines if ln and not ln.startswith(("   Ordered by", "   List reduced"))]
    return "\n".join(ln.replace(str(ROOT) + "/", "") for ln in keep) + "\n"


if __name__ == "__main__":
    sys.exit(main())
