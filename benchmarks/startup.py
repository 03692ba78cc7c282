"""Start-up times, as ratios measured in one run (issue 12, point 8).

    python benchmarks/startup.py [--runs N]

Prints the median over N runs (15 by default, after one warm-up run each; the runs of the
measures interleaved, so that the load of the machine weighs on each alike) of:

- `python -c pass`: a bare interpreter, the unit of the first two ratios;
- `aap liste` on a folder of three real dossiers (the shipped example filled in by
  `aap remplir`, then copied twice by `aap dupliquer`, once before the runs, with the same
  environment), `aap liste` on an empty folder (for reference) and `aap appels` (the shipped
  questionnaires);
- `python -c "import prompt_toolkit, rich, pydantic, babel, yaml"`: the bare import of the stack
  the dialogue needs, the unit of the third ratio (and, for reference, the import of what aap
  uses of each: `import pydantic` and `import rich` alone are lazy and load almost nothing);
- launch → first question: `aap nouveau --appel ID --nom NOM` in a real pseudo-terminal
  (pexpect), timed from the spawn until the first question's label and its prompt are on screen.

and the ratios against the issue's targets: `liste` and `appels` within 12× the bare interpreter,
the first question within 1.3× the stack import.

Why a pseudo-terminal for the first question rather than an in-process equivalent: `aap nouveau`
refuses to run without a terminal, and what a user waits for includes the interpreter, every
import, the questionnaire's load, the dossier's creation (an atomic, fsynced write), the lock,
the welcome screen and prompt-toolkit's first draw. Only a real terminal runs all of it; an
in-process imitation would have to pick which parts count. Each run gets a new dossier name in
its own empty folder, so every run creates a dossier as a user's first `aap nouveau` does.

Every process runs with HOME and the XDG folders in one temporary folder, so that aap's cache
(`user_cache_dir("aap")`) is under control: empty before the dossiers are made and the warm-up
run, which fill it as a user's first runs do (the questionnaires' entries, then the dossiers'
summaries); the timed runs then measure the usual, warm case. The package is
byte-compiled first, as `pip install` does: this workplace sets PYTHONDONTWRITEBYTECODE=1, which
would otherwise make every launch recompile aap's sources, a cost no installed user pays.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "questionnaires" / "exemples" / "idf-2022-exemple.yaml"
IDF = "idf-2022-actes-interventionnels"
# The first question of that call, as `aap nouveau` shows it, then its prompt mark.
FIRST_QUESTION = "Raison sociale"
PROMPT_MARK = "›"

TARGETS = {"liste": 12.0, "appels": 12.0, "first question": 1.3}
# What aap's dialogue uses of each library: the prompt, the console, the models, the formats.
STACK_USED = ("from prompt_toolkit import PromptSession; from rich.console import Console; "
              "from pydantic import BaseModel; from babel.dates import format_date; "
              "from babel.numbers import format_decimal; import yaml")


def aap_command() -> list[str]:
    """The installed `aap` script beside this interpreter (what a user types), else `-m assistant`."""
    script = Path(sys.executable).parent / "aap"
    return [str(script)] if script.exists() else [sys.executable, "-m", "assistant"]


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state"), "NO_COLOR": "1", "TERM": "xterm",
           "PROMPT_TOOLKIT_NO_CPR": "1", "COLUMNS": "120",
           # The sources beside this script, whatever the installed copy (a checkout of an older
           # commit measures that commit).
           "PYTHONPATH": str(ROOT)}
    for name in ("AAP_DOSSIERS", "AAP_LANGUE"):
        env.pop(name, None)
    return env


def timed_process(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed * 1000


def make_dossiers(folder: Path, env: dict[str, str]) -> None:
    """Three real dossiers, as a user makes them: the example filled in, then copied twice."""
    aap = [*aap_command(), "--dossiers", str(folder)]
    for command in (["remplir", "--reponses", str(EXAMPLE)], ["dupliquer", "exemple", "exemple-2"],
                    ["dupliquer", "exemple", "exemple-3"]):
        done = subprocess.run([*aap, *command], env=env, stdin=subprocess.DEVNULL, capture_output=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"aap {' '.join(command)} failed ({done.returncode}): "
                             f"{done.stderr.decode(errors='replace')}")


def first_question(env: dict[str, str], scratch: Path, number: int) -> float:
    import pexpect

    folder = scratch / f"run-{number}"
    folder.mkdir()
    command = aap_command()
    start = time.perf_counter()
    child = pexpect.spawn(command[0], [*command[1:], "--dossiers", str(folder), "nouveau", "--appel", IDF,
                                       "--nom", f"bench-{number}"],
                          env=env, encoding="utf-8", dimensions=(50, 160), timeout=30)
    child.delaybeforesend = None
    child.expect_exact(FIRST_QUESTION)
    child.expect_exact(PROMPT_MARK)
    elapsed = time.perf_counter() - start
    child.sendcontrol("c")
    child.expect(pexpect.EOF)
    child.close()
    shutil.rmtree(folder, ignore_errors=True)
    return elapsed * 1000


def quartiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) == 1:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4)
    return median, q1, q3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per measure (default 15)")
    runs = parser.parse_args().runs

    import compileall

    compileall.compile_dir(str(ROOT / "assistant"), quiet=1)
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        empty = Path(tmp) / "empty"
        dossiers = Path(tmp) / "dossiers"
        scratch = Path(tmp) / "scratch"
        for folder in (home, empty, scratch):
            folder.mkdir()
        env = environment(home)
        aap = aap_command()
        make_dossiers(dossiers, env)
        measures: list[tuple[str, Callable[[int], float]]] = [
            ("bare", lambda n: timed_process([python, "-c", "pass"], env)),
            ("liste", lambda n: timed_process([*aap, "--dossiers", str(dossiers), "liste"], env)),
            ("liste empty", lambda n: timed_process([*aap, "--dossiers", str(empty), "liste"], env)),
            ("appels", lambda n: timed_process([*aap, "appels"], env)),
            ("stack import", lambda n: timed_process(
                [python, "-c", "import prompt_toolkit, rich, pydantic, babel, yaml"], env)),
            ("stack used", lambda n: timed_process([python, "-c", STACK_USED], env)),
            ("first question", lambda n: first_question(env, scratch, n)),
        ]
        labels = {"bare": "python -c pass", "liste": "aap liste (3 dossiers)",
                  "liste empty": "aap liste (empty folder)", "appels": "aap appels",
                  "stack import": "import prompt_toolkit, rich, pydantic, babel, yaml",
                  "stack used": "the same, importing what aap uses of them",
                  "first question": "aap nouveau: launch → first question"}
        for _key, measure in measures:
            measure(-1)  # warm-up: disk cache, aap's questionnaire cache, byte-code
        # Interleaved, so that a change of the machine's load during the run weighs on every
        # measure alike and the ratios stay fair.
        timings: dict[str, list[float]] = {key: [] for key, _measure in measures}
        for n in range(runs):
            for key, measure in measures:
                timings[key].append(measure(n))
        results: dict[str, float] = {}
        print(f"python {sys.version.split()[0]}, {runs} runs per measure, interleaved (median, q1–q3), warm cache")
        for key, _measure in measures:
            median, q1, q3 = quartiles(timings[key])
            results[key] = median
            print(f"  {labels[key]:52} {median:7.1f} ms  ({q1:.1f}–{q3:.1f})")
    print("ratios (target):")
    for key, unit in (("liste", "bare"), ("appels", "bare"), ("first question", "stack import")):
        ratio = results[key] / results[unit]
        verdict = "ok" if ratio <= TARGETS[key] else "over"
        print(f"  {key + ' / ' + unit:32} {ratio:5.2f}×  (≤ {TARGETS[key]}×: {verdict})")
    print(f"  {'liste empty / bare':32} {results['liste empty'] / results['bare']:5.2f}×  (for reference)")
    # `import pydantic` or `import rich` alone loads almost nothing (both are lazy): the second
    # unit is what a program that asks one question with these libraries has to import.
    print(f"  {'first question / stack used':32} {results['first question'] / results['stack used']:5.2f}×  (for reference)")


if __name__ == "__main__":
    main()
