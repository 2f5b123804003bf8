"""Per-check word gates: skip a whole check when the utterance has none of the words it needs.

Built once per compiled rubric, speaker and language from the token dispatch of each pattern
list (:mod:`coach.rubric.prefilter`). A gate is a conjunction of key sets (words, ``\\x01`` +
word prefixes, ``\\x02`` for any number): the check can only hit when the utterance's keys
(:func:`coach.rubric.prefilter.doc_keys`) meet EVERY set. It is a necessary condition derived
from the same anchors the dispatch uses, so a gated-out check is one whose ``find`` would have
returned nothing: results are identical, only the per-check Python calls are saved.
"""

from __future__ import annotations

from coach.rubric.checks import AllOfCheck, AnyOfCheck, PatternCheck

Gate = tuple  # tuple[frozenset, ...]: all must meet the utterance's keys; () = always run


def _pattern_keys(check: PatternCheck) -> frozenset | None:
    """Keys one of which every match of the check's patterns starts with / contains."""
    pats = check.pats
    if pats.regex is None:
        return frozenset()  # never matches: an empty set never meets anything
    d = pats.dispatch
    if d is None:
        return None
    keys = set(d.keyset)
    for need, _ in d.guarded:
        if need is None:
            return None
        keys |= need
    return frozenset(keys)


def gate(check) -> Gate:
    """The conjunction of key sets the utterance must meet for ``check.find`` to hit."""
    cls = check.__class__
    if cls is PatternCheck:
        k = _pattern_keys(check)
        return () if k is None else (k,)
    if cls is AllOfCheck:  # its pre-pass: every part must match somewhere
        out: tuple = ()
        for sub in check.subs:
            out += gate(sub)
        return out
    if cls is AnyOfCheck:  # some part must match: the union of one set per part
        union: set = set()
        for sub in check.subs:
            g = gate(sub)
            if not g:
                return ()
            union |= g[0]
        return (frozenset(union),) if check.subs else (frozenset(),)
    return ()  # other kinds (plugins, semantic, item references to those): always run


def gated_checks(comp, speaker: str, items) -> list[tuple[str, object, Gate]]:
    """``comp.utterance_checks`` with each check's gate, cached on the compiled rubric."""
    key = ("gated", speaker)
    got = comp.per_speaker.get(key)
    if got is None:
        got = [(item_id, check, gate(check)) for item_id, check in comp.utterance_checks(speaker, items)]
        comp.per_speaker[key] = got
    return got
