"""French by default, English complete: real runs in each language contain none of the other
language's fixed text; questionnaire texts carry their translations; formats follow the language."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from builders import IDF, example_answers
from conftest import FIXTURES, ROOT, run_aap
from docx import Document
from test_dialogue import play

from assistant import i18n, loading
from assistant.asking import Command, command_of, parse_group_action
from assistant.errors import InvalidAnswer
from assistant.model import Appel
from assistant.numeric import parse_amount

IDF_FILE = ROOT / "questionnaires" / f"{IDF}.yaml"
_MARKUP = re.compile(r"\{[^{}]*\}|\[/?[a-z ]*\]|%\(\w+\)[sr]|%[sr]|\n")
_EDGES = " :;,.!?«»“”()—–-·›/'’…%*"


# -- what counts as a language's fixed text ---------------------------------------------------------

def _catalog(lang: str) -> dict:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "aap.po").open("rb") as handle:
        return {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.string for m in read_po(handle) if m.id}


def _forms(string) -> list[str]:
    return list(string) if isinstance(string, tuple | list) else [string]


def _questionnaire_pairs(node) -> list[tuple[str, str]]:
    """Every {fr, en} text of a questionnaire's raw data."""
    if isinstance(node, dict):
        if set(node) == {"fr", "en"}:
            return [(node["fr"], node["en"])]
        return [pair for value in node.values() for pair in _questionnaire_pairs(value)]
    if isinstance(node, list):
        return [pair for value in node for pair in _questionnaire_pairs(value)]
    return []


@cache
def _pairs() -> tuple[tuple[str, str], ...]:
    french, english = _catalog("fr"), _catalog("en")
    # Commands and group actions (« retour », « ajouter ») are also everyday words: left out.
    pairs = [(f, e) for key in french if key[0] is None for f, e in zip(_forms(french[key]), _forms(english[key]))]
    pairs += _questionnaire_pairs(yaml.safe_load(IDF_FILE.read_text(encoding="utf-8")))
    return tuple(pairs)


def _fragments(text: str) -> set[str]:
    """The literal pieces of a message between its placeholders, long enough to be telling."""
    pieces = (piece.strip(_EDGES) for piece in _MARKUP.split(text))
    return {p for p in pieces if len(p) >= 6 and re.search(r"[^\W\d_]{3}", p)}


@cache
def foreign_text(shown: str) -> tuple[str, ...]:
    """Fragments of the other language's fixed text that the same text in `shown` never contains."""
    own = "\n".join(pair[0 if shown == "fr" else 1] for pair in _pairs())
    other = [pair[1 if shown == "fr" else 0] for pair in _pairs()]
    return tuple(sorted({f for text in other for f in _fragments(text) if f not in own}))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def assert_no_foreign_text(output: str, shown: str) -> None:
    flat = _flat(output)
    found = [f for f in foreign_text(shown) if re.search(r"(?<!\w)" + re.escape(_flat(f)) + r"(?!\w)", flat)]
    assert found == [], f"{'English' if shown == 'fr' else 'French'} text in the {shown} output: {found}"


def test_the_detector_finds_each_languages_words():
    # The check below would be empty-handed if the fragments were: it must catch a real sentence.
    with pytest.raises(AssertionError):
        assert_no_foreign_text("Vérifications : Bloquant : 0", "en")
    with pytest.raises(AssertionError):
        assert_no_foreign_text("Checks: Blocking: 0", "fr")
    with pytest.raises(AssertionError):
        assert_no_foreign_text("Présentation détaillée du budget", "en")


# -- real runs ---------------------------------------------------------------------------------------

COMMANDS = ("appels", "liste", "nouveau", "reprendre", "dupliquer", "remplir", "verifier", "exporter", "demo", "montrer")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_help_speaks_one_language(lang):
    outputs = [run_aap("--langue", lang, "--help")] + [run_aap("--langue", lang, c, "--help") for c in COMMANDS]
    assert all(o.returncode == 0 for o in outputs)
    text = "\n".join(o.stdout for o in outputs)
    assert ("show this help and exit" in text) == (lang == "en")
    assert_no_foreign_text(text, lang)


def test_language_from_the_environment_and_unknown_language():
    assert "list your dossiers" in run_aap("--help", env={"AAP_LANGUE": "en"}).stdout
    assert "lister vos dossiers" in run_aap("--langue", "fr", "--help", env={"AAP_LANGUE": "en"}).stdout
    refused = run_aap("liste", env={"AAP_LANGUE": "de"})
    assert refused.returncode == 2 and "langue inconnue « de »" in refused.stderr.replace("\u00a0", " ")


def _faulty_answers() -> dict:
    """The example with a finding from nearly every rule: cap, sums, roles, commitments, scope."""
    answers = example_answers()
    answers["montant_demande"] = "45000"
    answers["depenses"][0]["part_ars"] = str(Decimal(answers["depenses"][0]["montant"].replace(" ", "")) + 1)
    answers["equipe"] = answers["equipe"][:1]
    answers["equipe"][0]["role"] = "à définir"
    answers["engagements"] = answers["engagements"][:2]
    answers["documents_patients"] = answers["documents_patients"][:1]
    answers["autorisation"] = False
    del answers["affectation"], answers["contexte"]
    return answers


@pytest.fixture(scope="module")
def dossiers(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("langues")
    env = {"AAP_DOSSIERS": str(folder / "dossiers")}
    for name, answers in (("propre", example_answers()), ("faute", _faulty_answers())):
        path = folder / f"{name}.yaml"
        path.write_text(yaml.safe_dump({"appel": IDF, "nom": name, "reponses": answers}, allow_unicode=True),
                        encoding="utf-8")
        assert run_aap("remplir", "--reponses", str(path), env=env).returncode == 0
    return env


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_verifier_report_speaks_one_language(dossiers, lang):
    result = run_aap("--langue", lang, "verifier", "faute", env=dossiers)
    assert result.returncode == 1
    if lang == "en":
        assert "Blocking" in result.stdout and "€45,000.00" in result.stdout and "October 21, 2022" in result.stdout
    else:
        assert "Bloquant" in result.stdout and "45 000,00 €" in _flat(result.stdout)
    assert_no_foreign_text(result.stdout, lang)


def _document_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def _answer_texts() -> list[str]:
    """The example's own words (French, whatever the interface's language), left out of the scan."""
    texts: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            texts.append(node)
            # The document may quote an answer in part (the summary keeps its first paragraphs).
            texts.extend(line.strip(" -–•") for line in node.split("\n") if line.strip())
    walk(example_answers())
    return sorted(texts, key=len, reverse=True)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_review_document_speaks_one_language(dossiers, tmp_path, lang):
    path = tmp_path / f"{lang}.docx"
    result = run_aap("--langue", lang, "exporter", "faute", "--sortie", str(path), env=dossiers)
    assert result.returncode == 0, result.stderr
    document = Document(str(path))
    assert document.core_properties.language == {"fr": "fr-FR", "en": "en-US"}[lang]
    text = _document_text(path)
    for answer in _answer_texts():
        text = text.replace(answer, " ")
    expected = {"fr": ("État du dossier", "Synthèse du projet", "[À compléter]"),
                "en": ("Working version", "[To be completed]", "€45,000.00")}[lang]
    assert all(word in text for word in expected)
    assert_no_foreign_text(text, lang)


def test_submission_document_is_french_whatever_the_language(dossiers, tmp_path):
    path = tmp_path / "depot.docx"
    result = run_aap("--langue", "en", "exporter", "propre", "--depot", "--date", "2022-10-20", "--sortie", str(path),
                     env=dossiers)
    assert result.returncode == 0, result.stderr
    assert "The submission version is in French" in result.stdout
    document = Document(str(path))
    assert document.core_properties.language == "fr-FR"
    text = _document_text(path)
    assert "Présentation détaillée du budget" in text and "40 000,00 €" in _flat(text)
    assert_no_foreign_text(text, "fr")


def test_dupliquer_to_another_call_names_the_other_call(dossiers):
    result = run_aap("dupliquer", "propre", "copie", "--appel", "bretagne-2025-chirurgie-ambulatoire", env=dossiers)
    assert result.returncode == 0
    said = _flat(result.stdout + result.stderr)
    assert "que cet appel ne pose pas" in said and "ne pose plus" not in said


# -- questionnaire texts ----------------------------------------------------------------------------

def test_questionnaire_texts_follow_the_language_and_fall_back_to_french():
    french = loading.find_appel(IDF)
    with i18n.use_language("en"):
        english = loading.find_appel(IDF)
        bretagne = loading.find_appel("bretagne-2025-chirurgie-ambulatoire")
    assert french.sections[2].title == "Présentation détaillée du budget"
    assert english.sections[2].title == "Detailed budget"
    assert english.question("statut_juridique").choices[0].label == "Public health institution"
    cap = next(rule for rule in english.rules if rule.id == "plafond_subvention")
    assert cap.message.startswith("Amount requested") and cap.source and cap.source.startswith("The institutions selected")
    assert english.question("etablissement").example == french.question("etablissement").example
    # No translation in the Breton call: its French texts are shown.
    assert bretagne.title == loading.find_appel("bretagne-2025-chirurgie-ambulatoire").title
    # One questionnaire, one fingerprint, whatever the language it was read in.
    assert english.fingerprint == french.fingerprint


def _with_title(title) -> dict:
    data = yaml.safe_load((FIXTURES / "questionnaires" / "valide.yaml").read_text(encoding="utf-8"))
    data["titre"] = title
    return data


@pytest.mark.parametrize("title, problem", [
    ({"fr": "Titre", "de": "Titel"}, "« titre » : langue inconnue « de »"),
    ({"en": "Title"}, "le texte français (fr) est obligatoire"),
    ({"fr": "Titre", "en": ["Title"]}, "chaque traduction est un texte"),
])
def test_badly_translated_texts_are_reported_at_their_place(tmp_path, title, problem):
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(_with_title(title), allow_unicode=True), encoding="utf-8")
    problems, appel = loading.check_file(path)
    assert appel is None and any(problem in p.replace("\u00a0", " ") for p in problems), problems


def test_valider_checks_every_language(tmp_path):
    data = _with_title("Titre")
    rule = {"id": "echeance", "type": "date_limite", "gravite": "avertissement", "source": "Au plus tard le 21 octobre.",
            "message": {"fr": "Date limite : {date}.", "en": "Deadline: {jour}."}}
    data["regles"] = [rule]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert loading.check_file(path)[0] == []  # French alone is fine
    result = run_aap("appels", "--valider", str(path))
    assert result.returncode == 2 and "[en]" in result.stdout + result.stderr and "jour" in result.stdout + result.stderr
    # The English text is checked, the problem is said in the user's language (French here).
    assert "le message emploie {jour}" in result.stderr


def test_translations_do_not_change_the_french_questionnaire():
    data = yaml.safe_load(IDF_FILE.read_text(encoding="utf-8"))
    french_only = yaml.safe_load(yaml.safe_dump(data))

    def drop_english(node):
        if isinstance(node, dict):
            if set(node) == {"fr", "en"}:
                return node["fr"]
            return {k: drop_english(v) for k, v in node.items()}
        if isinstance(node, list):
            return [drop_english(v) for v in node]
        return node
    assert Appel.from_data(drop_english(french_only)).model_dump() == Appel.from_data(data).model_dump()


# -- formats, commands and answers in English -----------------------------------------------------

def test_formats_follow_the_language():
    assert i18n.format_amount(Decimal("40000")) == "40\u202f000,00\u00a0€"
    assert i18n.format_date(date(2022, 10, 21)) == "21 octobre 2022"
    assert i18n.format_percent(62) == "62\u00a0%"
    with i18n.use_language("en"):
        assert i18n.format_amount(Decimal("40000")) == "€40,000.00"
        assert i18n.format_date(date(2022, 10, 21)) == "October 21, 2022"
        assert i18n.format_percent(Decimal("62.5")) == "62.5%"
        assert _flat(i18n.format_datetime(datetime(2022, 10, 21, 14, 5))) == "October 21, 2022, 2:05 PM"
    assert i18n.language() == "fr"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ambiguous_amount_hints_parse_to_what_they_promise(lang):
    # Regression: in English the hint said to write « 40,000 », the very thing refused.
    with i18n.use_language(lang):
        with pytest.raises(InvalidAnswer) as refused:
            parse_amount("40,000")
        hints = re.findall(r"[«“]\s*([^»”]+?)\s*[»”]", str(refused.value))[1:]
        assert [parse_amount(hint) for hint in hints] == [Decimal("40000.00"), Decimal("40.00")]


def test_commands_and_group_actions_in_english_keep_their_french_names():
    with i18n.use_language("en"):
        assert command_of("/back") == command_of("/retour") == Command("retour")
        assert command_of("/undo") == Command("annuler")
        assert parse_group_action("r 2", 3) == parse_group_action("s 2", 3) == ("s", 2)
        assert parse_group_action("e 1", 3) == ("m", 1)
        assert parse_group_action("done", 3) == ("t", None)
        with pytest.raises(InvalidAnswer, match="/help /back /skip"):
            command_of("/nothing")
    with pytest.raises(InvalidAnswer):
        command_of("/back")  # the English names are not French words


def test_dialogue_in_english():
    from assistant.dossier import Dossier

    with i18n.use_language("en"):
        appel = loading.find_appel(IDF)
        dossier = Dossier.new("essai", appel)
        section = appel.section_of("montant_demande")
        dossier.position = dossier.position.model_copy(update={"section": section.id, "question": "montant_demande"})
        # Refused, the text stays for correction: Ctrl-U clears it.
        _outcome, dossier, screen = play("40,000\r\x1540000\r/back\r\r/quit\r", dossier)
    assert dossier.get("montant_demande") == Decimal("40000.00")
    assert "Amount of aid requested from the ARS" in screen
    assert "Saved answer offered" in screen and "Example: 40 000" in _flat(screen)
    assert_no_foreign_text(screen, "en")
