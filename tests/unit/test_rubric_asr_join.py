"""Finnish ASR split words are joined during normalisation when the concatenation is a known stem."""

from __future__ import annotations

import pytest

from coach.rubric.asr_join import fi_join
from coach.rubric.normalize import fi_fold, normalize


@pytest.mark.parametrize("text,want", [
    ("pahoit telen viivettä", "pahoittelen viivettä"),
    ("ym märrän hyvin", "ymmärrän hyvin"),
    ("ymmär rän täysin", "ymmärrän täysin"),
    ("anteek si että jouduitte odottamaan", "anteeksi että jouduitte odottamaan"),
    ("soitan huomen na", "soitan huomenna"),
])
def test_splits_are_joined(text, want):
    assert normalize(text, "fi").text == fi_fold(want)  # Finnish is matched without diacritics


@pytest.mark.parametrize("a,b", [
    ("anteeksi", "sitä"),      # the first part is already the whole stem
    ("huomen", "naapuri"),     # too long an ending: two real words
    ("talo", "ssa"),           # not a known stem
    ("ym", "123"),             # not letters
])
def test_non_splits_stay_apart(a, b):
    assert fi_join(a, b) is None


def test_sentence_end_blocks_a_join():
    assert normalize("pahoit. Telen", "fi").text == "pahoit telen"


def test_english_is_untouched():
    assert normalize("ym märrän", "en").text == "ym märrän"
