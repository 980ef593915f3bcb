"""Property tests of the comparison rules (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from typingtest.content.model import Field
from typingtest.content.normalise import Normalisation, fact_found
from typingtest.engine.actions import score_field

TEXT = st.text(alphabet=st.sampled_from(list("abcdeëé ABC-.,@0123456789")), max_size=30)
RULES = st.builds(
    Normalisation,
    case=st.sampled_from(["keep", "fold"]),
    spaces=st.sampled_from(["keep", "collapse", "remove"]),
    punctuation=st.sampled_from(["keep", "remove"]),
    numbers=st.sampled_from(["keep", "digits"]),
)


@settings(max_examples=200, deadline=None)
@given(value=TEXT, typed=TEXT, rules=RULES, kind=st.sampled_from(["text", "number", "phone", "email"]))
def test_a_field_is_correct_exactly_when_its_msd_error_rate_is_zero(value: str, typed: str, rules: Normalisation,
                                                                    kind: str) -> None:
    f = Field("f", "F", type=kind, value=value, normalise=rules)
    s = score_field(f, typed)
    if s.filled and s.msd_error_rate is not None:
        assert s.correct == (s.msd_error_rate == 0)
    assert score_field(f, value).msd_error_rate in (0.0, None)  # the value itself is always right


@settings(max_examples=200, deadline=None)
@given(before=TEXT, phrase=st.text(alphabet=st.sampled_from(list("abcdefgh 0123")), min_size=1, max_size=12),
       after=TEXT)
def test_a_note_holding_the_phrase_as_words_holds_the_fact(before: str, phrase: str, after: str) -> None:
    if not phrase.strip():
        return
    assert fact_found([phrase], f"{before} {phrase} {after}")
