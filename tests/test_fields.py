"""Field kinds: one object per field type. Each type's round trip as a property (parse → encode →
decode → display, and the editable text parsed back), the strict reading of saved values (a
value edited by hand is reported and asked again, never reinterpreted), and an answer parsed
once between the prompt and the dossier."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from builders import dossier_from, example_answers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scripted import ScriptedAsker

from assistant.dossier import Dossier, DossierFile
from assistant.errors import InvalidAnswer
from assistant.fields import KINDS, decode, encode, kind_of
from assistant.flow import Flow
from assistant.i18n import use_language
from assistant.identifiers import luhn_valid
from assistant.model import Choice, FieldType, Question


def _question(kind: FieldType, **extra: Any) -> Question:
    return Question(id="q", libelle="Question", type=kind, **extra)


CHOICES = (Choice(id="public", libelle="Établissement public"), Choice(id="prive", libelle="Privé non lucratif"),
           Choice(id="autre", libelle="Autre"))
GROUP_FIELDS = (_question(FieldType.TEXT).model_copy(update={"id": "libelle"}),
                _question(FieldType.AMOUNT).model_copy(update={"id": "montant"}),
                _question(FieldType.DATE, obligatoire=False).model_copy(update={"id": "echeance"}))


def _key_digit(digits: str) -> str:
    return next(str(k) for k in range(10) if luhn_valid(digits + str(k)))


@st.composite
def finess(draw: st.DrawFn) -> str:
    department = draw(st.sampled_from(["75", "93", "01", "95", "97", "2A", "2B"]))
    body = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    digits = {"2A": "21", "2B": "22"}.get(department, department) + body
    return department + body + _key_digit(digits)


@st.composite
def siret(draw: st.DrawFn) -> str:
    siren = draw(st.from_regex(r"[0-9]{8}", fullmatch=True))
    siren += _key_digit(siren)
    assume(siren != "356000000")  # La Poste's own rule
    nic = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    return siren + nic + _key_digit(siren + nic)


_DATES = st.dates(date(1900, 1, 1), date(2200, 12, 31))
_AMOUNTS = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2)
_DECIMALS = st.decimals(min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=6)
_CHOSEN = st.sampled_from(["public", "prive", "autre", "Établissement PUBLIC", "prive non lucratif", "1", "3"])

# What people type (or an answers file holds), per type: each kind's whole input range.
RAW: dict[FieldType, st.SearchStrategy[Any]] = {
    FieldType.TEXT: st.text(max_size=300),
    FieldType.LONG_TEXT: st.text(alphabet=st.sampled_from("ab é\n\r\t.-•"), max_size=400),
    FieldType.INTEGER: st.integers(-(10**15) + 1, 10**15 - 1) | st.from_regex(r"-?[0-9]{1,3}( [0-9]{3}){0,3}", fullmatch=True),
    FieldType.DECIMAL: _DECIMALS | _DECIMALS.map(lambda d: format(d, "f").replace(".", ",")),
    FieldType.AMOUNT: _AMOUNTS | _AMOUNTS.map(lambda d: format(d, ",.2f").replace(",", " ").replace(".", ",") + " €")
    | st.integers(0, 10**12 - 1),
    FieldType.PERCENTAGE: st.decimals(min_value=0, max_value=100, places=3).map(lambda d: f"{d} %"),
    FieldType.DATE: _DATES | _DATES.map(lambda d: d.strftime("%d/%m/%Y")) | _DATES.map(lambda d: d.strftime("%d.%m.%y"))
    | _DATES.map(lambda d: d.isoformat()),
    FieldType.EMAIL: st.emails(),
    FieldType.PHONE: st.from_regex(r"0[1-9]([ .]?[0-9]{2}){4}", fullmatch=True)
    | st.from_regex(r"\+33 ?[1-9]( ?[0-9]{2}){4}", fullmatch=True),
    FieldType.FINESS: finess() | finess().map(lambda f: f[:2].lower() + " " + f[2:]),
    FieldType.SIRET: siret() | siret().map(lambda s: f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}"),
    FieldType.YES_NO: st.sampled_from([True, False, "oui", "Non", "o", "N", "yes", "FAUX", "vrai"]),
    FieldType.CHOICE: _CHOSEN,
    FieldType.MULTIPLE_CHOICE: st.lists(_CHOSEN, max_size=5) | st.lists(_CHOSEN, min_size=1, max_size=3).map(", ".join),
    FieldType.FILE: st.text(min_size=1, max_size=200) | st.text(min_size=1, max_size=50).map(lambda t: f"'{t}'"),
    FieldType.GROUP: st.lists(st.fixed_dictionaries(
        {"libelle": st.text(min_size=1, max_size=40), "montant": _AMOUNTS | st.integers(0, 10**6)},
        optional={"echeance": _DATES.map(lambda d: d.strftime("%d/%m/%Y"))}), max_size=5),
}


def _question_of(kind: FieldType) -> Question:
    extra: dict[str, Any] = {}
    if KINDS[kind].has_choices:
        extra["choix"] = CHOICES
    if kind is FieldType.GROUP:
        extra["champs"] = GROUP_FIELDS
    if kind is FieldType.MULTIPLE_CHOICE:
        extra["obligatoire"] = False
    return _question(kind, **extra)


def test_every_field_type_has_its_kind():
    assert set(KINDS) == set(FieldType)
    assert all(kind.type is field_type for field_type, kind in KINDS.items())


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("field_type", list(FieldType))
def test_round_trip(field_type: FieldType, language: str):
    question = _question_of(field_type)
    kind = kind_of(question)

    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(raw=RAW[field_type])
    def check(raw: Any) -> None:
        try:
            value = kind.parse(question, raw)
        except InvalidAnswer:
            assume(False)
            return
        saved = json.loads(json.dumps(kind.encode(question, value)))  # as the dossier file holds it
        assert kind.decode(question, saved) == value
        assert isinstance(kind.display(question, value), str)
        assert isinstance(kind.document(question, value), str)
        if field_type is not FieldType.GROUP:
            assert kind.parse(question, kind.input_text(question, value)) == value

    with use_language(language):
        check()


# -- strict decode -------------------------------------------------------------------------------


@pytest.mark.parametrize("field_type, saved", [
    (FieldType.AMOUNT, "40 000 €"), (FieldType.AMOUNT, "40000"), (FieldType.AMOUNT, 40000.5), (FieldType.AMOUNT, 40000),
    (FieldType.AMOUNT, "40000,00"), (FieldType.DATE, "21/10/2022"), (FieldType.DATE, "21 octobre 2022"),
    (FieldType.DATE, "2022-1-5"), (FieldType.YES_NO, "oui"), (FieldType.YES_NO, 1), (FieldType.INTEGER, "1200"),
    (FieldType.INTEGER, 1200.0), (FieldType.INTEGER, True), (FieldType.DECIMAL, 0.5), (FieldType.DECIMAL, "0,5"),
    (FieldType.PERCENTAGE, "12 %"), (FieldType.PHONE, "0144020000"), (FieldType.PHONE, "+33 1 44 02 00 00"),
    (FieldType.SIRET, "267 500 452 00011"), (FieldType.FINESS, "75 071 218 4"), (FieldType.EMAIL, "a@EXEMPLE.fr"),
    (FieldType.TEXT, "  deux  espaces "), (FieldType.FILE, " /tmp/devis.pdf"), (FieldType.CHOICE, "Établissement public"),
    (FieldType.CHOICE, "2"), (FieldType.MULTIPLE_CHOICE, ["Autre"]), (FieldType.MULTIPLE_CHOICE, "public"),
    (FieldType.MULTIPLE_CHOICE, ["public", "public"]),
    (FieldType.GROUP, [{"libelle": "IDE", "montant": "18 000"}]),
    (FieldType.GROUP, [{"libelle": "IDE", "montant": "18000.00", "echeance": "01/03/2023"}]),
])
def test_decode_accepts_only_what_encode_writes(field_type: FieldType, saved: Any):
    question = _question_of(field_type)
    with pytest.raises(InvalidAnswer):
        decode(question, saved)


def test_a_refused_saved_value_says_how_aap_writes_it():
    with pytest.raises(InvalidAnswer, match=r"40000\.00"):
        decode(_question_of(FieldType.AMOUNT), "40 000 €")
    with pytest.raises(InvalidAnswer, match="2022-10-21"):
        decode(_question_of(FieldType.DATE), "21/10/2022")


def test_decode_accepts_what_encode_writes():
    amount, when = _question_of(FieldType.AMOUNT), _question_of(FieldType.DATE)
    assert decode(amount, "40000.50") == Decimal("40000.50")
    assert decode(when, "2022-10-21") == date(2022, 10, 21)
    # A multiple choice in another order than the questionnaire's: the same choices.
    assert decode(_question_of(FieldType.MULTIPLE_CHOICE), ["autre", "public"]) == ["public", "autre"]
    # Set without its cents (a caller that did not parse): written with them, read back.
    assert decode(amount, encode(amount, Decimal(100))) == Decimal(100)


def _saved(dossier: Dossier) -> dict[str, Any]:
    return json.loads(dossier.to_file().model_dump_json(by_alias=True))


def _reloaded(data: dict[str, Any], dossier: Dossier) -> Dossier:
    return Dossier.from_file(DossierFile.model_validate(data), dossier.appel)


def test_a_dossier_saved_by_aap_reads_back_whole():
    dossier = dossier_from(example_answers())
    again = _reloaded(_saved(dossier), dossier)
    assert again.invalid == {} and again.answers == dossier.answers


@pytest.mark.parametrize("question_id, edited", [
    ("montant_demande", "40 000 €"), ("montant_demande", 40000.5), ("statut_juridique", "Établissement public"),
    ("autorisation", "oui"), ("actes_par_an", "1200"), ("porteur_telephone", "0144020000"),
    ("activites", ["Radiologie"]),
])
def test_hand_edited_answers_are_reported_kept_and_asked_again(question_id: str, edited: Any):
    dossier = dossier_from(example_answers())
    data = _saved(dossier)
    data["reponses"][question_id] = edited
    again = _reloaded(data, dossier)
    assert question_id in again.invalid and again.get(question_id) is None
    assert again.raw[question_id] == edited  # kept in the file until answered again
    assert again.to_file().answers[question_id] == edited
    assert set(again.invalid) == {question_id}


def test_a_hand_edited_date_in_a_group_is_reported():
    dossier = dossier_from(example_answers())
    data = _saved(dossier)
    data["reponses"]["calendrier"][0]["echeance"] = "21/10/2022"
    again = _reloaded(data, dossier)
    # Said by the line's number and the field's label, not by the file's `[1].echeance`.
    field = dossier.appel.question("calendrier").field("echeance")
    assert "calendrier" in again.invalid and f"ligne 1, « {field.label} »" in again.invalid["calendrier"]
    assert "echeance" not in again.invalid["calendrier"]


def test_undo_to_a_hand_edited_value_reports_it():
    dossier = dossier_from(example_answers())
    data = _saved(dossier)
    data["historique"].append({"question": "montant_demande", "quand": "2024-01-01T10:00:00+01:00",
                               "avant": "40 000 €", "apres": data["reponses"]["montant_demande"]})
    again = _reloaded(data, dossier)
    change = again.undo()
    assert change is not None and change.question == "montant_demande"
    assert again.get("montant_demande") is None and "montant_demande" in again.invalid
    assert again.raw["montant_demande"] == "40 000 €"


# -- parse once ----------------------------------------------------------------------------------


class _PromptingAsker(ScriptedAsker):
    """Validates each typed reply with the question's check, as the terminal prompt does."""

    def ask(self, ask: Any) -> Any:
        reply = super().ask(ask)
        if isinstance(reply, str):
            ask.check(reply)
        return reply


def test_the_value_the_prompt_accepted_is_the_value_saved(monkeypatch):
    dossier = dossier_from({k: v for k, v in example_answers().items() if k != "montant_demande"})
    amount = KINDS[FieldType.AMOUNT]
    parsed: list[Any] = []
    real = type(amount).parse

    def counting(self: Any, question: Question, raw: Any) -> Any:
        parsed.append(real(self, question, raw))
        return parsed[-1]

    monkeypatch.setattr(type(amount), "parse", counting)
    asker = _PromptingAsker(["40 000,00 €", "/quitter"])
    Flow(dossier, lambda d: None, asker).run()
    assert len(parsed) == 1
    assert dossier.get("montant_demande") is parsed[0]


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_a_saved_row_never_holds_an_empty_optional_field(empty: Any):
    # aap omits an optional field left empty; a saved null or blank was written by someone else.
    group = _question_of(FieldType.GROUP)
    with pytest.raises(InvalidAnswer, match="echeance"):
        decode(group, [{"libelle": "IDE", "montant": "18000.00", "echeance": empty}])
    assert decode(group, [{"libelle": "IDE", "montant": "18000.00"}]) == [{"libelle": "IDE", "montant": Decimal("18000.00")}]
    # What people type (or an answers file holds) may leave it empty.
    assert kind_of(group).parse(group, [{"libelle": "IDE", "montant": "18000", "echeance": empty}]) == [
        {"libelle": "IDE", "montant": Decimal("18000.00")}]


def test_saved_rows_reads_a_damaged_group_row_by_row():
    from assistant.fields.groups import saved_rows

    group = _question_of(FieldType.GROUP)
    rows = saved_rows(group, [
        {"libelle": "A", "montant": "10.00"},
        {"libelle": "B", "montant": "-5.00", "echeance": "21/10/2022", "inconnu": 1},
        "pas une ligne",
    ])
    assert rows is not None and len(rows) == 3
    assert rows[0].item == {"libelle": "A", "montant": Decimal("10.00")} and not rows[0].problems
    # The damaged row: what could be read (the date, leniently), the saved text of what could not.
    assert rows[1].item == {"libelle": "B", "echeance": date(2022, 10, 21)}
    assert rows[1].raw == {"montant": "-5.00", "echeance": "21/10/2022"}
    assert [place for place, _message in rows[1].problems] == [None, "montant", "echeance"]
    assert rows[2].item == {} and "pas une ligne" in rows[2].problems[0][1]
    assert saved_rows(group, "pas une liste") is None


def test_answering_again_a_value_equal_to_the_damaged_one_saves_it():
    # 1200.0 equals 1200 in Python, but aap writes 1200: answering 1200 writes it and clears the damage.
    dossier = dossier_from(example_answers())
    data = _saved(dossier)
    data["reponses"]["actes_par_an"] = float(data["reponses"]["actes_par_an"])
    again = _reloaded(data, dossier)
    assert "actes_par_an" in again.invalid
    assert again.set("actes_par_an", dossier.get("actes_par_an"))
    assert "actes_par_an" not in again.invalid
    assert json.dumps(again.raw["actes_par_an"]) == json.dumps(dossier.get("actes_par_an"))
