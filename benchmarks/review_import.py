"""Time of reading a reviewed file back (`aap relire`, issue 16) on a large dossier, and what the
review export's marking costs.

    python benchmarks/review_import.py [--runs N]

The dossier: the shipped IDF example with its team grown to 30 members and its budget to 300
lines (the example's items repeated, each numbered; the amounts stay valid, the checks may
complain). Its review version is exported through `export_dossier(..., store=store)` (marked, its
comparison base recorded in a version), then edited as reviewers do with tests/reviewing.py: 10
tracked changes (six long texts, four table cells: two roles, a label, an amount) and 5 comments.

Prints the median and quartiles over N runs (7 by default, after one warm-up run each) of:

- `read_reviews(store, dossier, [file])`: the import's reading of the .docx and its comparison
  with the export's base, in this process;
- `aap relire NOM FILE --tout-accepter`: the whole command in a new process (interpreter, imports,
  reading, applying, saving, the version recorded, the checks), the dossier and its versions put
  back as they were before each run so that every run applies the same 10 changes;
- `export_dossier` of the review version with the marking (bookmarks, export id, the base read
  back from the written file and recorded as a version) and without it (no `store=`), the two
  interleaved, the versions folder emptied before each run so that each marked one records its
  version, as the first export of a state does.

Target: the import under 1 s (the in-process reading and the whole command are both shown
against it).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import reviewing as rv  # from tests/ (path set above)
from builders import IDF, example_answers
from startup import aap_command, environment, quartiles  # this script's folder is on the path

from assistant import loading, versions
from assistant.answers import apply_answers, parse_answers
from assistant.dossier import Dossier
from assistant.export import export_dossier
from assistant.review.importing import read_reviews
from assistant.store import Store

NAME = "grand"
MEMBERS, LINES = 30, 300
TARGET_MS = 1000.0
CHECKED_ON = date(2022, 10, 20)
NARROW, NBSP = "\u202f", "\u00a0"

# (function, text found, replacement or comment): edits on the example's own words, each in a
# place that exists once (or whose first occurrence is the one meant) in the exported document.
TRACKED = [
    ("methode_travail", "comité de pilotage mensuel", "comité de pilotage bimensuel"),
    ("parcours_patient", "Notre parcours reprend la trame", "Notre parcours suit la trame"),
    ("information_patient", "écrits en phrases courtes", "écrits en phrases simples"),
    ("evaluation", "analysent les résultats", "analysent et publient les résultats"),
    ("perennisation", "le budget du pôle imagerie", "le budget de l’établissement"),
    ("contexte", "Faute de circuit dédié", "Faute d’un circuit dédié"),
    ("equipe, a role", "valide les chemins cliniques", "valide et met à jour les chemins cliniques"),
    ("equipe, a role", "forme ses collègues MERM", "forme tous les MERM"),
    ("depenses, a label", "Deux fauteuils de repos", "Trois fauteuils de repos"),
    ("depenses, an amount", f"18{NARROW}000,00{NBSP}€", f"19{NARROW}000,00{NBSP}€"),
]
COMMENTS = [
    ("Taux de réponse visé", "Objectif réaliste ?"),
    ("Groupes de travail", "Combien de réunions ?"),
    ("Tient la consultation pré-intervention", "À préciser avec la DRH"),
    ("Conception et impression des passeports", "Devis joint ?"),
    ("Bilan à 6 mois", "Date à confirmer avec la direction"),
]


def large_example() -> dict[str, Any]:
    """The example with its team and budget repeated up to MEMBERS and LINES items, numbered."""
    answers: dict[str, Any] = example_answers()
    team, lines = answers["equipe"], answers["depenses"]
    answers["equipe"] = [dict(team[n % len(team)], nom=f"{team[n % len(team)]['nom']} ({n // len(team) + 1})")
                         for n in range(MEMBERS)]
    answers["depenses"] = [dict(lines[n % len(lines)], libelle=f"{lines[n % len(lines)]['libelle']}, lot {n // len(lines) + 1}")
                           for n in range(LINES)]
    return answers


def make_dossier(store: Store) -> None:
    appel = loading.find_appel(IDF)
    with store.session(NAME) as session:
        dossier = session.create(appel)
        apply_answers(dossier, parse_answers(appel, large_example()))
        session.save(dossier)


def reviewed_copy(exported: Path, work: Path) -> Path:
    """10 tracked changes and 5 comments, by two reviewers, chained into one file."""
    current = exported
    for number, (_where, old, new) in enumerate(TRACKED):
        author = "Dr Martin" if number % 2 else "Mme Durand"
        current = rv.track_replace(current, work / f"step-t{number}.docx", old, new, author=author)
    for number, (anchor, text) in enumerate(COMMENTS):
        current = rv.comment(current, work / f"step-c{number}.docx", anchor, text, author="M. Finance")
    final = work / "relu.docx"
    shutil.copyfile(current, final)
    return final


def timed(action: Callable[[], object], runs: int, before: Callable[[], object] = lambda: None) -> list[float]:
    before()
    action()  # warm-up: disk cache, imports, byte-code
    timings = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def export_pair(store: Store, dossier: Dossier, work: Path, runs: int) -> tuple[list[float], list[float]]:
    """The review export marked and not marked, interleaved (as startup.py does), so that a change
    of the machine's load weighs on both alike; the versions folder emptied before each marked
    run, so that each records its version as the first export of a state does."""
    history = versions.folder(store, NAME)

    def marked() -> None:
        export_dossier(dossier, "relecture", work / "marque.docx", overwrite=True, force=False,
                       checked_on=CHECKED_ON, store=store)

    def unmarked() -> None:
        export_dossier(dossier, "relecture", work / "sans-marque.docx", overwrite=True, force=False,
                       checked_on=CHECKED_ON)

    timings: tuple[list[float], list[float]] = ([], [])
    for run in range(runs + 1):  # the first run is a warm-up
        for action, kept in ((marked, timings[0]), (unmarked, timings[1])):
            shutil.rmtree(history, ignore_errors=True)
            start = time.perf_counter()
            action()
            if run:
                kept.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per measure (default 7)")
    runs = parser.parse_args().runs

    import compileall

    compileall.compile_dir(str(ROOT / "assistant"), quiet=1)  # as an installed aap is (see startup.py)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        home, folder = work / "home", work / "dossiers"
        home.mkdir()
        store = Store(folder, loading.find_appel)
        make_dossier(store)
        dossier = store.load(NAME)
        exported = work / "relecture.docx"
        export_dossier(dossier, "relecture", exported, overwrite=True, force=False, checked_on=CHECKED_ON, store=store)
        reviewed = reviewed_copy(exported, work)

        reading = read_reviews(store, dossier, [reviewed])
        remarks = len(reading.notes) + sum(len(p.remarks) for p in reading.proposals) + len(reading.elsewhere)
        size = reviewed.stat().st_size // 1024

        import_ms = timed(lambda: read_reviews(store, dossier, [reviewed]), runs)

        # The whole command: the dossier and its versions put back before each run.
        snapshot = work / "snapshot"
        shutil.copytree(folder, snapshot)

        def restore() -> None:
            shutil.rmtree(folder)
            shutil.copytree(snapshot, folder)

        env = environment(home)
        command = [*aap_command(), "--dossiers", str(folder), "relire", NAME, str(reviewed), "--tout-accepter"]
        codes: list[int] = []

        def whole_command() -> None:
            done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
            if done.returncode not in (0, 1):  # 1: some proposals left for the author; still a full run
                raise SystemExit(f"aap relire failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
            codes.append(done.returncode)

        command_ms = timed(whole_command, runs, restore)
        restore()
        # For reference: a command that loads the same dossier and runs its checks, without any review.
        check_command = [*aap_command(), "--dossiers", str(folder), "verifier", NAME, "--date", CHECKED_ON.isoformat()]
        check_ms = timed(lambda: subprocess.run(check_command, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                                check=False), runs)

        marked_ms, unmarked_ms = export_pair(store, dossier, work, runs)

    print(f"python {sys.version.split()[0]}, {runs} runs per measure after one warm-up (median, q1–q3)")
    print(f"dossier: {MEMBERS} team members, {LINES} budget lines; reviewed file {size} KiB with "
          f"{len(TRACKED)} tracked changes and {len(COMMENTS)} comments → {len(reading.proposals)} proposals, "
          f"{remarks} comments read, {len(reading.not_imported)} not imported")
    rows = [("read_reviews (reading + comparison)", import_ms),
            ("aap relire --tout-accepter (new process)", command_ms),
            ("aap verifier, same dossier (for reference)", check_ms),
            ("export_dossier, review version, marked", marked_ms),
            ("export_dossier, review version, not marked", unmarked_ms)]
    for label, values in rows:
        median, q1, q3 = quartiles(values)
        print(f"  {label:46} {median:7.1f} ms  ({q1:.1f}–{q3:.1f})")
    print(f"  aap relire exit codes: {sorted(set(codes))}")
    marked, unmarked = quartiles(marked_ms)[0], quartiles(unmarked_ms)[0]
    print(f"marking costs {marked - unmarked:.1f} ms per export ({marked / unmarked:.2f}×)")
    print(f"target: the import under {TARGET_MS:.0f} ms")
    for label, values in rows[:2]:
        median = quartiles(values)[0]
        print(f"  {label:46} {median:7.1f} ms  ({'ok' if median < TARGET_MS else 'over'})")


if __name__ == "__main__":
    main()
