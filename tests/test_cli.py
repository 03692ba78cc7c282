"""The command as a user runs it: French help, exit codes, no traceback, light start-up."""

from __future__ import annotations

import subprocess
import sys

from conftest import plain, run_aap, run_aap_process


def test_help_is_french():
    result = run_aap("--help")
    assert result.returncode == 0
    assert "utilisation : aap" in result.stdout
    assert "afficher cette aide et quitter" in result.stdout
    assert "usage:" not in result.stdout


def test_subcommand_help_is_french():
    result = run_aap("appels", "--help")
    assert result.returncode == 0 and "--valider" in result.stdout and "utilisation" in result.stdout


def test_french_whatever_lang_says():
    # A new process: LANG and LANGUAGE are what gettext would read at start-up.
    result = run_aap_process("--help", env={"LANG": "en_US.UTF-8", "LANGUAGE": "en"})
    assert "utilisation : aap" in result.stdout


def test_english_switch():
    result = run_aap("--langue", "en", "nimportequoi")
    assert result.returncode == 2
    assert "usage: aap" in plain(result.stderr) and "invalid choice" in plain(result.stderr)


def test_unknown_command_is_bad_usage_in_french():
    # The exit code and the stderr of the real process, as a shell sees them.
    result = run_aap_process("nimportequoi")
    assert result.returncode == 2
    assert "aap : erreur : argument COMMANDE : choix invalide" in plain(result.stderr)
    assert "Traceback" not in plain(result.stderr)


def test_unknown_language_from_environment():
    result = run_aap("appels", env={"AAP_LANGUE": "klingon"})
    assert result.returncode == 2 and "langue inconnue « klingon »" in plain(result.stderr)


def test_appels_lists_both_calls():
    result = run_aap("appels")
    assert result.returncode == 0
    assert "idf-2022-actes-interventionnels" in result.stdout
    assert "bretagne-2025-chirurgie-ambulatoire" in result.stdout
    assert "40\u202f000,00\u00a0€" in result.stdout and "21 octobre 2022" in result.stdout


def test_help_imports_neither_docx_nor_prompt_toolkit_nor_rich():
    code = (
        "import sys\n"
        "from assistant.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('docx', 'prompt_toolkit', 'rich', 'pydantic', 'babel') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_core_never_imports_rich_or_prompt_toolkit():
    code = (
        "import sys\n"
        "import assistant.loading, assistant.parsing, assistant.values, assistant.lint, assistant.flow\n"
        "import assistant.asking, assistant.checks, assistant.store, assistant.answers, assistant.word.document\n"
        "import assistant.export, assistant.dossier\n"
        "assistant.loading.load_all()\n"
        "print([m for m in ('rich', 'prompt_toolkit') if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
