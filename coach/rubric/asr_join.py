"""Joining Finnish words that speech recognition split in two ("pahoit telen" -> "pahoittelen").

Used by ``coach.rubric.normalize``: a pair is joined when the concatenation is one of the known
stems plus at most a short ending, and the first part is not already the whole stem ("anteeksi
sitä" stays two words, "huomen naapuri" is not joined).
"""

from __future__ import annotations

_FI_JOIN_STEMS = ("pahoittel", "pahottel", "pahoitel", "pahotel", "pahoillani", "pahoillamme",
                  "ymmärr", "ymmärä", "anteeksi", "anteeks", "huomenna", "ylihuomenna", "huomisaamu",
                  "valitettavasti", "harmitta", "harmillis", "turhautt", "ärsyttä", "kuulostaa",
                  "ikävält", "keskiviikko", "keskiviiko", "maanantai", "tiistai", "torstai",
                  "perjantai", "lauantai", "sunnuntai", "iltapäiväll", "aamupäiväll", "tarkistan",
                  "selvitän", "kohtuutto", "hyvitetään", "hyvityksen", "reklamaation")
_FI_JOIN: dict[str, tuple[str, ...]] = {}
for _st in _FI_JOIN_STEMS:
    _FI_JOIN[_st[:2]] = _FI_JOIN.get(_st[:2], ()) + (_st,)
_WHOLE = frozenset(_FI_JOIN_STEMS)
# the words fi_join can join with the next one: proper prefixes of a stem, two letters or longer
JOIN_FIRST = frozenset(st[:k] for st in _FI_JOIN_STEMS for k in range(2, len(st)))


def fi_join(a: str, b: str) -> str | None:
    """The joined word when "a b" is an ASR split of a known Finnish stem, else None."""
    stems = _FI_JOIN.get(a[:2])
    if stems is None or not b.isalpha() or a in _WHOLE:
        return None  # ("anteeks ihan" stays two words: "anteeks" is a stem of its own)
    c = a + b
    for st in stems:
        if len(a) < len(st) and c.startswith(st) and len(c) - len(st) <= 4:
            return c
    return None
