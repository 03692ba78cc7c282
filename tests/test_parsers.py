"""Every parser: accepted inputs, refused inputs, and properties (no input makes a parser raise
anything but InvalidAnswer; amounts survive a round-trip through babel's French formatting)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import parsing
from assistant.errors import InvalidAnswer
from assistant.identifiers import parse_finess, parse_siret
from assistant.model import Choice, FieldType, Question


def refused(parser, raw) -> str:
    with pytest.raises(InvalidAnswer) as caught:
        parser(raw)
    return caught.value.message


@pytest.mark.parametrize("raw, expected", [
    ("40000", "40000.00"), ("40 000", "40000.00"), ("40 000,50", "40000.50"),
    ("40 000,50 €", "40000.50"), ("40.000,50", "40000.50"), ("40\u202f000,50", "40000.50"),
    ("40\u00a0000,50\u00a0€", "40000.50"), ("1 234 567", "1234567.00"), ("1.234.567", "1234567.00"),
    ("40000,5", "40000.50"), ("40000.50", "40000.50"), ("0", "0.00"), ("12 EUR", "12.00"),
    ("40 000 euros", "40000.00"), (40000, "40000.00"), (1500.5, "1500.50"), ("1,234.56", "1234.56"),
])
def test_amount_accepts_what_french_users_type(raw, expected):
    assert parsing.parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "-5", "−5", "1e5", "NaN", "inf", "12,3456", "4 0000", "40000,",
                                 "", "   ", "1.234.56", float("nan"), float("inf"), True, None, [1]])
def test_amount_refuses_nonsense(raw):
    refused(parsing.parse_amount, raw)


def test_negative_amount_message():
    assert "négatif" in refused(parsing.parse_amount, "-40 000")


def test_amount_ambiguous_thousands_propose_both_readings():
    message = refused(parsing.parse_amount, "40.000")
    assert "ambigu" in message and "40\u202f000" in message and "40,00" in message
    assert "ambigu" in refused(parsing.parse_amount, "40,000")


def test_amount_more_than_two_decimals():
    message = refused(parsing.parse_amount, "12,345")
    assert "deux décimales au plus" in message and "12\u202f345" in message


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False,
                   allow_infinity=False))
def test_amount_round_trips_through_babel_french_formatting(amount):
    assert parsing.parse_amount(format_currency(amount, "EUR", locale="fr_FR")) == amount
    assert parsing.parse_amount(format_decimal(amount, locale="fr_FR")) == amount


@pytest.mark.parametrize("raw, expected", [("0,3", "0.3"), ("0.3", "0.3"), ("12", "12"), ("-1,5", "-1.5"),
                                           ("1 200,5", "1200.5"), (0.25, "0.25")])
def test_decimal_accepts_comma_or_point(raw, expected):
    assert parsing.parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["0,3,4", "abc", "1e3", "nan", "", "1,2.3"])
def test_decimal_refuses(raw):
    refused(parsing.parse_decimal, raw)


def test_integer_and_percentage():
    assert parsing.parse_integer("1 200") == 1200
    assert parsing.parse_integer(" 42 ") == 42
    assert "entier" in refused(parsing.parse_integer, "1,5")
    assert parsing.parse_percentage("12,5 %") == Decimal("12.5")
    refused(parsing.parse_integer, 2.5)


@pytest.mark.parametrize("raw", ["21/10/2022", "2022-10-21", "21 octobre 2022", "21 Octobre 2022", "21-10-2022",
                                 "21.10.2022", "21/10/22", "21 oct. 2022", date(2022, 10, 21)])
def test_date_accepts(raw):
    assert parsing.parse_date(raw) == date(2022, 10, 21)


def test_date_first_of_month_and_accents():
    assert parsing.parse_date("1er février 2023") == date(2023, 2, 1)
    assert parsing.parse_date("15 aout 2023") == date(2023, 8, 15)


@pytest.mark.parametrize("raw", ["31/02/2023", "32/01/2023", "hier", "21 brumaire 2022", "2022/10/21x", "", "21/10/1066"])
def test_date_refuses(raw):
    refused(parsing.parse_date, raw)


def test_impossible_date_says_so():
    assert "n'existe pas" in refused(parsing.parse_date, "31/02/2023")


@pytest.mark.parametrize("raw", ["130783293", "290000017", "750712184", "75 071 2184", "930110051"])
def test_finess_valid(raw):
    assert parse_finess(raw) == raw.replace(" ", "")


def _finess_with_key(prefix: str) -> str:
    """Complete 8 characters with the Luhn key, the way the FINESS file does (2A→21, 2B→22)."""
    from assistant.identifiers import luhn_valid

    digits = {"2A": "21", "2B": "22"}.get(prefix[:2], prefix[:2]) + prefix[2:]
    return prefix + next(str(k) for k in range(10) if luhn_valid(digits + str(k)))


def test_finess_corse_uses_21_and_22_for_the_key():
    for prefix in ("2A000123", "2b000123"):
        number = _finess_with_key(prefix.upper())
        assert parse_finess(number.lower()) == number


@pytest.mark.parametrize("raw, reason", [
    ("130783294", "clé"), ("12345", "9 caractères"), ("00 0000000", "département"),
    ("2C0000001", "FINESS"), ("1307832９3", "FINESS"), ("96 0000000", "département"),
])
def test_finess_refused(raw, reason):
    assert reason in refused(parse_finess, raw)


@pytest.mark.parametrize("raw", ["732 829 320 00074", "73282932000074", "35600000000048", "35600000049837",
                                 "26750045200011"])
def test_siret_valid(raw):
    assert parse_siret(raw) == raw.replace(" ", "")


@pytest.mark.parametrize("raw", ["73282932000075", "7328293200007", "abcdefghijklmn", "35600000049838"])
def test_siret_refused(raw):
    refused(parse_siret, raw)


@pytest.mark.parametrize("raw, expected", [
    ("+33 1 44 02 00 00", "01 44 02 00 00"), ("01.44.02.00.00", "01 44 02 00 00"),
    ("0144020000", "01 44 02 00 00"), ("+33 (0)1 44 02 00 00", "01 44 02 00 00"),
    ("0033 6 12 34 56 78", "06 12 34 56 78"), ("06-12-34-56-78", "06 12 34 56 78"),
])
def test_phone(raw, expected):
    assert parsing.parse_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "+44 20 7946 0958", "0012", "00 00 00 00 00", "numéro"])
def test_phone_refused(raw):
    refused(parsing.parse_phone, raw)


def test_email():
    assert parsing.parse_email(" Claire.Martin@CH-Exemple.FR ") == "Claire.Martin@ch-exemple.fr"
    for raw in ["claire", "claire@", "@ch.fr", "claire@ch", "a b@ch.fr", "claire..m@ch.fr"]:
        refused(parsing.parse_email, raw)


@pytest.mark.parametrize("raw, expected", [("o", True), ("Oui", True), ("y", True), ("yes", True),
                                           ("n", False), ("NON", False), ("no", False), (True, True)])
def test_yes_no(raw, expected):
    assert parsing.parse_yes_no(raw) is expected


def test_yes_no_refused():
    assert "oui ou non" in refused(parsing.parse_yes_no, "peut-être")


def test_text_removes_control_characters_and_keeps_paragraphs():
    assert parsing.parse_text("  Centre\x00 hospitalier\x1b  \n de X ") == "Centre hospitalier de X"
    assert parsing.parse_long_text("Premier.\r\n\r\nSecond\x07 paragraphe.\n\n\n\nFin") == \
        "Premier.\n\nSecond paragraphe.\n\nFin"
    assert parsing.parse_long_text("a\ud800b") == "ab"
    refused(parsing.parse_text, " \x00 ")


CHOICE = Question(id="statut", libelle="Statut", type=FieldType.CHOICE,
                  choix=(Choice(id="public", libelle="Établissement public"), Choice(id="prive", libelle="Privé")))
MULTI = CHOICE.model_copy(update={"type": FieldType.MULTIPLE_CHOICE})


def test_choice_by_id_label_or_number():
    assert parsing.parse_answer(CHOICE, "public") == "public"
    assert parsing.parse_answer(CHOICE, "etablissement PUBLIC") == "public"
    assert parsing.parse_answer(CHOICE, "2") == "prive"
    assert "choix possible" in refused(lambda raw: parsing.parse_answer(CHOICE, raw), "mixte")


def test_multiple_choice_keeps_questionnaire_order():
    assert parsing.parse_answer(MULTI, "2, public") == ["public", "prive"]
    assert parsing.parse_answer(MULTI, ["prive", "prive"]) == ["prive"]
    refused(lambda raw: parsing.parse_answer(MULTI, raw), [])


def test_path_strips_drag_and_drop_quotes():
    assert parsing.parse_path("'/tmp/devis signé.pdf'") == "/tmp/devis signé.pdf"


def test_limits():
    question = Question(id="etp", libelle="ETP", type=FieldType.DECIMAL, min=Decimal(0), max=Decimal(1))
    assert parsing.parse_answer(question, "0,5") == Decimal("0.5")
    assert "au plus" in refused(lambda raw: parsing.parse_answer(question, raw), "1,5")
    percent = Question(id="taux", libelle="Taux", type=FieldType.PERCENTAGE)
    refused(lambda raw: parsing.parse_answer(percent, raw), "120 %")
    short = Question(id="titre", libelle="Titre", type=FieldType.TEXT, longueur_max=5)
    assert "5 au plus" in refused(lambda raw: parsing.parse_answer(short, raw), "trop long")


GROUP = Question(id="depenses", libelle="Dépenses", type=FieldType.GROUP, min_elements=1, champs=(
    Question(id="libelle", libelle="Libellé", type=FieldType.TEXT),
    Question(id="montant", libelle="Montant", type=FieldType.AMOUNT),
    Question(id="note", libelle="Note", type=FieldType.TEXT, obligatoire=False),
))


def test_group_parses_items_and_reports_every_problem_with_its_place():
    items = parsing.parse_answer(GROUP, [{"libelle": "IDE", "montant": "18 000"}])
    assert items == [{"libelle": "IDE", "montant": Decimal("18000.00")}]
    with pytest.raises(InvalidAnswer) as caught:
        parsing.parse_answer(GROUP, [{"libelle": "A", "montant": "1"}, {"libelle": "B", "montant": "12,345"},
                                     {"montant": "5", "couleur": "bleu"}])
    details = caught.value.details
    assert any(d.startswith("[2].montant: « 12,345 » n'est pas un montant valide (deux décimales au plus)") for d in details)
    assert any(d.startswith("[3].couleur: champ inconnu") for d in details)
    assert "[3].libelle: réponse obligatoire" in details


ALL_TYPES = [t for t in FieldType if t not in (FieldType.GROUP, FieldType.CHOICE, FieldType.MULTIPLE_CHOICE)]
ANYTHING = st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans(), st.decimals(),
                     st.lists(st.text(), max_size=3), st.dates())


@pytest.mark.parametrize("kind", [*ALL_TYPES, FieldType.CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.GROUP])
@settings(max_examples=150, deadline=None)
@given(raw=ANYTHING)
def test_no_input_makes_a_parser_raise_anything_but_its_own_error(kind, raw):
    question = {FieldType.CHOICE: CHOICE, FieldType.MULTIPLE_CHOICE: MULTI, FieldType.GROUP: GROUP}.get(
        kind, Question(id="q", libelle="Q", type=kind))
    try:
        parsing.parse_answer(question, raw)
    except InvalidAnswer as error:
        assert error.message


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("0123456789 ,.€\u202f\u00a0-"), max_size=20))
def test_amount_parser_only_raises_invalid_answer_on_amount_like_text(raw):
    try:
        value = parsing.parse_amount(raw)
    except InvalidAnswer:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))


@given(st.text())
def test_cleaned_text_has_no_control_characters(raw):
    cleaned = parsing.clean_text(raw)
    assert all(c in "\n\t" or not (ord(c) < 32 or 0x7F <= ord(c) <= 0x9F) for c in cleaned)
    cleaned.encode("utf-8")  # no lone surrogate left
