"""The application file as a reader gets it: every produced .docx is read back with python-docx
and with docx2python (an independent reader), for the two shipped calls, a third call written
here (tests/fixtures/documents/) that gets a proper document with no code change, and a call
without a `document` block that gets the default."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from builders import IDF, ROOT, dossier_from, example_answers
from conftest import plain
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx2python import docx2python

from assistant import loading
from assistant.answers import apply_answers, parse_answers
from assistant.checks import blocks_submission, check
from assistant.dossier import Dossier
from assistant.i18n import format_date
from assistant.lint import lint
from assistant.model import Appel
from assistant.word.document import Mode, export

BRETAGNE = "bretagne-2025-chirurgie-ambulatoire"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"
THIRD = FIXTURES / "ars-test-2027.yaml"
DEFAULT = FIXTURES / "sans-document.yaml"
TODAY = date(2026, 11, 22)
CONTRACT = ("representant_nom", "representant_qualite", "signature_lieu")


class Read:
    """One .docx read by both readers."""

    def __init__(self, path: Path):
        self.path = path
        self.docx = Document(str(path))
        with docx2python(path) as content:
            self.text = plain(content.text)
            self.comments = content.comments
        with zipfile.ZipFile(path) as package:
            self.xml = {name: package.read(name).decode("utf-8", "replace") for name in package.namelist()
                        if name.endswith((".xml", ".rels"))}

    def headings(self, level: int | None = None) -> list[str]:
        wanted = {f"Heading {level}"} if level else {f"Heading {n}" for n in range(1, 10)}
        return [plain(p.text) for p in self.docx.paragraphs if p.style.name in wanted]

    def paragraphs(self) -> list[str]:
        return [plain(p.text) for p in self.docx.paragraphs]

    def between(self, first: str, last: str | None) -> list[str]:
        """The paragraphs from the heading (or first paragraph) `first` up to the next `last`."""
        texts = self.paragraphs()
        headings = [n for n, p in enumerate(self.docx.paragraphs) if p.style.name.startswith("Heading")]
        start = next((n for n in headings if texts[n] == first), None)
        start = texts.index(first) if start is None else start
        end = next((n for n in headings if n > start and texts[n] == last), None) if last else len(texts)
        return texts[start:end if end is not None else texts.index(last, start + 1)]

    def table_after(self, heading: str):
        """The first table after a paragraph whose text is `heading`."""
        body = self.docx.element.body
        found = False
        for element in body:
            if element.tag == qn("w:p") and plain("".join(t.text or "" for t in element.iter(qn("w:t")))) == heading:
                found = True
            elif found and element.tag == qn("w:tbl"):
                return next(t for t in self.docx.tables if t._tbl is element)
        raise AssertionError(f"no table after {heading!r}")

    def rows(self, table) -> list[list[str]]:
        return [[plain(cell.text) for cell in row.cells] for row in table.rows]

    def pairs(self, heading: str) -> dict[str, str]:
        return dict(self.rows(self.table_after(heading)))


def dossier_for(appel: Appel, answers: dict, name: str = "essai") -> Dossier:
    dossier = Dossier.new(name, appel)
    apply_answers(dossier, parse_answers(appel, answers))
    return dossier


def write(dossier: Dossier, mode: Mode, tmp_path: Path, name: str | None = None, forced: bool = False,
          today: date = TODAY) -> Read:
    path = tmp_path / (name or f"{mode.value}.docx")
    export(dossier, check(dossier, today), mode, path, forced=forced)
    return Read(path)


def faulty_answers() -> dict:
    answers = example_answers()
    answers["montant_demande"] = "45 000"
    del answers["contexte"], answers["representant_nom"]
    answers["equipe"][1]["role"] = "membre"
    answers["annexes"][0]["fichier"] = "/home/claire/Documents/AAP ARS 2022/annexes/chemin-clinique.pdf"
    return answers


def bretagne_answers(tmp_path: Path) -> dict:
    quote = tmp_path / "devis-sms.pdf"
    quote.write_bytes(b"%PDF-1.4\n")
    return {
        "etablissement": "Centre hospitalier de Cornouaille", "finess_juridique": "290000017",
        "finess_geographique": "290000017", "siret": "269 300 018 00018", "statut_juridique": "public",
        "representant_nom": "Yann Le Goff", "representant_qualite": "Directeur général", "signature_lieu": "Quimper",
        "porteur_nom": "Anne Kervella", "porteur_fonction": "Cadre de santé", "porteur_email": "anne@ch.example.fr",
        "porteur_telephone": "02 98 52 60 60", "titre_projet": "Un circuit ambulatoire sans ressaisie",
        "resume_projet": "Le projet digitalise la pré-admission. Il vise 70 % d'ambulatoire en 2026.",
        "taux_ambulatoire": "62", "annee_reference": "2024",
        "potentiel_non_realise": "Environ 900 interventions par an :\n- cholécystectomies ;\n- hernies.",
        "difficultes": "Des files d'attente le matin.", "etapes_ciblees": ["pre_admission", "logistique"],
        "description_projet": "1. Pré-admission en ligne.\n2. Rappels par SMS.", "digitalisation": "non",
        "parties_prenantes": [{"nom": "Bureau des admissions", "fonction": "Responsable",
                               "role": "Paramètre le formulaire de pré-admission en ligne"}],
        "information_patient": "Un livret réécrit avec des patients partenaires.",
        "depenses": [{"nature": "numerique", "libelle": "Rappels par SMS", "montant": "12 000", "part_ars": "12 000"},
                     {"nature": "bien", "libelle": "Signalétique", "montant": "8 500", "part_ars": "8 000"}],
        "montant_demande": "20 000", "affectation": "Numérique : 12 000 € ; signalétique : 8 000 €.",
        "calendrier": [{"etape": "Commande", "echeance": "01/11/2025"}, {"etape": "Bilan", "echeance": "01/02/2027"}],
        "indicateurs": [{"libelle": "Taux de chirurgie ambulatoire", "valeur_actuelle": "62 %", "valeur_cible": "70 %"}],
        "annexes": [{"titre": "Devis de la solution de SMS", "fichier": str(quote)}],
    }


def third_answers() -> dict:
    return {
        "nom_structure": "Service d'aide à domicile du Loiret", "finess_structure": "450000088",
        "siret_structure": "267 500 452 00011", "gestion_publique": "oui", "signataire": "Paul Girard",
        "fonction_signataire": "Président", "ville_signature": "Orléans",
        "intitule_action": "Des ateliers d'équilibre à domicile", "promesses": ["bilan"],
        "pourquoi": "Les chutes sont la première cause d'hospitalisation des plus de 75 ans du territoire. "
                    "Le service accompagne 800 personnes âgées. Aucune action de prévention n'existe aujourd'hui.",
        "personnes_suivies": "800",
        "etapes": [{"quoi": "Recrutement de l'ergothérapeute", "quand": "01/04/2027"},
                   {"quoi": "Premiers ateliers", "quand": "01/10/2027"}],
        "couts": [{"poste": "Ergothérapeute (0,5 ETP)", "cout": "18 000"}, {"poste": "Matériel", "cout": "4 000"}],
        "sollicite": "22 000",
        "pieces": [{"intitule": "Programme des ateliers", "document": "/home/paul/Bureau/programme.pdf"}],
    }


def default_answers() -> dict:
    return {"nom_porteur": "CH de Test", "siret_porteur": "26750045200011", "deja_finance": "non",
            "premier_jour": "01/01/2027", "en_quoi": "Un premier paragraphe.\n\nUn second.", "themes": ["a"],
            "lignes_budget": [{"objet": "Matériel", "somme": "1 000"}, {"objet": "Formation", "somme": "500"}],
            "pieces_jointes": [{"nom_piece": "Devis", "chemin": "/srv/partage/devis.pdf"}]}


@pytest.fixture(scope="module")
def idf() -> Appel:
    return loading.find_appel(IDF)


# -- what no document may hold --------------------------------------------------------------------

def _documents(tmp_path: Path) -> list[tuple[Appel, Read]]:
    idf = loading.find_appel(IDF)
    bretagne = loading.find_appel(BRETAGNE)
    third, default = loading.read_appel(THIRD), loading.read_appel(DEFAULT)
    cases = [(idf, dossier_from(example_answers())), (idf, dossier_from(faulty_answers())),
             (bretagne, dossier_for(bretagne, bretagne_answers(tmp_path))),
             (third, dossier_for(third, third_answers())), (default, dossier_for(default, default_answers()))]
    return [(appel, write(dossier, mode, tmp_path, f"{n}-{mode.value}.docx"))
            for n, (appel, dossier) in enumerate(cases) for mode in Mode]


def test_no_question_form_no_question_id_no_local_path(tmp_path):
    for appel, read in _documents(tmp_path):
        for heading in read.headings():
            assert not heading.rstrip().endswith("?"), (read.path.name, heading)
        for table in read.docx.tables:
            for row in table.rows:
                assert not plain(row.cells[0].text).rstrip().endswith("?"), (read.path.name, row.cells[0].text)
        words = set(re.findall(r"[\w-]+", read.text))
        # Ids with an underscore never occur in French prose; one-word ids (« contexte ») do.
        leaked = {q.id for q in appel.questions() if "_" in q.id} & words
        assert not leaked, (read.path.name, leaked)
        for path in ("/home/", "Documents/AAP", "/srv/partage", str(tmp_path)):
            assert path not in read.text, (read.path.name, path)


def test_the_code_knows_no_question_id():
    from assistant.model import FieldType

    ids = {q.id for appel in (loading.find_appel(IDF), loading.find_appel(BRETAGNE)) for q in appel.questions()}
    ids -= {kind.value for kind in FieldType}  # « siret » is also a question type
    for source in sorted((ROOT / "assistant").rglob("*.py")):  # the packages (word/, fields/, rules/) too
        # The YAML keys of the `document` block (alias="...") and its model's attributes
        # (_key(Document, "...")) are words of the layout, not question ids.
        text = re.sub(r"alias=[\"'][a-z_]+[\"']|_key\(\w+, [\"'][a-z_]+[\"']\)", "", source.read_text(encoding="utf-8"))
        literals = set(re.findall(r"""["']([a-z_]+)["']""", text))
        assert not (literals & ids), (source.name, literals & ids)


# -- the shipped calls ------------------------------------------------------------------------------

def test_cover_holds_the_declared_answers_and_no_internal_notes(tmp_path, idf):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    cover = read.between("ARS Île-de-France", "Synthèse du projet")
    assert cover[:4] == ["ARS Île-de-France", "Appel à projets", idf.title, "Dossier de candidature"]
    assert "Un parcours ambulatoire sécurisé pour la radiologie interventionnelle" in cover
    assert "Centre hospitalier intercommunal de Villeneuve-sur-Seine" in cover
    rows = read.rows(read.docx.tables[0])
    assert [label for label, _value in rows] == ["Porteur de projet", "Fonction", "Courriel", "Téléphone",
                                                 "Montant demandé"]
    assert rows[-1][1] == "40 000,00 €"
    cover_text = " ".join(cover) + " ".join(" ".join(r) for r in rows)
    assert "demarches-simplifiees" not in cover_text and "Date limite" not in cover_text
    assert "21 octobre 2022" not in read.text and "demarches-simplifiees" not in read.text


def test_summary_page_from_the_declared_rows(tmp_path):
    answers = example_answers()
    read = write(dossier_from(answers), Mode.SUBMISSION, tmp_path)
    summary = read.docx.paragraphs[[p.text for p in read.docx.paragraphs].index("Synthèse du projet")]
    assert summary.paragraph_format.page_break_before
    values = read.pairs("Synthèse du projet")
    assert values["Projet"] == "Un parcours ambulatoire sécurisé pour la radiologie interventionnelle"
    assert values["Porteur de projet"] == "Claire Martin"
    assert values["Activités concernées"] == "Radiologie interventionnelle"
    assert values["Aide demandée à l'ARS".replace("'", "’")] == "40 000,00 €"
    assert values["Coût total du projet"] == "42 800,00 €"
    assert values["Professionnels de l'équipe projet".replace("'", "’")] == "5"
    assert values["Calendrier"] == "du 15 janvier 2023 au 1er avril 2024 (15 mois)"
    assert values["Principaux indicateurs"].startswith("Patients appelés la veille de l’intervention (valeur initiale : 0 %")
    objectives = values["Objectifs"]
    assert objectives.startswith("Objectif général : offrir") and len(objectives) <= 900 + 20


def test_a_long_summary_answer_is_cut_after_a_whole_sentence(tmp_path, idf):
    answers = example_answers()
    answers["objectifs"] = ("Une première phrase assez courte. " * 40).strip()
    values = write(dossier_from(answers), Mode.SUBMISSION, tmp_path).pairs("Synthèse du projet")
    assert values["Objectifs"].endswith("courte.") and len(values["Objectifs"]) <= 900


def test_sections_numbered_with_the_calls_words_and_noun_headings(tmp_path, idf):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    assert read.headings(1) == ["Synthèse du projet", "1. Informations générales et objectifs du projet",
                                "2. Description du projet et de sa mise en place",
                                "3. Présentation détaillée du budget", "4. Annexes", "Engagements et signature"]
    second = read.headings(2)
    for expected in ("Fiche d’identification", "Objectifs du projet", "Contexte et état des lieux", "Équipe projet",
                     "Documents remis aux patients", "Calendrier de mise en œuvre", "Dépenses prévues",
                     "Plan de financement", "Affectation de l’aide demandée"):
        assert expected in second
    # No one-line answer under a heading of its own, and no question label as a heading.
    assert "Numéro SIRET de l’établissement" not in second and "Téléphone du porteur de projet" not in second
    assert not any("autorisé" in h for h in second)


def test_identity_table_rows(tmp_path):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    values = read.pairs("Fiche d’identification")
    assert list(values) == ["Établissement", "Statut juridique", "FINESS juridique", "FINESS géographique du site",
                            "SIRET", "Activités interventionnelles concernées", "Autorisation pour ces activités",
                            "Référence de l’autorisation", "Date de l’autorisation", "Représentant légal",
                            "Qualité du représentant légal", "Porteur de projet",
                            "Fonction du porteur de projet", "Courriel", "Téléphone", "Titre du projet"]
    assert values["SIRET"] == "269 300 018 00018" and values["FINESS juridique"] == "930000427"
    assert values["Autorisation pour ces activités"] == "Oui"
    assert values["Activités interventionnelles concernées"] == "Radiologie interventionnelle"  # not the unticked one
    assert "Cardiologie interventionnelle" not in read.text
    assert read.pairs("Activité, démarrage et enquête PROM") == {
        "Actes interventionnels réalisés par an": "2 400", "Part des actes réalisés en ambulatoire": "22 %",
        "Démarrage du projet": "3 avril 2023",
        "Questionnaire PROM": "EQ-5D-5L, complété de questions sur l’information reçue et la douleur au retour",
        "Recueil du PROM": "À la consultation infirmière avant l’acte, puis à J+7 par SMS"}


def test_review_version_shows_every_option_with_its_box(tmp_path):
    read = write(dossier_from(example_answers()), Mode.REVIEW, tmp_path)
    assert read.pairs("Fiche d’identification")["Activités interventionnelles concernées"] == \
        "☑ Radiologie interventionnelle\n☐ Cardiologie interventionnelle"


def test_long_texts_become_paragraphs_and_lists(tmp_path):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    intro, *route = read.between("Parcours patient", "Équipe projet")[1:]
    assert intro.startswith("Notre parcours reprend") and len(route) == 6 and route[0].startswith("Décision (radiologue)")
    styles = {p.style.name for p in read.docx.paragraphs if plain(p.text) in route}
    assert styles == {"List Number"}
    goals = read.between("Objectifs du projet", "2. Description du projet et de sa mise en place")
    assert goals[1].startswith("Objectif général") and goals[2].startswith("Objectifs opérationnels, rattachés")
    assert goals[3].startswith("formaliser le parcours patient")
    documents = read.between("Documents remis aux patients", "Calendrier de mise en œuvre")[1:]
    assert documents[0] == "Livret d’accueil" and len(documents) == 6
    # An allocation written one item per line keeps its lines (Word line breaks).
    allocation = read.between("Affectation de l’aide demandée", "4. Annexes")[1]
    assert allocation.count("\n") == 5


def test_lists_are_real_word_lists(tmp_path):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    for first, other in (("Décision (radiologue)", "Appel J+1"), ("Livret d’accueil", "Lettre de liaison"),
                         ("formaliser le parcours patient", "former avant l’ouverture")):
        items = [p for p in read.docx.paragraphs if p.text.startswith((first, other))]
        assert len(items) == 2, first
        numbers = [p._p.pPr.numPr for p in items]
        assert all(n is not None for n in numbers), first
        assert numbers[0].numId.val == numbers[1].numId.val  # the items of one list share its numbering


def test_tables_fit_the_text_width_and_keep_their_total(tmp_path):
    from builders import large_answers

    read = write(dossier_from(large_answers()), Mode.SUBMISSION, tmp_path)
    for table in read.docx.tables:
        widths = [cell.width for cell in table.rows[0].cells]
        assert sum(widths) <= Cm(17) + Cm(0.05)
    budget = read.table_after("Dépenses prévues")
    rows = budget._tbl.tr_lst
    assert plain(budget.rows[-1].cells[0].text) == "Total"
    before_total = rows[-2]
    assert all(p.pPr is not None and p.pPr.keepNext_val for p in before_total.iter(qn("w:p")))
    for heading in read.docx.paragraphs:
        if heading.style.name.startswith("Heading"):
            assert heading.paragraph_format.keep_with_next or heading.style.paragraph_format.keep_with_next


def test_funding_plan_from_the_declared_budget(tmp_path):
    read = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path)
    assert read.rows(read.table_after("Plan de financement")) == [
        ["Total des dépenses", "42 800,00 €"], ["Montant de l’aide demandée à l’ARS", "40 000,00 €"],
        ["Cofinancements", "2 800,00 €"], ["Total des ressources", "42 800,00 €"]]
    budget = read.rows(read.table_after("Dépenses prévues"))
    assert budget[0] == ["Nature de la dépense", "Libellé", "Montant total de la ligne", "Part payée par la subvention ARS"]
    assert budget[-1] == ["Total", "", "42 800,00 €", "40 000,00 €"]


def test_signature_page_with_the_three_contract_answers(tmp_path):
    dossier = dossier_from(example_answers())
    read = write(dossier, Mode.SUBMISSION, tmp_path)
    page = read.between("Engagements et signature", None)
    assert page[1] == "L’établissement s’engage à :"
    assert page[2] == "composer une équipe projet et déterminer le rôle précis de chaque professionnel ;"
    assert page[7] == "réaliser un bilan de mise en œuvre à 6 mois et à 12 mois."
    assert "Je soussigné(e) Isabelle Moreau, directrice générale, certifie exactes les informations du présent dossier." in page
    signed = format_date(dossier.modified.date()).replace("1 ", "1er ", 1) if dossier.modified.day == 1 \
        else format_date(dossier.modified.date())
    assert f"Fait à Villeneuve-sur-Seine, le {signed}" in page
    boxes = read.docx.tables[-1]
    assert [plain(c.text).split("\n")[0] for c in boxes.rows[0].cells] == ["Signature du représentant légal",
                                                                          "Cachet de l’établissement"]
    assert "Isabelle Moreau, Directrice générale" in plain(boxes.rows[0].cells[0].text)
    assert boxes.rows[1].height >= Cm(3)


def test_the_contract_questions_are_required_for_the_submission(idf):
    for appel in (idf, loading.find_appel(BRETAGNE)):
        section = appel.sections[0]
        for question_id in CONTRACT:
            question = appel.question(question_id)
            assert question is not None and question.type.value == "texte" and question.required
            assert appel.section_of(question_id) is section
            assert question.help and question.example
    answers = example_answers()
    for question_id in CONTRACT:
        del answers[question_id]
    findings = check(dossier_from(answers), TODAY)
    assert blocks_submission(findings)
    assert {f.question for f in findings if f.severity.value == "erreur"} >= set(CONTRACT)


def test_annexes_numbered_with_their_file_names(tmp_path):
    answers = example_answers()
    existing = tmp_path / "passeport.pdf"
    existing.write_bytes(b"%PDF-1.4\n")
    answers["annexes"][0]["fichier"] = str(tmp_path / "absent" / "chemin-clinique.pdf")
    answers["annexes"][1]["fichier"] = str(existing)
    submission = write(dossier_from(answers), Mode.SUBMISSION, tmp_path, forced=True)
    listed = submission.between("4. Annexes", "Engagements et signature")[1:]
    assert listed == ["Annexe 1 — Chemin clinique de la biopsie hépatique (chemin-clinique.pdf)\n"
                      "Version validée par le comité de pilotage",
                      "Annexe 2 — Modèle de passeport ambulatoire (passeport.pdf)",
                      "Annexe 3 — Devis des fauteuils de repos"]
    review = write(dossier_from(answers), Mode.REVIEW, tmp_path)
    listed = review.between("4. Annexes", "Engagements et signature")[1:]
    assert listed[0].startswith("Annexe 1 — Chemin clinique de la biopsie hépatique (chemin-clinique.pdf) [fichier introuvable]")
    assert listed[1] == "Annexe 2 — Modèle de passeport ambulatoire (passeport.pdf)"
    assert listed[2] == "Annexe 3 — Devis des fauteuils de repos [fichier à joindre]"


# -- the review version -----------------------------------------------------------------------------

def test_review_first_page_sorted_findings(tmp_path):
    read = write(dossier_from(faulty_answers()), Mode.REVIEW, tmp_path)
    grid = "Grille de lecture : les critères de sélection de l’appel"
    assert read.headings(1)[:3] == ["État du dossier", grid, "Synthèse du projet"]
    page = read.between("État du dossier", grid)
    assert page[1].startswith("Réponses obligatoires complétées : ")
    counts = read.rows(read.table_after("État du dossier"))
    assert counts[0] == ["Bloquant", "Erreur", "Avertissement", "Conseil"]
    findings = check(dossier_from(faulty_answers()), TODAY)
    assert counts[1] == [str(sum(f.severity.value == s for f in findings))
                         for s in ("bloquant", "erreur", "avertissement", "conseil")]
    titles = [t for t in page if re.match(r"^(Points bloquants|Erreurs|Avertissements|Conseils) \(\d+\)$", t)]
    assert [t.split(" (")[0] for t in titles] == ["Points bloquants", "Erreurs", "Avertissements"]
    blocking = page[page.index(titles[0]) + 1:page.index(titles[1])]
    # Checked after the call's deadline: the one blocking point is the date, about the whole dossier.
    assert blocking[0] == "Ensemble du dossier"
    assert blocking[1].startswith("La date limite de dépôt (21 octobre 2022) est passée")
    # Each finding quotes the sentence of the call its rule enforces.
    assert blocking[1].endswith("(l’appel : « Les dossiers électroniques déposés après échéance du délai de dépôt ne seront "
                                "pas étudiés et se verront opposer un refus préalable. »)")
    # Each section's title once per severity; the missing answers are counted, not listed.
    errors = page[page.index(titles[1]) + 1:page.index(titles[2])]
    assert errors.count("3. Présentation détaillée du budget") == 1
    assert "2 réponses obligatoires manquent : elles sont marquées [À compléter] dans le document." in page
    assert not any("Réponse obligatoire manquante" in t for t in page)
    assert "Points à vérifier" not in read.headings()


def test_each_finding_is_a_comment_on_its_answer(tmp_path):
    dossier = dossier_from(faulty_answers())
    findings = check(dossier, TODAY)
    read = write(dossier, Mode.REVIEW, tmp_path)
    assert len(read.docx.comments) == len(findings) == len(read.comments)
    anchored: dict[str, list[str]] = {}
    for text, _author, _date, comment in read.comments:
        anchored.setdefault(plain(text), []).append(plain(comment))
    assert all(author == "aap" for _t, author, _d, _c in read.comments)
    assert any(c.startswith("Erreur — Montant demandé : 45 000,00 €") for c in anchored["Montant de l’aide demandée à l’ARS"])
    assert anchored["Équipe projet"][0].startswith("Erreur (Claire Martin) — Le rôle de Claire Martin")
    assert anchored["Contexte et état des lieux"] == ["Erreur — Réponse obligatoire manquante : Contexte et état des lieux."]
    assert any(t.startswith("Je soussigné(e) [À compléter]") for t in anchored)
    assert anchored[loading.find_appel(IDF).title][0].startswith("Bloquant — La date limite de dépôt")
    assert any(t.startswith("Annexe 1 — Chemin clinique") for t in anchored)
    assert not write(dossier, Mode.SUBMISSION, tmp_path, forced=True).docx.comments


def test_placeholders_only_in_the_review_version(tmp_path):
    answers = example_answers()
    del answers["affectation"], answers["contexte"]
    review = write(dossier_from(answers), Mode.REVIEW, tmp_path)
    placeholders = [r for p in review.docx.paragraphs for r in p.runs if r.text == "[À compléter]"]
    assert len(placeholders) == 2 and all(r.font.highlight_color == 7 for r in placeholders)
    submission = write(dossier_from(answers), Mode.SUBMISSION, tmp_path, forced=True)
    assert "[À compléter]" not in submission.text and "Contexte et état des lieux" not in submission.headings()


def test_forced_submission_says_so_on_every_page(tmp_path):
    forced = write(dossier_from(faulty_answers()), Mode.SUBMISSION, tmp_path, "forced.docx", forced=True)
    for section in forced.docx.sections:
        assert plain(section.header.paragraphs[0].text) == "PROJET — NON DÉPOSABLE"
        if section.different_first_page_header_footer:
            assert plain(section.first_page_header.paragraphs[0].text) == "PROJET — NON DÉPOSABLE"
    assert "PROJET — NON DÉPOSABLE" in forced.text
    # Checked after the deadline, the example is blocked by its date alone; before it, it is clean.
    late = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path, "late.docx", forced=True)
    assert "PROJET — NON DÉPOSABLE" in late.text
    clean = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path, "clean.docx", forced=True,
                  today=date(2022, 10, 20))
    assert "NON DÉPOSABLE" not in clean.text  # nothing was forced: it is depositable
    normal = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path, "normal.docx")
    assert not normal.docx.sections[0].header.paragraphs[0].text


def test_no_prompt_on_opening_and_reproducible_bytes(tmp_path):
    dossier = dossier_from(faulty_answers())
    first = write(dossier, Mode.REVIEW, tmp_path, "un.docx")
    second = write(dossier, Mode.REVIEW, tmp_path, "deux.docx")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert "updateFields" not in first.xml["word/settings.xml"] and 'w:dirty="true"' not in first.xml["word/document.xml"]


# -- other calls: no code change --------------------------------------------------------------------

def test_bretagne_gets_its_document(tmp_path):
    bretagne = loading.find_appel(BRETAGNE)
    read = write(dossier_for(bretagne, bretagne_answers(tmp_path)), Mode.SUBMISSION, tmp_path)
    assert read.headings(1) == ["Synthèse du projet", "1. Identification de l’établissement et du projet",
                                "2. Situation actuelle de l’ambulatoire", "3. Amélioration du circuit ambulatoire",
                                "4. Investissements en biens ou en services et budget détaillé",
                                "5. Calendrier et évaluation", "6. Annexes", "Signature"]
    assert read.pairs("Chiffres clés")["Taux global de chirurgie ambulatoire"] == "62 %"
    assert read.pairs("Synthèse du projet")["Calendrier"] == "du 1er novembre 2025 au 1er février 2027 (15 mois)"
    assert "Annexe 1 — Devis de la solution de SMS (devis-sms.pdf)" in read.paragraphs()
    assert "Je soussigné(e) Yann Le Goff, directeur général, certifie exactes les informations du présent dossier." \
        in read.paragraphs()
    # « non »: the digitalised processes are not asked, and the yes/no is a row, not a heading.
    assert read.pairs("Digitalisation") == {"Digitalisation de processus": "Non"}
    assert "Le projet digitalise-t-il des processus ?" not in read.text


def test_a_third_call_gets_a_proper_document_with_no_code_change(tmp_path):
    appel = loading.read_appel(THIRD)
    assert lint(appel) == []
    dossier = dossier_for(appel, third_answers())
    read = write(dossier, Mode.SUBMISSION, tmp_path)
    assert read.headings(1) == ["Synthèse du projet", "1. Présentation de la structure",
                                "2. Description de l’action et budget", "Engagements et signature"]
    assert read.headings(2) == ["Fiche d’identification", "Besoins du territoire", "Public", "Calendrier de l’action",
                                "Budget de l’action", "Plan de financement"]
    cover = read.between("ARS Centre-Val de Loire", "Synthèse du projet")
    assert "Des ateliers d’équilibre à domicile" in cover and "Service d’aide à domicile du Loiret" in cover
    summary = read.pairs("Synthèse du projet")
    assert summary["Enjeu"] == "Les chutes sont la première cause d’hospitalisation des plus de 75 ans du territoire."
    assert summary["Durée"] == "du 1er avril 2027 au 1er octobre 2027 (6 mois)"
    assert summary["Coût total"] == "22 000,00 €"
    identity = read.pairs("Fiche d’identification")
    assert identity == {"Structure": "Service d’aide à domicile du Loiret", "FINESS": "450000088",
                        "SIRET": "267 500 452 00011", "Gestion publique": "Oui",
                        "Action": "Des ateliers d’équilibre à domicile"}
    assert read.rows(read.table_after("Plan de financement")) == [
        ["Total des dépenses", "22 000,00 €"], ["Montant sollicité", "22 000,00 €"],
        ["Total des ressources", "22 000,00 €"]]
    page = read.between("Engagements et signature", None)
    assert page[1:3] == ["L’établissement s’engage à :", "transmettre un bilan annuel de l’action à l’ARS."]
    assert "Je soussigné(e) Paul Girard, président, certifie exactes les informations du présent dossier." in page
    signed_on = format_date(dossier.modified.date()).replace("1 ", "1er ", 1 if dossier.modified.day == 1 else 0)
    assert "Fait à Orléans, le " + signed_on in page
    assert "Annexe 1 — Programme des ateliers (programme.pdf)" in read.paragraphs()
    assert "Pièces jointes" not in read.headings()


def test_a_call_without_document_block_gets_the_default(tmp_path):
    appel = loading.read_appel(DEFAULT)
    dossier = dossier_for(appel, default_answers())
    read = write(dossier, Mode.SUBMISSION, tmp_path)
    assert read.headings(1) == ["1. Le porteur", "2. Le projet", "Signature"]
    assert read.headings(2) == ["Fiche d’identification", "En quoi consiste le projet", "Thèmes", "Budget", "Pièces"]
    identity = read.pairs("Fiche d’identification")
    assert identity == {"Nom de l’établissement": "CH de Test", "SIRET": "267 500 452 00011",
                        "L’établissement a déjà été financé par l’ARS": "Non", "Date de début": "1er janvier 2027"}
    assert read.rows(read.table_after("Pièces")) == [["Nom", "Fichier"], ["Devis", "devis.pdf"]]
    assert read.rows(read.table_after("Budget"))[-1] == ["Total", "1 500,00 €"]
    page = read.between("Signature", None)
    assert any(line.startswith("Je soussigné(e) ………") for line in page)
    review = write(dossier, Mode.REVIEW, tmp_path)
    assert review.headings(1)[0] == "État du dossier"


# -- the document block is checked like the rest of the questionnaire --------------------------------

def test_document_block_cross_references_are_reported_at_their_place():
    import yaml

    data = yaml.safe_load(THIRD.read_text(encoding="utf-8"))
    layout = data["document"]
    layout["couverture"]["titre"] = "inconnue"
    layout["synthese"].append({"question": "nom_structure", "forme": "liste"})
    layout["sections"][0]["fiche"].append({"question": "pourquoi"})
    layout["sections"][1]["titres"]["personnes_suivies"] = "Personnes"
    layout["budget"]["montant"] = "poste"
    layout["engagements_coches"] = ["signataire"]
    layout["signature"]["lieu"] = "ville"
    layout["pieces_jointes"]["fichier"] = "intitule"
    problems = lint(Appel.from_data(data))
    assert problems == [
        "document › couverture › titre: question inconnue « inconnue »",
        "document › synthese › question nom_structure: la question est déjà dans ce tableau",
        "document › synthese › question nom_structure: « forme » ne va qu'avec une question de type groupe",
        ("document › section structure › fiche › question pourquoi: "
         "la question pourquoi est dans la section action, pas dans celle-ci"),
        ("document › section structure › fiche › question pourquoi: "
         "un texte long ne va pas dans une fiche : donnez-lui un titre dans « titres »"),
        ("document › section action › titres › question personnes_suivies: "
         "une réponse courte (type « entier ») va dans la fiche, pas sous un titre"),
        "document › budget › groupe_depenses: le champ couts.poste est de type « texte » ; il faut un montant",
        "document › engagements_coches: la question signataire est de type « texte » ; il faut un choix multiple",
        "document › signature › lieu: question inconnue « ville »",
        "document › pieces_jointes › fichier: le champ pieces.intitule est de type « texte » ; il faut un fichier",
    ]


def test_a_clean_modern_package_with_one_font(tmp_path):
    """No « Mode de compatibilité » in Word, no trace of python-docx's template, one family."""
    import zipfile

    path = write(dossier_from(example_answers()), Mode.SUBMISSION, tmp_path).path
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        settings = package.read("word/settings.xml").decode()
        app = package.read("docProps/app.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert not [n for n in names if n.startswith("customXml") or "thumbnail" in n or "stylesWithEffects" in n]
    assert "Macintosh" not in app and "Normal.dotm" not in app
    assert "asciiTheme" not in styles and 'w:ascii="Arial"' in styles
