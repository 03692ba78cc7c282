"""French typography (assistant.typography), real Word lists (assistant.word.lists), and the
display of years, SIRET numbers and first days of a month."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from datetime import date
from decimal import Decimal

import pytest
import yaml
from builders import EXAMPLE, ROOT
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import i18n, loading
from assistant.errors import InvalidAnswer
from assistant.model import Question
from assistant.parsing import parse_answer, parse_date
from assistant.typography import NBSP, NNBSP, Block, blocks, french
from assistant.values import display, siret
from assistant.word.lists import add_list_item, new_list
from assistant.word.ooxml import add_paragraph

BRETAGNE = ROOT / "questionnaires" / "bretagne-2025-chirurgie-ambulatoire.yaml"

# -- french: the rules, by example ---------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    # the apostrophe between two letters
    ("l'ARS et aujourd'hui", "l’ARS et aujourd’hui"),
    ("'cité' et 4'", "'cité' et 4'"),
    # straight double quotes, and the spaces inside « »
    ('il a dit "bonjour" puis "au revoir".', f"il a dit «{NBSP}bonjour{NBSP}» puis «{NBSP}au revoir{NBSP}»."),
    ('("ok")', f"(«{NBSP}ok{NBSP}»)"),
    ("« ARS »", f"«{NBSP}ARS{NBSP}»"),
    ("«ARS»", f"«{NBSP}ARS{NBSP}»"),
    ('un écran de 5" et a"b', 'un écran de 5" et a"b'),
    # : takes a no-break space, ; ! ? a narrow one; typed or not
    ("Objectif: offrir", f"Objectif{NBSP}: offrir"),
    ("Objectif : offrir", f"Objectif{NBSP}: offrir"),
    ("Pourquoi? Parce que! Oui; non", f"Pourquoi{NNBSP}? Parce que{NNBSP}! Oui{NNBSP}; non"),
    ("Vraiment ?!", f"Vraiment{NNBSP}?!"),
    ('"quoi?"', f"«{NBSP}quoi{NNBSP}?{NBSP}»"),
    # …but not in times, ratios, schemes, code or Windows paths
    ("à 10:30, ratio 1:2, a;b", "à 10:30, ratio 1:2, a;b"),
    ("https: le protocole", "https: le protocole"),
    # numbers: grouped thousands, joined units
    ("40 000 €", f"40{NNBSP}000{NBSP}€"),
    ("1 250 000,50 euros", f"1{NNBSP}250{NNBSP}000,50{NBSP}euros"),
    ("50% et 40k€", f"50{NBSP}% et 40{NBSP}k€"),
    ("2 400 actes par an", f"2{NNBSP}400 actes par an"),
    # never a year, a phone number, a FINESS or a number of more than three digits
    ("en 2024, au 01 49 33 00 00, FINESS 930000427, 12345 678",
     "en 2024, au 01 49 33 00 00, FINESS 930000427, 12345 678"),
    # a SIRET shown by values.display keeps its word spaces
    (f"267{NBSP}500{NBSP}452{NBSP}00011", f"267{NBSP}500{NBSP}452{NBSP}00011"),
])
def test_french_rules(typed, expected):
    assert french(typed) == expected


@pytest.mark.parametrize("kept", [
    "https://www.ars.sante.fr/appel?id=1;x=2",
    "www.demarches-simplifiees.fr/commencer/l'appel",
    "l'x.y@chi-villeneuve.example.fr",
    "mailto:claire.martin@x.fr",
    "`a = \"b\";`",
    "/home/claire/l'annexe: 1",
    "C:\\Users\\l'ARS\\dossier",
])
def test_code_addresses_and_paths_are_left_as_typed(kept):
    text = f"Voir {kept} ; merci"
    assert french(text) == f"Voir {kept}{NNBSP}; merci"


def test_a_web_address_in_quotes_or_before_a_colon():
    assert french('Plateforme: "https://x.fr/a".') == f"Plateforme{NBSP}: «{NBSP}https://x.fr/a{NBSP}»."
    assert french("https://x.fr: voir") == f"https://x.fr{NBSP}: voir"


def test_french_leaves_a_text_without_marks_as_it_is():
    text = "Centre hospitalier intercommunal de Villeneuve-sur-Seine"
    assert french(text) is text or french(text) == text


# -- french: properties ---------------------------------------------------------------------------

_PIECES = [*"aBé1 0\u00a0\u202f\t\n'\"«»;:!?%€‰.,()[]/@`-’kM\\_\u2009\ue000x~",
           "https://", "www.", "euros", "EUR", "000", " 000", "l'", "10:30", "C:\\", "~/", "mailto:", "http", "k€", "1 234"]
_TEXTS = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=50).map("".join), st.text(max_size=50))
_SPACES_AND_QUOTES = re.compile("[\\s\u00a0\u202f\u2009'\"’«»]")


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(_TEXTS)
def test_french_is_idempotent_and_keeps_every_letter_and_digit(text):
    once = french(text)
    assert french(once) == once
    # Only spaces and quotation marks change: what remains is the same, in the same order.
    assert _SPACES_AND_QUOTES.sub("", once) == _SPACES_AND_QUOTES.sub("", text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["l'ARS", "dit", '"oui"', "à", "40 000", "€", ":", "?", "https://x.fr/a?b=1",
                                 "x@y.fr", "10:30", "«", "»"]), max_size=20).map(" ".join))
def test_addresses_survive_in_any_sentence(text):
    result = french(text)
    for address in ("https://x.fr/a?b=1", "x@y.fr", "10:30"):
        assert result.count(address) == text.count(address)


def test_french_is_fast_on_a_long_answer():
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["reponses"]
    prose = "\n\n".join(v for v in answers.values() if isinstance(v, str) and len(v) > 200)
    text = (prose * (10_000 // len(prose) + 1))[:10_000]
    start = time.perf_counter()
    for _ in range(20):
        french(text + "x")  # not the cache
        blocks(text)
    per_call = (time.perf_counter() - start) / 20
    assert per_call < 0.02  # measured: about 1 ms for both on 10 kB


# -- blocks ----------------------------------------------------------------------------------------


def _example(question: str) -> str:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["reponses"][question]


def test_the_example_objectives_are_two_paragraphs_and_a_bulleted_list():
    result = blocks(_example("objectifs"))
    assert [b.kind for b in result] == ["paragraph", "paragraph"] + ["bullet"] * 4
    assert result[0].text.startswith("Objectif général : offrir aux patients de radiologie interventionnelle une")
    assert "\n" not in result[0].text  # prose wrapped in the file, joined
    assert result[2].text == ("formaliser le parcours patient : charte et chemin clinique par acte validés par la "
                              "CME avant le 31 mars 2023 ; passeport ambulatoire remis à 100 % des patients à 6 mois ;")


def test_the_example_patient_path_is_one_numbered_list_with_its_continuation_lines():
    result = blocks(_example("parcours_patient"))
    assert [b.kind for b in result] == ["paragraph"] + ["number"] * 6 and {b.level for b in result[1:]} == {0}
    assert result[1].text.endswith(
        "fiche de l'acte, ordonnance pré-intervention, prescription anticipée du traitement de sortie.")


def test_an_allocation_written_one_item_per_line_keeps_its_lines():
    assert blocks("Personnel : 18 000 €\nFormation : 6 500 €\nÉquipement : 7 000 €") == [
        Block("paragraph", "Personnel : 18 000 €\nFormation : 6 500 €\nÉquipement : 7 000 €")]
    affectation = blocks(_example("affectation"))
    assert len(affectation) == 1 and affectation[0].text.count("\n") == 5


def test_prose_wrapped_by_a_terminal_is_joined():
    for question in ("contexte", "description_projet", "methode_travail", "information_patient", "evaluation"):
        for block in blocks(_example(question)):
            assert block.kind in ("paragraph", "number") and "\n" not in block.text, question
    assert blocks(_example("evaluation"))[0].text.count("L'infirmière de coordination relève") == 1


def test_lower_case_lines_after_a_colon_or_a_semicolon_are_items_kept_on_their_lines():
    text = "Les dépenses se répartissent entre les postes suivants :\npersonnel : 18 000 € ;\nformation : 6 500 €."
    assert blocks(text) == [Block("paragraph", text)]


def test_lists_kinds_levels_and_markers():
    text = ("Introduction.\n\n- une puce\n– un tiret\n• un point\n* une étoile\n  - une sous-puce\n\t- une autre\n"
            "\n1. premier\n2) deuxième\n   a) détail\n\nUn paragraphe.\n\n1. recommence")
    assert blocks(text) == [
        Block("paragraph", "Introduction."),
        Block("bullet", "une puce"), Block("bullet", "un tiret"), Block("bullet", "un point"),
        Block("bullet", "une étoile"), Block("bullet", "une sous-puce", 1), Block("bullet", "une autre", 1),
        Block("number", "premier"), Block("number", "deuxième"), Block("number", "détail", 1),
        Block("paragraph", "Un paragraphe."),
        Block("number", "recommence"),
    ]


def test_what_is_not_a_list_item():
    text = "2022) et la suite\n-5 % en un an\n*important*\n123. trop long pour un numéro"
    assert [b.kind for b in blocks(text)] == ["paragraph"]


def test_a_list_indented_as_a_whole_starts_at_level_0():
    assert blocks("  - a\n  - b\n    - c") == [Block("bullet", "a"), Block("bullet", "b"), Block("bullet", "c", 1)]


def test_an_item_continues_on_lines_that_do_not_start_a_paragraph():
    text = ("- comparer les résultats à l'état initial (audit de mars\n2022) et à l'objectif\n"
            "- deux\nsuite en minuscules\n- trois\nUne phrase qui n'est plus dans la liste.")
    assert blocks(text) == [
        Block("bullet", "comparer les résultats à l'état initial (audit de mars 2022) et à l'objectif"),
        Block("bullet", "deux suite en minuscules"), Block("bullet", "trois"),
        Block("paragraph", "Une phrase qui n'est plus dans la liste."),
    ]


def test_blocks_of_empty_text_and_windows_line_ends():
    assert blocks("") == [] and blocks(" \n\t\n") == []
    assert blocks("Un.\r\n\r\n- deux\r\n- trois\r") == [Block("paragraph", "Un."), Block("bullet", "deux"),
                                                        Block("bullet", "trois")]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Le", "projet", "crée", "un", "circuit", "l'ARS", "40", "000", "€", ":", ";",
                                 "\n", "\n\n", "  ", "\t", "é"]), max_size=40).map(" ".join))
def test_blocks_keep_every_word_of_a_text_without_list_markers(text):
    result = blocks(text)
    assert all(b.kind == "paragraph" and b.text == b.text.strip() and b.text for b in result)
    assert "".join("".join(b.text.split()) for b in result) == "".join(text.split())


# -- Word lists ------------------------------------------------------------------------------------


def _list_document(texts: list[str] | None = None):
    """A document written as the export writes a long answer: paragraphs, and one Word list per
    run of items."""
    document = Document()
    for text in texts or [_example("objectifs"), _example("parcours_patient"),
                          "Un paragraphe.\n\n1. un\n2. deux\n  - détail\n3. trois\n\nFin.\n\n1. encore un"]:
        current: dict[str, int] = {}
        for block in blocks(text):
            if block.kind == "paragraph":
                current.clear()
                add_paragraph(document, french(block.text))
                continue
            if block.level == 0:
                for kind in [k for k in current if k != block.kind]:
                    del current[kind]
            if block.kind not in current:
                current[block.kind] = new_list(document, block.kind)
            add_list_item(document, french(block.text), block.kind, current[block.kind], block.level)
    return document


def _reopened(document):
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return Document(buffer), buffer.getvalue()


def _numbering(paragraph):
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is None:
        return None
    return numbering.numId.val, numbering.ilvl.val


def test_list_items_are_real_word_lists_each_numbered_list_starting_at_1():
    document, _ = _reopened(_list_document())
    items = [(p.text, _numbering(p), p.style.name) for p in document.paragraphs]
    numbered = [(text, numbering) for text, numbering, _style in items if numbering]
    assert len(numbered) == 4 + 6 + 5
    definitions = {a.get(qn("w:abstractNumId")): a for a in
                   document.part.numbering_part.element.iterchildren(qn("w:abstractNum"))}
    nums = {int(n.get(qn("w:numId"))): n for n in document.part.numbering_part.element.iterchildren(qn("w:num"))}

    def level_format(num_id: int, level: int) -> str:
        abstract = definitions[nums[num_id].find(qn("w:abstractNumId")).get(qn("w:val"))]
        lvl = next(x for x in abstract.iterchildren(qn("w:lvl")) if x.get(qn("w:ilvl")) == str(level))
        return lvl.find(qn("w:numFmt")).get(qn("w:val")) + " " + lvl.find(qn("w:lvlText")).get(qn("w:val"))

    objectives = [n for t, n in numbered[:4]]
    assert len({n[0] for n in objectives}) == 1 and level_format(objectives[0][0], 0) == "bullet •"
    path = [n for t, n in numbered[4:10]]
    assert len({n[0] for n in path}) == 1 and level_format(path[0][0], 0) == "decimal %1."
    last = numbered[10:]
    assert [t for t, _n in last] == ["un", "deux", "détail", "trois", "encore un"]
    one, two, detail, three, again = [n for _t, n in last]
    assert one[0] == two[0] == three[0] and detail[1] == 1 and level_format(detail[0], 1) == "bullet –"
    assert len({path[0][0], one[0], again[0]}) == 3  # three numbered lists, three w:num
    for num_id in (path[0][0], one[0], again[0]):
        override = nums[num_id].find(qn("w:lvlOverride"))
        assert override.get(qn("w:ilvl")) == "0"
        assert override.find(qn("w:startOverride")).get(qn("w:val")) == "1"
    styles = {style for _t, numbering, style in items if numbering}
    assert styles == {"List Bullet", "List Number"}


def test_the_numbering_part_is_valid_and_reproducible():
    _, first = _reopened(_list_document())
    _, second = _reopened(_list_document())
    assert first == second or _parts(first) == _parts(second)
    numbering = Document(io.BytesIO(first)).part.numbering_part.element
    tags = [child.tag for child in numbering]
    # The schema's order: every abstractNum before the first num.
    assert max(i for i, t in enumerate(tags) if t == qn("w:abstractNum")) < tags.index(qn("w:num"))
    ids = [n.get(qn("w:numId")) for n in numbering.iterchildren(qn("w:num"))]
    assert len(ids) == len(set(ids))


def _parts(data: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name.startswith("word/")}


def test_a_line_break_inside_an_item_and_levels_beyond_8():
    document = Document()
    number = new_list(document, "number")
    item = add_list_item(document, "ligne un\nligne deux", "number", number, level=12)
    assert item._p.find(".//" + qn("w:br")) is not None and _numbering(item) == (number, 8)
    with pytest.raises(ValueError):
        add_list_item(document, "x", "bullet", number)
    with pytest.raises(ValueError):
        new_list(document, "tiret")


def test_each_item_costs_the_same_however_long_the_document():
    def timed(count: int) -> float:
        document = Document()
        start = time.perf_counter()
        for n in range(count):
            if n % 10 == 0:
                list_id = new_list(document, "number" if n % 20 else "bullet")
                kind = "number" if n % 20 else "bullet"
            add_list_item(document, f"élément {n}", kind, list_id)
        return time.perf_counter() - start

    timed(100)
    small, large = timed(500), timed(5_000)
    assert large < small * 25  # linear: 10 times the items, about 10 times the time


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext is not installed")
def test_libreoffice_shows_the_lists_numbered_and_restarted(tmp_path):
    document = _list_document(["Avant.\n\n1. un\n2. deux\n   a) sous-point\n3. trois\n\nEntre.\n\n1. encore un\n"
                               "2. encore deux\n\n- une puce\n  - une sous-puce\n\nPourquoi? Parce que: 40 000 €."])
    path = tmp_path / "listes.docx"
    document.save(path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profil'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "listes.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    assert lines == ["Avant.", "1. un", "2. deux", "a) sous-point", "3. trois", "Entre.", "1. encore un",
                     "2. encore deux", "• une puce", "– une sous-puce", "Pourquoi ? Parce que : 40 000 €."]


# -- years, SIRET, FINESS, first days of a month ---------------------------------------------------


def _question(**data) -> Question:
    return Question.model_validate({"id": "q", "libelle": "Q", **data})


def test_a_year_is_shown_without_grouping_and_a_count_with():
    bretagne = loading.read_appel(BRETAGNE)
    year = bretagne.question("annee_reference")
    assert year.grouping is False and display(year, 2024) == "2024"
    assert display(_question(type="entier"), 2024) == f"2{NNBSP}024"
    with pytest.raises(InvalidAnswer) as refused:
        parse_answer(year, "2010")
    assert "2015" in refused.value.message


def test_grouping_is_only_for_integers(tmp_path):
    with pytest.raises(ValueError):
        _question(type="montant", groupement=False)
    assert _question(type="montant", groupement=True).grouping
    data = yaml.safe_load(BRETAGNE.read_text(encoding="utf-8"))
    data["sections"][0]["questions"][0] = {"id": "x", "libelle": "X", "type": "texte", "groupement": False}
    path = tmp_path / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems, appel = loading.check_file(path)
    assert appel is None and any("groupement" in p for p in problems)


def test_siret_is_grouped_and_finess_shown_as_typed():
    question = _question(type="siret")
    value = parse_answer(question, "267 500 452 00011")
    assert value == "26750045200011"
    assert display(question, value) == f"267{NBSP}500{NBSP}452{NBSP}00011" == siret(value)
    assert french(display(question, value)) == display(question, value)
    finess = _question(type="finess")
    assert display(finess, parse_answer(finess, "930000427")) == "930000427"


def test_the_first_day_of_a_month_is_1er_in_french_only():
    assert i18n.format_date(date(2024, 4, 1)) == "1er avril 2024"
    assert i18n.format_date(date(2024, 4, 11)) == "11 avril 2024"
    assert i18n.format_date(date(2024, 4, 21)) == "21 avril 2024"
    assert parse_date(i18n.format_date(date(2024, 4, 1))) == date(2024, 4, 1)
    with i18n.use_language("en"):
        assert i18n.format_date(date(2024, 4, 1)) == "April 1, 2024"
    date_question = _question(type="date")
    assert display(date_question, date(2023, 1, 1)) == "1er janvier 2023"


def test_amounts_keep_babel_spaces_through_french():
    amount = display(_question(type="montant"), Decimal("40000"))
    assert french(amount) == amount == f"40{NNBSP}000,00{NBSP}€"
