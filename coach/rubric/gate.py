"""Check-level gate: skip a whole check when the utterance has none of the words it needs.

The token dispatch (``coach.rubric.prefilter``) already rejects one pattern list cheaply, but a
rubric has a dozen checks, some nested (``all_of``, ``any_of``, ``time_promise``), and calling
each of them for every utterance costs more than the matching itself. ``gates(check)`` derives,
once per check, a tuple of key sets; the check can only match an utterance whose word keys
(``prefilter.doc_keys``) meet EVERY one of the sets. ``()`` means "no condition known" (a plugin
kind, a pattern without an anchor): the check always runs. Like the dispatch it is a necessary
condition only, so findings are identical with and without it (``prefilter.ENABLED`` turns both
off; ``tests/unit/test_rubric_prefilter.py`` compares the two on the labelled sets).
"""

from __future__ import annotations

from typing import Any

Gates = tuple  # tuple[frozenset[str], ...]
_NEVER: Gates = (frozenset(),)  # an empty pattern list never matches


def _pattern_gates(pats: Any) -> Gates:
    if pats is None or getattr(pats, "regex", None) is None:
        return _NEVER
    d = getattr(pats, "dispatch", None)
    return () if d is None else gates_of_dispatch(d)


def gates_of_dispatch(d: Any) -> Gates:
    """One key set: each alternative's rarest mandatory word (cached on the dispatch)."""
    got = getattr(d, "_gate", None)
    if got is not None:
        return got
    from coach.rubric.anchors import KEY, anchors
    from coach.rubric.prefilter import register_prefixes

    keys: set = set()
    got = ()
    for alt in d.alternatives:
        anc = anchors(alt)
        if anc is None or any(len(p) < KEY for p in anc[1]):
            break  # an alternative without an anchor word: anything may match
        keys |= anc[0]
        keys.update("\x01" + p for p in anc[1])
    else:
        got = (frozenset(keys),)
        register_prefixes(keys)
    d._gate = got
    return got


def _compute(check: Any) -> Gates:
    from coach.rubric.checks import AllOfCheck, AnyOfCheck, PatternCheck

    if isinstance(check, PatternCheck):
        return _pattern_gates(check.pats)
    if isinstance(check, AllOfCheck):  # every part must match: every part's gates hold
        out: list = []
        for sub in check.subs:
            out.extend(g for g in gates(sub) if g not in out)
        return tuple(out)
    if isinstance(check, AnyOfCheck):  # some part must match: the union of one gate per part
        keys: set = set()
        for sub in check.subs:
            g = gates(sub)
            if not g:
                return ()
            keys |= min(g, key=len)
        return (frozenset(keys),)
    return ()


def gates(check: Any) -> Gates:
    """The key sets an utterance must meet for ``check`` to possibly match (cached per check)."""
    got = getattr(check, "_gates", None)
    if got is None:
        got = _compute(check)
        try:
            check._gates = got
        except AttributeError:  # a plugin check with __slots__: compute each time
            pass
    return got


def may_match(gs: Gates, keys: frozenset) -> bool:
    for g in gs:
        if g.isdisjoint(keys):
            return False
    return True
