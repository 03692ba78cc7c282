"""Display helpers shared by the terminal and the Word export."""

from assistant.values import paragraphs


def test_paragraphs_join_prose_and_keep_list_items():
    text = ("Premier paragraphe écrit\nsur deux lignes.\n\n1. Un point\n   qui continue\n2. Un autre\n"
            "- une puce\n\nLes bilans comparent à l'état initial (audit de mars\n2022) et à l'objectif.")
    assert paragraphs(text) == [
        "Premier paragraphe écrit sur deux lignes.",
        "1. Un point qui continue\n2. Un autre\n- une puce",
        "Les bilans comparent à l'état initial (audit de mars 2022) et à l'objectif.",
    ]


def test_paragraphs_of_empty_text():
    assert paragraphs("  \n\n ") == []
