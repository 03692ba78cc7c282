"""Issue 11, "any environment" and "personal data": aap works whatever the console's encoding,
with a closed stdin, a bad EDITOR, a bad TZ, markup-like text anywhere, a closed pipe, odd
widths and long paths; and its crash report is private and holds no answer.

Each test was seen failing on the code before the issue (see the closing note of the issue)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import yaml
from builders import EXAMPLE, IDF, example_answers
from conftest import ROOT, plain, run_aap, run_aap_process

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file descriptors, terminals and time zones")
# The example's call closed on 21 October 2022: checked today, its deadline alone would block it.
BEFORE_DEADLINE = ["--date", "2022-10-20"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AAP_")}
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    env.update(extra)
    return env


def run_bytes(*args: str, env: dict[str, str], timeout: float = 60, **kwargs) -> subprocess.CompletedProcess[bytes]:
    """The real command, its output kept as bytes (it is not UTF-8 under every encoding)."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=env, cwd=ROOT, timeout=timeout,
                          stdout=kwargs.pop("stdout", subprocess.PIPE), stderr=subprocess.PIPE,
                          stdin=kwargs.pop("stdin", subprocess.DEVNULL), **kwargs)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding the example dossier `exemple` and `trop` (a blocking finding: over the cap)."""
    folder = tmp_path_factory.mktemp("store") / "dossiers"
    filled = run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder))
    assert filled.returncode == 0, filled.stderr
    answers = tmp_path_factory.mktemp("answers") / "trop.yaml"
    data = {"appel": IDF, "nom": "trop", "reponses": {**example_answers(), "montant_demande": "90 000"}}
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    filled = run_aap("remplir", "--reponses", str(answers), "--dossiers", str(folder))
    assert filled.returncode == 0, filled.stderr
    return folder


# -- 1. output encodings -------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "ascii"])
def test_every_command_works_whatever_the_output_encoding(encoding, store, tmp_path):
    env = _env(PYTHONIOENCODING=encoding)
    folder = ["--dossiers", str(store)]
    commands = [
        (["appels"], 0, "idf-2022-actes-interventionnels"),
        (["liste", *folder], 0, "exemple"),
        (["montrer", "exemple", *folder], 0, "930000427"),
        (["verifier", "exemple", *BEFORE_DEADLINE, *folder], 0, "exemple"),
        (["verifier", "trop", *folder], 1, "trop"),
        (["exporter", "exemple", "--sortie", str(tmp_path / "x.docx"), *folder], 0, "x.docx"),
        (["--help"], 0, "aap"),
        (["montrer", "inconnu", *folder], 2, "inconnu"),
        (["appels", "--valider", str(ROOT / "tests" / "fixtures" / "questionnaires" / "syntaxe.yaml")], 2, "YAML"),
    ]
    for args, code, expected in commands:
        result = run_bytes(*args, env=env)
        out = result.stdout.decode(encoding, errors="replace")
        err = result.stderr.decode(encoding, errors="replace")
        assert "Traceback" not in err and "erreur inattendue" not in err, (args, err)
        assert result.returncode == code, (args, err)
        assert expected in out + err, (args, out, err)
        # What the console cannot show is replaced by its nearest form, never by an escape.
        assert "\\x" not in out + err and "\\u" not in out + err, (args, out, err)


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_data_for_programs_stays_exact_whatever_the_encoding(encoding, store):
    """JSON and YAML read back to the same data: \\u escapes, never a transliteration."""
    folder = ["--dossiers", str(store)]
    for args, load in ((["verifier", "trop", "--json"], json.loads), (["montrer", "exemple", "--reponses"], yaml.safe_load)):
        reference = run_bytes(*args, *folder, env=_env(PYTHONIOENCODING="utf-8"))
        result = run_bytes(*args, *folder, env=_env(PYTHONIOENCODING=encoding))
        assert b"Traceback" not in result.stderr and b"erreur inattendue" not in result.stderr, result.stderr
        assert load(result.stdout.decode(encoding)) == load(reference.stdout.decode("utf-8"))


# -- 2. closed stdin, stdin at its end -----------------------------------------------------------


@POSIX
@pytest.mark.parametrize("args", [["nouveau"], [], ["reprendre", "exemple"]])
def test_closed_stdin_is_a_clear_message(args, store):
    result = subprocess.run(["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "assistant", *args],
                            env=_env(AAP_DOSSIERS=str(store)), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert "erreur inattendue" not in result.stderr and "Traceback" not in result.stderr
    assert "demande un terminal" in plain(result.stderr)


@POSIX
def test_end_of_input_at_a_terminal_prompt_is_a_clear_message(tmp_path):
    """Ctrl-D (end of input) at the first question of `aap nouveau`, in a real terminal."""
    import pty
    import select

    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "assistant", "nouveau"], stdin=slave, stdout=slave, stderr=slave,
                               env=_env(AAP_DOSSIERS=str(tmp_path / "d"), TERM="dumb", COLUMNS="200"), cwd=ROOT)
    os.close(slave)
    screen = b""

    def read_until(predicate, seconds: float) -> None:
        nonlocal screen
        end = time.monotonic() + seconds
        while time.monotonic() < end and not predicate():
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                screen += chunk

    try:
        read_until(lambda: "›".encode() in screen, 30)
        # The prompt is drawn before the terminal is switched to raw mode: a Ctrl-D sent at once
        # would be the line discipline's end of file, not a key.
        time.sleep(1)
        os.write(master, b"\x04")
        read_until(lambda: process.poll() is not None, 30)
        code = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    text = plain(screen.decode("utf-8", errors="replace"))
    assert code == 2, text
    assert "erreur inattendue" not in text and "Traceback" not in text
    assert "l'entrée est fermée" in " ".join(text.split())


@POSIX
@pytest.mark.parametrize("args", [["verifier", "exemple", "--json", *BEFORE_DEADLINE], ["montrer", "exemple", "--reponses"],
                                  ["liste"]])
def test_closed_stdout_is_no_crash(args, store):
    result = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "assistant", *args],
                            env=_env(AAP_DOSSIERS=str(store)), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


# -- 3. EDITOR -----------------------------------------------------------------------------------


@contextmanager
def _terminal():
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from rich.console import Console

    from assistant.dialogue import TerminalAsker

    screen = StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        console = Console(file=screen, width=200, force_terminal=False, color_system=None)
        yield pipe, TerminalAsker(console, pt_input=pipe, pt_output=DummyOutput()), screen


def _dialogue(keys: str, answer: str | None = "Ancien texte"):
    """The dialogue at a long-text question (`objectifs`), these keys typed."""
    from assistant import loading
    from assistant.dossier import Dossier
    from assistant.flow import Flow

    appel = loading.find_appel(IDF)
    dossier = Dossier.new("essai", appel)
    if answer is not None:
        dossier.set("objectifs", answer)
    section = appel.section_of("objectifs")
    dossier.position = dossier.position.model_copy(update={"section": section.id, "question": "objectifs"})
    with _terminal() as (pipe, asker, screen):
        pipe.send_text(keys)
        pipe.close()
        outcome = Flow(dossier, lambda d: None, asker, today=date(2026, 11, 22)).run()
    return outcome, dossier, plain(" ".join(screen.getvalue().split()))


EDIT_THEN_QUIT = "/editeur\r" + "\x1b\r" + "/quitter\r"


def _script(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return script


@pytest.fixture
def editor_env(monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    return monkeypatch


def test_editor_with_an_unclosed_quote_is_a_notice(editor_env):
    from assistant.asking import Outcome

    editor_env.setenv("EDITOR", 'vim "')
    outcome, dossier, screen = _dialogue(EDIT_THEN_QUIT)
    assert outcome is Outcome.QUIT and dossier.get("objectifs") == "Ancien texte"
    assert "EDITOR ne se lit pas" in screen and 'vim "' in screen


def test_ctrl_x_ctrl_e_with_an_unclosed_quote_is_a_notice(editor_env):
    from assistant.asking import Outcome

    editor_env.setenv("EDITOR", 'vim "')
    outcome, dossier, screen = _dialogue(" et la suite\x18\x05" + "\x1b\r" + "/quitter\r")
    assert outcome is Outcome.QUIT
    assert "EDITOR ne se lit pas" in screen
    # The text typed before Ctrl-X Ctrl-E is still there afterwards.
    assert dossier.get("objectifs") == "Ancien texte et la suite"


@POSIX
def test_ctrl_x_ctrl_e_opens_the_editor_on_the_typed_text(editor_env, tmp_path):
    seen = tmp_path / "vu.txt"
    script = _script(tmp_path, "ed.sh", f'cat "$1" > "{seen}"; printf "Réécrit" > "$1"\n')
    editor_env.setenv("EDITOR", str(script))
    _outcome, dossier, _screen = _dialogue(" et la suite\x18\x05" + "\x1b\r" + "/quitter\r")
    assert seen.read_text(encoding="utf-8") == "Ancien texte et la suite"
    assert dossier.get("objectifs") == "Réécrit"


def test_editor_that_does_not_exist_is_a_notice_in_french(editor_env):
    editor_env.setenv("EDITOR", "editeur-qui-n-existe-pas --wait")
    _outcome, dossier, screen = _dialogue(EDIT_THEN_QUIT)
    assert dossier.get("objectifs") == "Ancien texte"
    assert "« editeur-qui-n-existe-pas » n'a pas pu être lancé : programme introuvable" in screen


@POSIX
def test_editor_that_fails_leaves_the_answer_unchanged(editor_env, tmp_path):
    script = _script(tmp_path, "ed.sh", 'printf "à moitié" > "$1"; exit 3\n')
    editor_env.setenv("EDITOR", str(script))
    _outcome, dossier, screen = _dialogue(EDIT_THEN_QUIT)
    assert dossier.get("objectifs") == "Ancien texte"
    assert "a échoué (code 3)" in screen


@POSIX
def test_no_editor_defined_uses_one_found_on_this_machine(editor_env, tmp_path):
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    _script(bin_folder, "nano", 'printf "Écrit avec nano" > "$1"\n')
    editor_env.setenv("PATH", str(bin_folder))
    _outcome, dossier, _screen = _dialogue(EDIT_THEN_QUIT)
    assert dossier.get("objectifs") == "Écrit avec nano"


def test_no_editor_at_all_says_what_to_do(editor_env, tmp_path):
    editor_env.setenv("PATH", str(tmp_path))
    _outcome, dossier, screen = _dialogue(EDIT_THEN_QUIT)
    assert dossier.get("objectifs") == "Ancien texte"
    notice = screen[screen.index("aucun éditeur"):]
    assert "EDITOR=nano" in notice
    # The other way to write a long text, without any editor.
    assert "écrivez ici" in notice and "Échap puis Entrée valide" in notice


@POSIX
def test_editor_file_is_private_and_removed(editor_env, tmp_path):
    """The answer is handed to the editor in a private file (0600) in a private folder (0700),
    whatever the umask, and the file, the folder and what the editor left there are removed."""
    record = tmp_path / "record.json"
    script = _script(tmp_path, "ed.sh", (
        'f="$1"; d=$(dirname "$f")\n'
        f'printf \'{{"file": "%s", "folder": "%s", "mode": "%s", "folder_mode": "%s"}}\' '
        f'"$f" "$d" "$(stat -c %a "$f")" "$(stat -c %a "$d")" > "{record}"\n'
        'printf swap > "$f.swp"\n'
        'printf "Nouveau texte" > "$f"\n'))
    editor_env.setenv("EDITOR", str(script))
    previous = os.umask(0)
    try:
        _outcome, dossier, _screen = _dialogue(EDIT_THEN_QUIT)
    finally:
        os.umask(previous)
    assert dossier.get("objectifs") == "Nouveau texte"
    seen = json.loads(record.read_text())
    assert seen["mode"] == "600" and seen["folder_mode"] == "700"
    assert not Path(seen["file"]).exists() and not Path(seen["file"] + ".swp").exists()
    assert not Path(seen["folder"]).exists()


# -- 4. TZ ---------------------------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("zone", [":/etc/passwd", "/etc/passwd", "/etc", "../../../../../../etc/hostname"])
def test_a_bad_time_zone_changes_nothing(zone, store, tmp_path):
    """babel read TZ as a zone file and crashed; the C library merely falls back to UTC."""
    folder = ["--dossiers", str(store)]
    commands = [["liste", *folder], ["verifier", "exemple", *BEFORE_DEADLINE, *folder]]
    if zone == ":/etc/passwd":
        commands += [["appels"], ["montrer", "exemple", *folder],
                     ["exporter", "exemple", "--sortie", str(tmp_path / "x.docx"), *folder]]
    for args in commands:
        result = run_aap_process(*args, env={"TZ": zone})  # babel reads TZ once per process
        assert result.returncode == 0, (args, result.stderr)
        assert "erreur inattendue" not in result.stderr
        if args[0] == "liste":
            assert "exemple" in result.stdout and str(date.today().year) in result.stdout  # dates still shown


# -- 5. markup in data ---------------------------------------------------------------------------

MARKUP = "[/]"
TAGS = "[bold]gras[/bold] [link=file:///etc/passwd]lien[/link] [red]"


def _markup_appel():
    """The Île-de-France call with markup in every text a questionnaire gives."""
    from assistant import loading
    from assistant.model import Appel

    data = yaml.safe_load(loading.questionnaires_dir().joinpath(f"{IDF}.yaml").read_text(encoding="utf-8"))
    data["titre"] = f"Titre {TAGS}"
    data["agence"] = f"Agence {MARKUP}"
    for section in data["sections"]:
        section["titre"] = f"Section {MARKUP} {section['id']}"
        section["guide"] = f"Guide {TAGS}"
        for question in section["questions"]:
            question["libelle"] = f"Libellé {MARKUP} {question['id']}"
            question["aide"] = f"Aide {TAGS}"
            for choice in question.get("choix") or []:
                choice["libelle"] = f"Choix {MARKUP} {choice['id']}"
            for field in question.get("champs") or []:
                field["libelle"] = f"Champ {MARKUP} {field['id']}"
    return Appel.from_data(data)


def _markup_dossier():
    from assistant.answers import apply_answers, parse_answers
    from assistant.dossier import Dossier

    appel = _markup_appel()
    dossier = Dossier.new(f"nom {TAGS}", appel)
    answers = example_answers()
    answers["etablissement"] = f"CH {TAGS}"
    answers["equipe"][0]["nom"] = f"Dr {MARKUP}"
    apply_answers(dossier, parse_answers(appel, answers))
    dossier.set("montant_demande", __import__("decimal").Decimal("90000"))
    dossier.raw[MARKUP] = "orpheline"
    dossier.orphans.append(MARKUP)
    dossier.invalid[f"q {MARKUP}"] = f"raison {TAGS}"
    return dossier


@pytest.fixture
def screen(monkeypatch):
    """output's consoles write to one string."""
    from rich.console import Console

    from assistant import output

    text = StringIO()
    console = Console(file=text, width=160, force_terminal=False, color_system=None)
    monkeypatch.setattr(output, "console", lambda: console)
    monkeypatch.setattr(output, "err_console", lambda: console)
    return text


def _shown_as_typed(text: str) -> None:
    flat = " ".join(text.split())
    assert "\\[" not in flat, flat
    assert MARKUP in flat
    assert "[bold]gras[/bold]" in flat and "[link=file:///etc/passwd]lien[/link]" in flat


def test_markup_in_a_dossier_is_shown_as_typed_by_every_command(screen):
    from assistant import output
    from assistant.asking import Outcome
    from assistant.checks import check
    from assistant.store import Summary

    dossier = _markup_dossier()
    path = Path(f"/tmp/{MARKUP}/nom [bold].json")
    findings = check(dossier)
    output.show_dossier(dossier, path)
    output.show_findings(dossier, findings, date(2022, 10, 20))
    output.show_summaries([Summary(dossier.name, f"appel {MARKUP}", 50, dossier.modified),
                           Summary(f"abîmé {MARKUP}", None, None, None, problem=f"illisible {TAGS}")], path.parent)
    output.dossier_copied(f"source {MARKUP}", dossier, path, other_call=True)
    output.dossier_filled(dossier, 3, path, findings)
    output.backup_restored(dossier.name, path)
    output.farewell(dossier, Outcome.DONE)
    output.farewell(dossier, Outcome.QUIT)
    output.error(f"message {TAGS}", [f"détail {MARKUP}"])
    output.show_validation(str(path), [f"problème {TAGS}"])
    text = screen.getvalue()
    _shown_as_typed(text)
    for expected in (f"nom {TAGS}", f"CH {TAGS}", f"Dr {MARKUP}", f"Section {MARKUP} ", f"Libellé {MARKUP} etablissement",
                     f"Titre {TAGS}", f"raison {TAGS}", f"source {MARKUP}", f"appel {MARKUP}", f"/tmp/{MARKUP}/nom [bold].json"):
        assert expected in " ".join(text.split()), expected


def test_markup_in_a_questionnaire_is_shown_as_typed_by_the_dialogue():
    from rich.console import Console

    from assistant import screens
    from assistant.asking import Ask, GroupAsk, Overview, Place, Review, ReviewRow, SectionState
    from assistant.checks import check

    dossier = _markup_dossier()
    appel = dossier.appel
    text = StringIO()
    console = Console(file=text, width=160, force_terminal=False, color_system=None)
    place = Place(1, 2, 3, 4, 50)
    first = appel.sections[0]
    screens.welcome(console, Overview(dossier, [SectionState(s, 1, 2) for s in appel.sections], True))
    screens.section(console, first, 1, len(appel.sections))
    for question in appel.questions():
        if question.type.value == "groupe":
            screens.group(console, GroupAsk(question, first, place, dossier.get(question.id) or [], lambda t: None))
            for field in question.fields:
                screens.question(console, Ask(field, first, place, "", False, lambda t: None, item_of=question))
        else:
            screens.question(console, Ask(question, first, place, "", True, lambda t: None, error=f"erreur {MARKUP}"))
        screens.help_screen(console, question)
    rows = [ReviewRow(n, q, dossier.get(q.id), True, False) for n, q in enumerate(first.questions, start=1)]
    screens.review(console, Review([(first, rows)], 50, False, lambda t: None, check(dossier)))
    screens.findings(console, first, check(dossier))
    screens.findings(console, None, check(dossier))
    shown = text.getvalue()
    _shown_as_typed(shown)
    flat = " ".join(shown.split())
    for expected in (f"Choix {MARKUP}", f"Champ {MARKUP} nom", f"Libellé {MARKUP} equipe", f"Agence {MARKUP}",
                     f"Dossier « nom {TAGS} »"):
        assert expected in plain(flat), expected


def test_markup_in_a_choice_list_is_shown_as_typed():
    with _terminal() as (pipe, asker, screen):
        pipe.send_text("2\r")
        picked = asker.choose(f"Quel dossier {MARKUP} ?", [f"Reprendre « {TAGS} »", f"dossier {MARKUP}"])
        asker.notice(f"attention {TAGS}")
    assert picked == 1
    _shown_as_typed(screen.getvalue())


def test_orphan_answer_with_markup_does_not_break_dupliquer(tmp_path):
    folder = tmp_path / "dossiers"
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder)).returncode == 0
    path = folder / "exemple.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"][MARKUP] = "x"
    data["reponses"]["[bold]cle"] = "[link=file:///etc/passwd]y"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for args in (["verifier", "exemple", *BEFORE_DEADLINE], ["montrer", "exemple"], ["liste"], ["dupliquer", "exemple", "copie"]):
        result = run_aap(*args, "--dossiers", str(folder))
        assert result.returncode == 0, (args, result.stderr)
        assert "erreur inattendue" not in result.stderr and "\\[" not in result.stdout + result.stderr
    copied = run_aap("dupliquer", "exemple", "autre", "--dossiers", str(folder))
    assert f"{MARKUP}, [bold]cle" in plain(" ".join(copied.stderr.split()))


def test_control_characters_in_a_dossier_never_reach_the_terminal(tmp_path):
    """An answer key is shown as it is in the file: an ESC there would drive the terminal."""
    folder = tmp_path / "dossiers"
    assert run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder)).returncode == 0
    path = folder / "exemple.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["reponses"]["cle\x1b]0;titre\x07\x1b[2J"] = "x"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_aap("dupliquer", "exemple", "copie", "--dossiers", str(folder))
    assert result.returncode == 0, result.stderr
    assert "cle" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr


# -- 6. a closed pipe ----------------------------------------------------------------------------


def _closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """The command writing into a pipe nobody reads any more (`aap … | head -1` once head is done)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return run_bytes(*args, env=_env(), stdout=write_end)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("args, code", [
    (["montrer", "exemple"], 0), (["appels"], 0), (["liste"], 0), (["verifier", "exemple", "--json", *BEFORE_DEADLINE], 0),
    (["montrer", "exemple", "--reponses"], 0), (["--help"], 0), (["verifier", "trop", "--json"], 1),
    (["verifier", "trop"], 1),
])
def test_a_closed_pipe_ends_quietly_with_the_commands_own_code(args, code, store):
    result = _closed_pipe(*args, "--dossiers", str(store)) if args != ["--help"] else _closed_pipe(*args)
    assert result.returncode == code, result.stderr
    assert result.stderr == b""


# -- 7. the crash report -------------------------------------------------------------------------


@pytest.fixture
def crash(monkeypatch, tmp_path):
    """`aap montrer` fails with an error whose message is a person's name; the user's cache
    folder and the shared temporary folder are under tmp_path."""
    from assistant import cli

    def boom(args):
        answer = "Jean Dupont"  # a local holding an answer: it must not reach the report
        raise ValueError(answer)

    monkeypatch.setattr(cli, "_montrer", boom)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shared = tmp_path / "shared"
    shared.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(shared))
    monkeypatch.setenv("TMPDIR", str(shared))
    return tmp_path


@pytest.mark.skipif(sys.platform != "linux", reason="the cache folder is found through XDG_CACHE_HOME on Linux")
def test_crash_report_is_private_unique_and_holds_no_answer(crash, capsys):
    from assistant import __version__
    from assistant.cli import main

    shared_report = crash / "shared" / "aap-erreur.txt"
    shared_report.write_text("le fichier d'un autre")
    shared_report.chmod(0o666)
    folder = crash / "cache" / "aap"
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    other = folder / "aap-erreur-ancien.txt"
    other.write_text("un rapport précédent")
    previous = os.umask(0)
    try:
        codes = [main(["montrer", "Jean Dupont"]), main(["montrer", "Jean Dupont"])]
    finally:
        os.umask(previous)
    err = capsys.readouterr().err
    assert codes == [2, 2]
    assert "erreur inattendue (ValueError)" in err and "Traceback" not in err
    reports = sorted(set(folder.glob("aap-erreur-*.txt")) - {other})
    assert len(reports) == 2  # one per crash, never the same file
    for report in reports:
        assert str(report) in plain(err)
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        text = report.read_text(encoding="utf-8")
        assert "Jean Dupont" not in text
        assert __version__ in text and "montrer" in text and "ValueError" in text and "boom" in text
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert other.read_text() == "un rapport précédent"
    assert shared_report.read_text() == "le fichier d'un autre"
    assert not [p for p in (crash / "shared").iterdir() if p != shared_report]


def test_crash_report_that_cannot_be_written_still_gives_the_message(crash, monkeypatch, capsys):
    from assistant.cli import main

    # The cache folder's place is a file: no folder can be made there.
    (crash / "occupied").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(crash / "occupied"))
    monkeypatch.setenv("HOME", str(crash / "occupied"))
    monkeypatch.setenv("LOCALAPPDATA", str(crash / "occupied"))
    assert main(["montrer", "Jean Dupont"]) == 2
    err = capsys.readouterr().err
    assert "erreur inattendue (ValueError)" in err
    assert "Le détail est dans" not in err and "Traceback" not in err
    assert not list((crash / "shared").iterdir())


# -- 8. odd widths and long paths ----------------------------------------------------------------


@pytest.mark.parametrize("shape", ["one-long-component", "many-long-components"])
def test_a_very_long_store_path_is_no_crash(shape, tmp_path):
    if shape == "one-long-component":
        folder = tmp_path / ("d" * 300)
    else:
        folder = tmp_path.joinpath(*[c * 200 for c in "abc"])
    filled = run_aap("remplir", "--reponses", str(EXAMPLE), "--dossiers", str(folder))
    for args in (["liste"], ["montrer", "exemple"], ["verifier", "exemple", *BEFORE_DEADLINE]):
        result = run_aap(*args, "--dossiers", str(folder), env={"COLUMNS": "60"})
        assert result.returncode in (0, 2), (args, result.stderr)
        assert "erreur inattendue" not in result.stderr and "Traceback" not in result.stderr
        if result.returncode == 2:
            assert "trop long" in result.stderr or filled.returncode == 2, result.stderr
    if filled.returncode == 0:
        shown = run_aap("montrer", "exemple", "--dossiers", str(folder), env={"COLUMNS": "60"})
        assert shown.returncode == 0 and "930000427" in shown.stdout


@pytest.mark.parametrize("columns", ["1", "3", "0", "-4", "abc", "100000000"])
def test_any_width_is_no_crash_and_no_flood(columns, store):
    started = time.monotonic()
    result = run_bytes("montrer", "exemple", "--dossiers", str(store), env=_env(COLUMNS=columns), timeout=30)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30
    assert len(result.stdout) < 5_000_000
    if columns not in ("1", "3"):
        assert b"930000427" in result.stdout
