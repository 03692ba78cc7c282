"""Hand-written mutants of the promises the README makes, and whether the tests kill them.

Each mutant replaces one exact snippet of one module (it must occur exactly once, else the
mutant is reported as stale and skipped: the snippets follow the code, and a refactoring moves
them) and runs the test files that should notice, in a copy of the tree. A mutant the tests do
not notice is a promise no test holds.

    python scripts/mutants.py                 # every mutant, on this tree
    python scripts/mutants.py --root DIR -j 2 # on another tree (a snapshot), two at a time
    python scripts/mutants.py --only lock-unlinked-on-release crash-handler-raises
    python scripts/mutants.py --list          # the mutants and whether their snippet is found
    python scripts/mutants.py --baseline      # the selected tests on the unmutated tree first

Killed: the tests failed (or did not finish within --timeout). Survived: they passed.
Score = killed / (mutants applied).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Always run, where they exist: the tests written to kill these mutants.
PROMISE_TESTS = ("tests/test_promises.py",)
IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                                 ".hypothesis", "sorties", "*.egg-info", ".venv", "venv")


@dataclass(frozen=True)
class Mutant:
    id: str
    file: str
    original: str
    replacement: str
    promise: str
    tests: tuple[str, ...]


def m(id: str, file: str, original: str, replacement: str, promise: str, *tests: str) -> Mutant:
    return Mutant(id, file, original, replacement, promise, tests)


def nodes(file: str, *tests: str) -> tuple[str, ...]:
    return tuple(f"{file}::{test}" for test in tests)


STORE_TESTS = ("tests/test_store.py",)
CRASH = nodes("tests/test_hardening_env.py", "test_crash_report_is_private_unique_and_holds_no_answer",
              "test_crash_report_that_cannot_be_written_still_gives_the_message")
LOCK = nodes("tests/test_hardening_store.py", "test_writers_racing_after_a_dead_owner_never_lose_an_answer",
             "test_an_odd_lock_file_left_behind_never_locks_forever", "test_the_lock_of_a_killed_process_is_free_at_once",
             "test_a_hard_linked_lock_never_empties_the_file_it_shares",
             "test_a_lock_that_is_a_symbolic_link_is_never_followed", "test_a_copy_racing_remplir_is_never_lost",
             "test_create_never_replaces_a_file_that_appeared_meanwhile")
DAMAGED = (*nodes("tests/test_hardening_store.py", "test_liste_shows_a_damaged_dossier_and_the_others",
                  "test_any_value_at_any_key_of_a_dossier_file", "test_a_dossier_too_large_to_read_back_is_never_written",
                  "test_restoring_a_dossier_without_backup_says_so"),
           *nodes("tests/test_commands.py", "test_reprendre_by_name_by_path_and_damaged",
                  "test_liste_shows_a_damaged_dossier_without_failing"))
FILES = nodes("tests/test_hardening_store.py", "test_every_file_that_holds_answers_is_private_under_umask_000",
              "test_a_store_folder_open_to_others_is_made_private", "test_parent_folders_are_created_private_under_umask_000",
              "test_create_never_replaces_a_file_that_appeared_meanwhile",
              "test_a_full_disk_during_export_leaves_the_previous_file_and_no_temporary",
              "test_old_temporary_files_of_a_killed_save_are_cleared",
              "test_export_killed_at_random_moments_never_leaves_a_partial_file")

MUTANTS: list[Mutant] = [
    # -- never a traceback; exit codes -----------------------------------------------------------
    m("crash-handler-raises", "assistant/cli.py",
      "    except Exception as error:  # a bug: still no traceback on screen, but one kept for the report\n"
      "        return _internal_error(error, command)\n",
      "    except Exception:\n        raise\n",
      "never a traceback", *CRASH, "tests/test_cli.py"),
    m("crash-report-not-written", "assistant/cli.py",
      "        report = _write_crash_report(error, command)\n", "        report = None\n",
      "never a traceback (the report is kept)", *CRASH),
    m("crash-report-holds-message", "assistant/cli.py",
      "{kind.__module__}.{kind.__qualname__}\")", "{kind.__module__}.{kind.__qualname__}: {current}\")",
      "crash report holds no answer", *CRASH),
    m("interrupt-exit-code", "assistant/cli.py",
      "        print(file=sys.stderr)\n        return int(ExitCode.INTERRUPTED)\n",
      "        print(file=sys.stderr)\n        return int(ExitCode.BAD_INPUT)\n",
      "exit code 130 on interrupt", "tests/test_cli.py", "tests/test_end_to_end.py"),
    m("eof-exit-code", "assistant/cli.py",
      "ce qui était déjà enregistré est conservé\"))\n        return int(ExitCode.BAD_INPUT)\n",
      "ce qui était déjà enregistré est conservé\"))\n        return int(ExitCode.OK)\n",
      "exit code 2 on closed input", "tests/test_cli.py",
      "tests/test_hardening_env.py::test_end_of_input_at_a_terminal_prompt_is_a_clear_message"),
    m("bad-input-exit-code", "assistant/cli.py",
      "        output.error(error.message, error.details)\n        return int(error.exit_code)\n",
      "        output.error(error.message, error.details)\n        return 1\n",
      "exit code 2 on bad input", "tests/test_cli.py", "tests/test_validation.py"),
    m("verifier-always-0", "assistant/cli.py",
      "    return ExitCode.CHECKS_FAILED if blocks_submission(findings) else ExitCode.OK\n",
      "    return ExitCode.OK\n",
      "exit code 1 on failed checks", "tests/test_checks.py", "tests/test_commands.py"),
    # -- one writer: the lock ------------------------------------------------------------------
    m("lock-taken-while-held", "assistant/locking.py",
      "        except Timeout:\n            raise self._held_elsewhere() from None\n",
      "        except Timeout:\n            pass\n",
      "one aap at a time on a dossier", *STORE_TESTS, *LOCK),
    m("lock-unlinked-on-release", "assistant/locking.py",
      "            self._lock.release()\n",
      "            self._lock.release()\n            os.unlink(self.path)\n",
      "lock file left (empty) on release", *STORE_TESTS, *LOCK),
    m("lock-owner-kept-on-release", "assistant/locking.py",
      "            self._write_owner(None)\n", "            pass\n",
      "lock file left empty when free", *STORE_TESTS, *LOCK),
    m("lock-writes-through-hard-link", "assistant/locking.py",
      "                if os.fstat(fd).st_nlink != 1:\n", "                if False:\n",
      "a lock never writes another file", *STORE_TESTS, *LOCK),
    # -- damaged files untouched ---------------------------------------------------------------
    m("damaged-file-deleted-on-restore", "assistant/store.py",
      "            os.replace(self.path, aside)\n", "            os.unlink(self.path)\n",
      "damaged file kept aside", *STORE_TESTS, *DAMAGED),
    m("damaged-hides-others-in-liste", "assistant/store.py",
      "            return Summary(name, None, None, None, problem=error.message)\n",
      "            raise\n",
      "one damaged file never hides the others", *STORE_TESTS, *DAMAGED),
    m("no-backup-kept", "assistant/store.py",
      "            if keep_backup and not new and path.exists():\n", "            if False:\n",
      "previous version kept in .bak", *STORE_TESTS),
    m("backup-not-private", "assistant/store.py",
      "        os.chmod(staging, PRIVATE_FILE)", "        os.chmod(staging, 0o644)",
      "files holding answers are private", *STORE_TESTS, *FILES),
    m("create-replaces-existing", "assistant/store.py",
      "            write_private(path, data, replace=not new)\n",
      "            write_private(path, data, replace=True)\n",
      "create never replaces a dossier", *STORE_TESTS, *FILES),
    m("unknown-answers-dropped", "assistant/dossier.py",
      "position=data.position, raw=dict(data.answers),",
      "position=data.position, raw={k: v for k, v in data.answers.items() if appel.question(k)},",
      "answers of a changed questionnaire kept", *STORE_TESTS),
    m("invalid-answer-not-reported", "assistant/dossier.py",
      "                dossier.invalid[question_id] = error.message\n", "                pass\n",
      "a damaged answer is reported and asked again", *STORE_TESTS),
    # -- atomic, private saves -----------------------------------------------------------------
    m("save-in-place", "assistant/files.py",
      "        if replace:\n            os.replace(tmp_name, path)\n",
      "        if replace:\n            path.write_bytes(data)\n            os.unlink(tmp_name)\n",
      "atomic save (temporary file then rename)", *STORE_TESTS, *FILES),
    m("save-without-fsync", "assistant/files.py",
      "            os.fsync(handle.fileno())\n", "            pass\n",
      "durable save (fsync)", *STORE_TESTS, *FILES),
    m("save-without-folder-fsync", "assistant/files.py",
      "        tmp_name = None\n        fsync_folder(folder)\n", "        tmp_name = None\n",
      "durable save (fsync of the folder)", *STORE_TESTS, *FILES),
    m("saved-file-not-private", "assistant/files.py",
      "            os.fsync(handle.fileno())\n", "            os.fsync(handle.fileno())\n            os.chmod(tmp_name, 0o644)\n",
      "files holding answers are 0600", *STORE_TESTS, *FILES),
    # (Removing only the chmod after mkdir(mode=0o700) is an equivalent mutant: an umask only
    # removes bits.)
    m("folder-not-private", "assistant/files.py",
      "                candidate.mkdir(mode=PRIVATE_FOLDER)\n"
      "            with suppress(OSError):\n"
      "                os.chmod(candidate, PRIVATE_FOLDER)  # mkdir's mode is cut by the umask\n",
      "                candidate.mkdir()\n",
      "folders are 0700", *STORE_TESTS, *FILES),
    m("no-replace-replaces", "assistant/files.py",
      "                os.link(tmp_name, path)\n",
      "                os.replace(tmp_name, path)\n                os.link(path, tmp_name)\n",
      "an existing file is never replaced when asked not to", *STORE_TESTS, *FILES, *CRASH),
    m("read-limit-truncates", "assistant/files.py",
      "        data = handle.read(limit + 1)\n", "        data = handle.read(limit)\n",
      "size limits refuse, never truncate", "tests/test_hardening_inputs.py", *STORE_TESTS),
    # -- typography in French ------------------------------------------------------------------
    m("word-typography-off", "assistant/typography.py",
      "    if len(text) <= 200:\n        return _french_short(text)\n    return _french(text)\n",
      "    return text\n",
      "typography in French (document)", "tests/test_typography.py"),
    m("terminal-typography-off", "assistant/i18n.py",
      '    text = _NBSP_AFTER.sub("\\\\1\\u00a0", _NBSP_BEFORE.sub("\\u00a0\\\\1", text))\n',
      "    return text\n",
      "typography in French (terminal)", "tests/test_typography.py", "tests/test_languages.py"),
    # -- lint of conditions and rules ----------------------------------------------------------
    m("lint-contient-off", "assistant/rules/conditions.py",
      "            if kind is not FieldType.MULTIPLE_CHOICE:\n", "            if False:\n",
      "lint of conditions (contient)", "tests/test_validation.py", "tests/test_rule_language.py"),
    m("lint-contient-choice-off", "assistant/rules/conditions.py",
      "                for v in values if subject.choice(v) is None]\n", "                for v in values if False]\n",
      "lint of conditions (unknown choice)", "tests/test_validation.py", "tests/test_rule_language.py"),
    m("lint-self-condition-off", "assistant/lint.py",
      "    if question.id in set(condition.questions()):\n", "    if False:\n",
      "lint of conditions (on itself)", "tests/test_validation.py", "tests/test_rule_language.py"),
    m("lint-condition-loop-off", "assistant/lint.py",
      "    cycle = _cycle(question, appel)\n", "    cycle: list[str] = []\n",
      "lint of conditions (a loop)", "tests/test_rule_language.py"),
    m("lint-source-optional", "assistant/rules/base.py",
      "        if self.source is None and self.severity is not Severity.ADVICE:\n", "        if False:\n",
      "a rule quotes the call it enforces", "tests/test_rule_language.py", "tests/test_questionnaires.py"),
    m("lint-placeholders-off", "assistant/rules/base.py",
      "        unknown = sorted(n for n in names if n not in self.placeholders)\n", "        unknown: list[str] = []\n",
      "lint of rule messages", "tests/test_validation.py", "tests/test_checks.py"),
    # -- --depot refused on blocking findings --------------------------------------------------
    m("depot-not-refused", "assistant/export.py",
      "    if submission and blocks_submission(findings) and not force:\n", "    if False:\n",
      "--depot refused on blocking findings", "tests/test_export.py", "tests/test_deposit.py"),
    m("forced-depot-not-marked", "assistant/export.py",
      "    forced = submission and force and blocks_submission(findings)\n", "    forced = False\n",
      "a forced submission says NON DÉPOSABLE", "tests/test_export.py", "tests/test_deposit.py"),
    m("errors-do-not-block", "assistant/checks.py",
      "    return [f for f in findings if f.severity in (Severity.BLOCKING, Severity.ERROR)]\n",
      "    return [f for f in findings if f.severity is Severity.BLOCKING]\n",
      "--depot refused on errors too", "tests/test_checks.py", "tests/test_export.py", "tests/test_deposit.py"),
    # -- strict reading ------------------------------------------------------------------------
    m("json-depth-unchecked", "assistant/reading.py",
      "    if max(accumulate(map(_BRACKET_STEP.__getitem__, brackets)), default=0) <= MAX_DEPTH:\n",
      "    if True:\n",
      "strict reading (JSON depth)", "tests/test_hardening_inputs.py"),
    m("yaml-depth-unchecked", "assistant/reading.py",
      "                if depth > MAX_DEPTH:\n                    raise _Refused(_too_deep(), line, column)\n",
      "                if False:\n                    raise _Refused(_too_deep(), line, column)\n",
      "strict reading (YAML depth)", "tests/test_hardening_inputs.py"),
    m("json-duplicate-keys", "assistant/reading.py",
      "        if key in result:\n            raise _Refused(_duplicate(key))\n",
      "        if False:\n            raise _Refused(_duplicate(key))\n",
      "strict reading (JSON duplicate keys)", "tests/test_hardening_inputs.py", *STORE_TESTS),
    m("yaml-duplicate-keys", "assistant/reading.py",
      "                if key in mapping:\n", "                if False:\n",
      "strict reading (YAML duplicate keys)", "tests/test_hardening_inputs.py"),
    # -- checks --------------------------------------------------------------------------------
    m("cap-inclusive", "assistant/rules/cap.py",
      "        if amount is not None and amount > self.amount:\n", "        if amount is not None and amount >= self.amount:\n",
      "the cap is exact (40 000,00 passes)", "tests/test_checks.py"),
    # -- issue 12: saved files read strictly, writes only under the lock, plain text in the core --
    m("decode-lenient", "assistant/fields/base.py",
      "        if _canonical(written) != _canonical(data):\n", "        if False:\n",
      "a saved value is read strictly, never reinterpreted", "tests/test_fields.py"),
    m("session-writes-without-lock", "assistant/store.py",
      "        if not self._lock.held:\n", "        if False:\n",
      "a dossier is written only under its lock", *STORE_TESTS),
    m("session-writes-another-dossier", "assistant/store.py",
      "        if dossier.name != self.name:\n", "        if False:\n",
      "a session writes only its own dossier", *STORE_TESTS),
    m("findings-not-plain", "assistant/checks.py",
      "        values = {name: plain(value) for name, value in values.items()}\n", "        values = dict(values)\n",
      "--json is plain text (no no-break spaces)", "tests/test_rules.py"),
    m("missing-answers-unchecked", "assistant/checks.py",
      "    missing = [f for f in _missing_answers(context) if f.question not in said]\n", "    missing: list[Finding] = []\n",
      "missing required answers are findings", "tests/test_checks.py"),
    m("missing-answer-gives-way-to-advice", "assistant/checks.py",
      "SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[Severity.ERROR]}\n", "f.severity}\n",
      "a missing required answer is always an error", "tests/test_checks.py", "tests/test_rule_language.py"),
    # -- the rule language ---------------------------------------------------------------------
    m("advice-blocks", "assistant/checks.py",
      "    return [f for f in findings if f.severity in (Severity.BLOCKING, Severity.ERROR)]\n",
      "    return [f for f in findings if f.severity is not Severity.WARNING]\n",
      "advice never blocks", "tests/test_rule_language.py", "tests/test_planted_faults.py"),
    m("unknown-is-false", "assistant/rules/conditions.py",
      "            return None if self.question else False\n", "            return False\n",
      "an answer still to come concludes nothing", "tests/test_rule_language.py", "tests/test_checks.py"),
    m("answers-not-asked-count", "assistant/dossier.py",
      "        return self.answers.get(question_id) if question is not None and self.applies(question) else None\n",
      "        return self.answers.get(question_id)\n",
      "answers of questions not asked count for nothing", "tests/test_rule_language.py"),
    m("offset-months-ignored", "assistant/rules/terms.py",
      "        months = day.year * 12 + day.month - 1 + self.months + 12 * self.years\n",
      "        months = day.year * 12 + day.month - 1 + 12 * self.years\n",
      "date offsets (bilan à 6 mois)", "tests/test_rule_language.py", "tests/test_checks.py"),
    m("filtered-sum-unfiltered", "assistant/rules/terms.py",
      "                items = [i for i in items if self.where.holds(dossier, i)]\n", "                pass\n",
      "a filtered sum adds only the items kept", "tests/test_rule_language.py"),
    m("vague-never", "assistant/rules/wording.py",
      "    return not any(w not in _FILLERS and len(w) > 1 for w in re.findall(r\"[^\\W\\d_]+\", left))\n",
      "    return False\n",
      "a vague label is seen (« Divers »)", "tests/test_rule_language.py", "tests/test_checks.py"),
    m("deadline-inclusive", "assistant/rules/deadline.py",
      "        if deadline is not None and context.today > deadline:\n",
      "        if deadline is not None and context.today >= deadline:\n",
      "the deadline day is still in time", "tests/test_rule_language.py", "tests/test_checks.py"),
]


# -- running -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, timeout, stale, error
    seconds: float = 0.0
    detail: str = ""
    log: str = ""


def occurrences(root: Path, mutant: Mutant) -> int | None:
    path = root / mutant.file
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").count(mutant.original)


def stale_reason(root: Path, mutant: Mutant) -> str | None:
    count = occurrences(root, mutant)
    if count is None:
        return f"{mutant.file} not found"
    if count != 1:
        return f"snippet found {count} times in {mutant.file}"
    return None


def test_args(root: Path, mutant: Mutant) -> list[str]:
    wanted = [*mutant.tests, *(t for t in PROMISE_TESTS if t not in mutant.tests)]
    return [t for t in wanted if (root / t.split("::")[0]).exists()]


def pytest_command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *args]


def environment(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env["PYTHONPATH"] = str(tree)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_in(tree: Path, args: list[str], timeout: float) -> tuple[str, float, str]:
    """Run pytest on `tree`; ("passed" | "failed" | "timeout", seconds, output)."""
    start = time.monotonic()
    try:
        done = subprocess.run(pytest_command(args), check=False, cwd=tree, env=environment(tree),
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, start_new_session=True)
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or ""
        return "timeout", time.monotonic() - start, out if isinstance(out, str) else out.decode("utf-8", "replace")
    return ("passed" if done.returncode == 0 else "failed"), time.monotonic() - start, done.stdout + done.stderr


def first_failure(output: str) -> str:
    found = re.search(r"^(?:FAILED|ERROR) (\S+)", output, re.MULTILINE)
    return found.group(1) if found else ""


def run_mutant(root: Path, mutant: Mutant, timeout: float) -> Outcome:
    reason = stale_reason(root, mutant)
    if reason:
        return Outcome(mutant, "stale", detail=reason)
    args = test_args(root, mutant)
    if not args:
        return Outcome(mutant, "stale", detail="none of its test files exists")
    with tempfile.TemporaryDirectory(prefix=f"mutant-{mutant.id}-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(root, tree, ignore=IGNORED, symlinks=True)
        target = tree / mutant.file
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace(mutant.original, mutant.replacement, 1), encoding="utf-8")
        try:
            compile(target.read_text(encoding="utf-8"), str(target), "exec")
        except SyntaxError as error:
            return Outcome(mutant, "error", detail=f"mutant does not compile: {error}")
        result, seconds, output = run_in(tree, args, timeout)
    if result == "failed":
        return Outcome(mutant, "killed", seconds, first_failure(output) or "pytest failed", output)
    if result == "timeout":
        return Outcome(mutant, "timeout", seconds, f"no result within {timeout:.0f} s", output)
    return Outcome(mutant, "survived", seconds, " ".join(args), output)


def table(outcomes: list[Outcome]) -> str:
    rows = [("mutant", "status", "s", "promise", "detail")]
    rows += [(o.mutant.id, o.status, f"{o.seconds:.0f}", o.mutant.promise, o.detail) for o in outcomes]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-" * min(160, sum(widths) + 8 + 20))
    return "\n".join(lines)


def score(outcomes: list[Outcome]) -> str:
    applied = [o for o in outcomes if o.status in ("killed", "survived", "timeout")]
    killed = [o for o in applied if o.status in ("killed", "timeout")]
    stale = sum(o.status == "stale" for o in outcomes)
    errors = sum(o.status == "error" for o in outcomes)
    ratio = f"{100 * len(killed) / len(applied):.0f} %" if applied else "n/a"
    return (f"score: {len(killed)}/{len(applied)} killed ({ratio}); "
            f"{len(applied) - len(killed)} survived, {stale} stale, {errors} not compiling")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="tree to mutate (default: this one)")
    parser.add_argument("-j", "--jobs", type=int, default=1, help="mutants run in parallel")
    parser.add_argument("--only", nargs="+", metavar="ID", help="run these mutants only")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per mutant")
    parser.add_argument("--list", action="store_true", help="list the mutants and whether they apply")
    parser.add_argument("--baseline", action="store_true", help="first run the selected tests on the unmutated tree")
    parser.add_argument("--logs", type=Path, help="folder for each mutant's pytest output")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    chosen = MUTANTS
    if args.only:
        unknown = set(args.only) - {mutant.id for mutant in MUTANTS}
        if unknown:
            parser.error(f"unknown mutants: {', '.join(sorted(unknown))}")
        chosen = [mutant for mutant in MUTANTS if mutant.id in args.only]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.id:34} {stale_reason(root, mutant) or 'applies':40} {mutant.promise}")
        return 0
    if args.baseline:
        union = sorted({t for mutant in chosen for t in test_args(root, mutant)})
        result, seconds, output = run_in(root, union, args.timeout * 4)
        print(f"baseline ({len(union)} files, {seconds:.0f} s): {result}", flush=True)
        if result != "passed":
            print(output[-3000:])
            return 1
    print(f"{len(chosen)} mutants on {root}, {args.jobs} at a time", flush=True)
    start = time.monotonic()

    def one(mutant: Mutant) -> Outcome:
        outcome = run_mutant(root, mutant, args.timeout)
        print(f"  {outcome.status:9} {mutant.id} ({outcome.seconds:.0f} s) {outcome.detail}", flush=True)
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outcomes = list(pool.map(one, chosen))
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
        for outcome in outcomes:
            (args.logs / f"{outcome.mutant.id}.txt").write_text(outcome.log, encoding="utf-8")
    print()
    print(table(outcomes))
    print()
    print(f"{score(outcomes)} — {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
