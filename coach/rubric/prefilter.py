"""Token prefilter: try only the pattern alternatives the utterance's words allow.

Every rubric pattern is wrapped in word boundaries, so a match starts at the start of a word.
Each pattern list is split into its alternatives, and from each the words (or 4-letter word
prefixes) every match must contain are derived (coach.rubric.anchors): the words it can start
with, and up to three *word sets* it needs. At run time an utterance's words (``doc_keys``) decide
at once, with bit masks, which alternatives are candidates (their sets all met); only those are
tried, each at the words it can start with. Nothing is declared by hand; an alternative whose
words cannot be derived (``\\w+ speaking``) is always a candidate and searched. The filter is a
necessary condition only, so results are identical with and without it
(``tests/unit/test_rubric_prefilter.py`` asserts this on the labelled sets).
"""

from __future__ import annotations

import re
from itertools import accumulate

from coach.rubric.anchors import (KEY, _RUN, _first_words, _p, anchors,  # noqa: F401
                                  expand_alternatives, mandatory_sets, split_alternatives)

ENABLED = True  # switch off to compare results (tests) or measure the gain (benchmarks)

class Dispatch:
    """Token dispatch (like a spaCy Matcher): try only the alternatives the utterance's words allow,
    each only where its first word is.

    ``alternatives`` are the top-level alternatives of every pattern of a list, in order, each
    already wrapped in the closing word boundary; ``prefix`` is the word-start check the full
    regex puts in front. For each alternative up to three *anchor sets* are derived
    (coach.rubric.anchors.mandatory_sets): every match contains a word from each of them
    ("i am so sorry for the delay" needs "delay", "sorry" and "am"). An alternative is a
    *candidate* for an utterance only when its words meet all of its sets; that is decided for
    all alternatives at once with bit masks (one bit per set, see ``_candidates``). A candidate
    whose first word is known is tried with ``match`` at the start of each utterance word that
    carries it; one whose first word is not known is searched over the range, and if it matches
    the full regex decides. ``any`` and ``spans`` answer exactly what the full regex's ``search``
    and ``finditer`` answer: a match of the full regex is the first alternative (in order) that
    matches at the leftmost word start where one does, and an alternative that is no candidate
    cannot match anywhere in the text."""

    def __init__(self, alternatives: list[str], prefix: str):
        self.alternatives = alternatives  # (also for coach.rubric.gate)
        self.prefix = prefix
        # first word of each alternative as keys (exact words; "\x01" + a prefix of KEY
        # characters; "\x02": any word starting with a digit), or None (not known: searched).
        # Parsed now: an alternative that does not parse on its own makes dispatch() give up.
        first: list[frozenset | None] = []
        for alt in alternatives:
            fw = _first_words(list(_p.parse(alt)))
            if fw is None or any(len(p) < KEY and not p[0].isdigit() for p in fw[1]):
                first.append(None)
                continue
            ks = {w for w in fw[0] if not w[0].isdigit()} | {"\x01" + p for p in fw[1] if not p[0].isdigit()}
            if any(w[0].isdigit() for w in fw[0] | fw[1]):
                ks.add("\x02")
            first.append(frozenset(ks))
            register_prefixes(ks)
        self.first = first
        self._masks: dict[str, int] | None = None  # built on first use: loading a rubric stays quick
        self._mask_keys: frozenset = frozenset()
        self._low = self._guard = 0
        self._alt_of_bit: dict[int, int] = {}
        self._cands: dict[int, tuple[int, ...]] = {}
        self._last: tuple = (None, ())  # the keys asked about last, and the answer
        self._match: list = [None] * len(alternatives)  # alternative -> compiled match (lazily)
        self._search: dict[int, re.Pattern] = {}  # alternative without a known first word -> search

    def _build(self) -> None:
        """The bit layout: alternative i owns a block of one bit per anchor set plus a guard bit
        above them. ``_masks[key]``: the bits of every set holding that key. For an utterance,
        ``sat`` = the OR of its keys' masks; adding one at the bottom of every block carries into
        a block's guard bit exactly when all its sets are met (an alternative without any set
        has an empty block: its guard is always reached, it is always a candidate)."""
        masks: dict[str, int] = {}
        low = guard = 0
        bit = 0
        alt_of_bit = {}
        for i, alt in enumerate(self.alternatives):
            sets = mandatory_sets(alt)
            low |= 1 << bit
            for exact, prefixes in sets:
                keys = exact | {"\x01" + p for p in prefixes}
                register_prefixes(keys)
                for k in keys:
                    masks[k] = masks.get(k, 0) | (1 << bit)
                bit += 1
            guard |= 1 << bit
            alt_of_bit[bit + 1] = i  # (keyed by the guard's bit_length)
            bit += 1
        self._low, self._guard, self._alt_of_bit = low, guard, alt_of_bit
        self._mask_keys = frozenset(masks)
        self._masks = masks

    def _candidates(self, ks: frozenset) -> tuple[int, ...]:
        """The alternatives whose anchor sets the keys ``ks`` all meet, in order."""
        last = self._last  # (one read: another thread may replace it)
        if ks is last[0]:  # the same utterance again (a clause of it, a trap, a veto)
            return last[1]
        got = self._candidates_of(ks)
        self._last = (ks, got)
        return got

    def _candidates_of(self, ks: frozenset) -> tuple[int, ...]:
        masks = self._masks
        sat = 0
        for k in ks & self._mask_keys:
            sat |= masks[k]
        r = (sat + self._low) & self._guard
        if not r:
            return ()
        got = self._cands.get(r)
        if got is None:
            out = []
            alt_of_bit = self._alt_of_bit
            rest = r
            while rest:
                b = rest & -rest
                out.append(alt_of_bit[b.bit_length()])
                rest ^= b
            got = tuple(out)
            if len(self._cands) >= 4096:  # (a bound: the sets met repeat, the texts do not)
                self._cands.clear()
            self._cands[r] = got
        return got

    def _searched_hit(self, i: int, text: str, a: int, b: int) -> bool:
        rx = self._search.get(i)
        if rx is None:
            rx = self._search[i] = re.compile(self.prefix + self.alternatives[i])
        return rx.search(text, a, b) is not None

    def _matcher(self, i: int):
        m = self._match[i] = re.compile(self.alternatives[i]).match
        return m

    def any(self, full: re.Pattern, text: str, a: int, b: int) -> bool:
        if not ENABLED:
            return full.search(text, a, b) is not None
        if self._masks is None:
            self._build()  # (first: it may register word prefixes, and so change the keys)
        keys = _KEYS.get(text) or doc_keys(text)
        ks = keys.set
        first = self.first
        for i in self._candidates(ks):
            fk = first[i]
            if fk is None:
                if self._searched_hit(i, text, a, b):
                    return True
                continue
            match = self._match[i] or self._matcher(i)
            for k in fk & ks:
                for p in keys[k]:
                    if a <= p < b and match(text, p, b) is not None:
                        return True
        return False

    def spans(self, full: re.Pattern, text: str, a: int, b: int) -> list[tuple[int, int]]:
        """Exactly ``[m.span() for m in full.finditer(text, a, b)]``: at each word start the
        first candidate (in order) that matches there, then on from the end of that match."""
        if not ENABLED:
            return [m.span() for m in full.finditer(text, a, b)]
        if self._masks is None:
            self._build()  # (as in any())
        keys = _KEYS.get(text) or doc_keys(text)
        ks = keys.set
        cands = self._candidates(ks)
        if not cands:
            return []
        first = self.first
        found: dict[int, int] = {}  # word start -> end of the first candidate matching there
        for i in cands:
            fk = first[i]
            if fk is None:
                if self._searched_hit(i, text, a, b):
                    return [m.span() for m in full.finditer(text, a, b)]
                continue
            match = self._match[i] or self._matcher(i)
            for k in fk & ks:
                for p in keys[k]:
                    if a <= p < b and p not in found:
                        m = match(text, p, b)
                        if m is not None:
                            found[p] = m.end()
        if not found:
            return []
        out: list[tuple[int, int]] = []
        cur = a
        for p in sorted(found) if len(found) > 1 else found:
            if p < cur:
                continue
            e = found[p]
            if e == p:  # an empty match: leave finditer's rules to finditer
                return [m.span() for m in full.finditer(text, a, b)]
            out.append((p, e))
            cur = e
        return out


def dispatch(alternatives: list[str], prefix: str) -> Dispatch | None:
    """A Dispatch, or None (use the full regex) if an alternative does not parse on its own."""
    try:
        return Dispatch(alternatives, prefix)
    except (re.error, RecursionError):
        return None


class _Keys(dict):
    """doc_keys' answer: word -> start positions, plus ``.set`` (the keys as a frozenset, so set
    operations with the dispatch key sets iterate the smaller side)."""

    __slots__ = ("set",)


_KEYS: dict[str, _Keys] = {}  # text -> its keys (normalize() fills it from its word list)
_KEYS_MAX = 16384
# Word prefixes some dispatch or gate looks up ("\x01" + prefix keys). A text's keys carry only
# these (most words start no pattern); registering a new one empties the key cache, so keys are
# always complete for every prefix in use. Dispatches register theirs when built, gates when
# derived - before they look at any keys.
_PREFIXES: set[str] = set()


def register_prefixes(keys) -> None:
    new = {k[1:] for k in keys if k[:1] == "\x01"} - _PREFIXES
    if new:
        _PREFIXES.update(new)
        _KEYS.clear()


def _store(text: str, out: _Keys) -> _Keys:
    out.set = frozenset(out)
    if len(_KEYS) >= _KEYS_MAX:
        _KEYS.clear()
    _KEYS[text] = out
    return out


def doc_keys(text: str) -> _Keys:
    """Where each word starts, by the word and by ``\\x01`` + its first KEY characters
    (``\\x02``: any word starting with a digit). Cached per text."""
    got = _KEYS.get(text)
    if got is not None:
        return got
    out = _Keys()
    if text.replace(" ", "").isalnum() and "  " not in text:  # the usual text: words and single spaces
        words = text.split(" ")
        _fill(out, words, list(accumulate([0] + [len(w) + 1 for w in words[:-1]])))
    else:
        runs = list(_RUN.finditer(text))
        _fill(out, [m.group() for m in runs], [m.start() for m in runs])
    return _store(text, out)


def _fill(out: dict, words: list[str], starts: list[int]) -> None:
    """Add each word (non-empty, alphanumeric) at its start: by itself, by ``\\x01`` + its first
    KEY characters, and under ``\\x02`` if it starts with a digit."""
    get = out.get
    for r, p in zip(words, starts):
        out[r] = get(r, ()) + (p,)
        if len(r) >= KEY and r[:KEY] in _PREFIXES:
            k = "\x01" + r[:KEY]
            out[k] = get(k, ()) + (p,)
        if r[:1].isdigit():
            out["\x02"] = get("\x02", ()) + (p,)


def remember_words(text: str, words: list[str], starts: list[int] | tuple[int, ...]) -> None:
    """Prime doc_keys for a normalised text from its words and their offsets (what normalize()
    has at hand): the same keys, without splitting the text again."""
    if text in _KEYS:
        return
    out = _Keys()
    if "".join(words).isalnum():
        _fill(out, words, starts)
    else:
        runs = [(m.group(), p + m.start()) for r, p in zip(words, starts) for m in _RUN.finditer(r)]
        _fill(out, [r for r, _ in runs], [p for _, p in runs])
    _store(text, out)


doc_keys.cache_clear = _KEYS.clear  # type: ignore[attr-defined]


def warm(obj, _seen: set | None = None) -> int:
    """Compile every lazily compiled dispatch regex under a compiled rubric or check (the live loop
    can call this once at start-up, so the first turns do not pay for it). Returns how many."""
    seen = set() if _seen is None else _seen
    if id(obj) in seen or obj is None or isinstance(obj, (str, bytes, int, float, re.Pattern)):
        return 0
    seen.add(id(obj))
    n = 0
    if isinstance(obj, Dispatch):
        from coach.rubric.gate import gates_of_dispatch

        gates_of_dispatch(obj)
        if obj._masks is None:
            obj._build()
        for i, fk in enumerate(obj.first):
            if fk is None and i not in obj._search:
                obj._searched_hit(i, "", 0, 0)
                n += 1
            elif fk is not None and obj._match[i] is None:
                obj._matcher(i)
                n += 1
        return n
    if isinstance(obj, dict):
        return sum(warm(v, seen) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(warm(v, seen) for v in obj)
    for name in ("checks", "subs", "pats", "guard", "exclude", "unless", "unless_exclude", "breaks", "sentence_unless", "dispatch"):
        n += warm(getattr(obj, name, None), seen)
    return n
