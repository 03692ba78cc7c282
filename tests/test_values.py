"""Display helpers shared by the terminal and the Word export."""

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

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


_FRENCH = st.sampled_from(list("aeiouéèêëàâçùûôîïœ’'«» —…-\n\u0301\u0327E\u00a0"))


@given(st.text(alphabet=st.one_of(_FRENCH, st.characters()), min_size=2_001, max_size=3_000))
@settings(max_examples=60, deadline=None)
def test_a_long_text_folds_as_a_short_one_does(text):
    from assistant.text import _unmarked

    decomposed = unicodedata.normalize("NFKD", text)
    assert _unmarked(decomposed) == "".join(c for c in decomposed if not unicodedata.combining(c))
