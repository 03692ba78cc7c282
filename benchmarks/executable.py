"""The one-file executable against the installed package: size and start-up (issue 15).

    python benchmarks/executable.py dist/aap [--installed PATH] [--runs N]

Prints the executable's size, then the median over N runs (10 by default, after one warm-up run
each; the runs interleaved, so that the load of the machine weighs on both alike) of
`aap --version` and `aap appels`, for the executable and for the installed package's `aap`
(the script beside this interpreter, else `aap` on PATH, or --installed).

What the executable pays at every start: it unpacks itself (Python, its libraries, aap's data)
into a new temporary folder, then deletes it on exit. Every process runs with HOME and the XDG
folders in one temporary folder, so that aap's cache is under control (filled by the warm-up
run, as a user's first run fills it); PYTHONDONTWRITEBYTECODE is removed for the installed
package, so that its warm-up run writes the byte-code any `pip install` leaves behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import quartiles  # the same medians and quartiles as the start-up benchmark

COMMANDS = (["--version"], ["appels"])


def installed_aap() -> Path | None:
    """The `aap` script beside this interpreter (what a user types), else the one on PATH."""
    beside = Path(sys.executable).parent / "aap"
    if beside.exists():
        return beside
    found = shutil.which("aap")
    return Path(found) if found else None


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state"), "NO_COLOR": "1", "COLUMNS": "120"}
    for name in ("AAP_DOSSIERS", "AAP_LANGUE", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        env.pop(name, None)
    return env


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("executable", type=Path, help="the one-file executable (dist/aap)")
    parser.add_argument("--installed", type=Path, default=None,
                        help="the installed package's aap (default: beside this Python, else on PATH)")
    parser.add_argument("--runs", type=int, default=10, help="runs per measure (default 10)")
    options = parser.parse_args()
    executable = options.executable.resolve()
    installed = options.installed or installed_aap()
    if not executable.is_file():
        raise SystemExit(f"no executable at {executable}")
    if installed is None:
        raise SystemExit("no installed aap found: pip install . (or give --installed PATH)")

    size = executable.stat().st_size
    print(f"executable: {executable}, {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB)")
    print(f"installed:  {installed}")
    programs = {"executable": [str(executable)], "installed": [str(installed)]}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = environment(home)
        measures = [(kind, arguments) for arguments in COMMANDS for kind in programs]
        for kind, arguments in measures:
            timed([*programs[kind], *arguments], env, home)  # warm-up: disk cache, aap's cache, byte-code
        timings: dict[tuple[str, str], list[float]] = {(kind, " ".join(arguments)): [] for kind, arguments in measures}
        for _run in range(options.runs):
            for kind, arguments in measures:
                timings[kind, " ".join(arguments)].append(timed([*programs[kind], *arguments], env, home))
    print(f"{options.runs} runs per measure, interleaved, median (q1–q3), after one warm-up run each")
    print(f"  {'':16} {'executable':>22} {'installed package':>22} {'ratio':>7}")
    for arguments in COMMANDS:
        command = " ".join(arguments)
        cells = []
        for kind in programs:
            median, q1, q3 = quartiles(timings[kind, command])
            cells.append(f"{median:.0f} ms ({q1:.0f}–{q3:.0f})")
        ratio = quartiles(timings["executable", command])[0] / quartiles(timings["installed", command])[0]
        print(f"  {'aap ' + command:16} {cells[0]:>22} {cells[1]:>22} {ratio:6.1f}×")


if __name__ == "__main__":
    main()
