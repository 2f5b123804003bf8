"""Token prefilter: skip a pattern list when the utterance has none of its anchor words.

Every rubric pattern is wrapped in word boundaries, so a match starts at the start of a word.
From each compiled pattern we derive (coach.rubric.anchors) the literal text its
matches must START with: either a whole first word (``do not know`` -> the word ``do``) or a word
prefix (``frustrat\\w*`` -> a word starting with ``frus``). A pattern list is then a set of anchor
words and prefixes; an utterance none of whose words carries one of them cannot match, and the
(expensive) alternation is never run. Anchors are derived automatically; a pattern that starts
with something non-literal (``\\w+``, ``\\d+``, a wide character class) has no anchor, and then
its whole list is always run. The filter is a necessary condition only, so results are identical
with and without it (``tests/unit/test_rubric_prefilter.py`` asserts this on the labelled sets).
"""

from __future__ import annotations

import re
from itertools import accumulate

from coach.rubric.anchors import (KEY, _RUN, _first_words, _p, anchors,  # noqa: F401
                                  expand_alternatives, split_alternatives)

ENABLED = True  # switch off to compare results (tests) or measure the gain (benchmarks)

class Dispatch:
    """Token dispatch (like a spaCy Matcher): try each alternative only where its first word is.

    ``alternatives`` are the top-level alternatives of every pattern of a list, in order, each
    already wrapped in the closing word boundary; ``prefix`` is the word-start check the full
    regex puts in front. An alternative whose first word is known (exact words, or prefixes of
    KEY characters) is tried with ``match`` at the start of each utterance word that carries it;
    the others are searched over the range. ``any(text, a, b)`` answers exactly what
    ``full.search(text, a, b) is not None`` answers, because a match of the full regex is a match
    of one alternative starting at a word start. A first word whose alternatives all need words
    (their anchors) the text lacks is not tried either."""

    def __init__(self, alternatives: list[str], prefix: str):
        groups: dict[str, list[str]] = {}  # first word -> the alternatives that start with it
        searched: list[str] = []
        order: dict[str, list[int]] = {}  # first word -> indices of its alternatives
        for n_alt, alt in enumerate(alternatives):
            fw = _first_words(list(_p.parse(alt)))  # re.error: see dispatch()
            if fw is None or any(len(p) < KEY and not p[0].isdigit() for p in fw[1]):
                searched.append(alt)
                continue
            # a word starting with a digit ("3 pm", "14th") is keyed by "\x02": any number
            ks = {w for w in fw[0] if not w[0].isdigit()} | {"\x01" + p for p in fw[1] if not p[0].isdigit()}
            if any(w[0].isdigit() for w in fw[0] | fw[1]):
                ks.add("\x02")
            for k in sorted(ks):
                groups.setdefault(k, []).append(alt)
                order.setdefault(k, []).append(n_alt)
        # one regex per first word (alternatives in their original order), tried with match()
        # compiled on first use (a str until then): loading a rubric stays quick
        self.index: dict[str, object] = {k: "|".join(v) for k, v in groups.items()}
        self.keyset = frozenset(self.index)
        self._order = order
        self._need: frozenset | bool | None = None  # coach.rubric.gate: the rarest words, one per alternative
        # the same per first-word key: a key whose alternatives need words the text lacks is not
        # tried at all (a key with an alternative without anchor is not in it)
        self._key_need: dict[str, frozenset] = {}
        self._combos: dict[tuple, object] = {}  # several keys at one word: their alternatives merged
        # alternatives without a known first word are searched over the range, but only when
        # the utterance has a word the alternative cannot match without (its best anchor)
        guarded: dict[frozenset, list[str]] = {}
        self.unguarded: list[str] = []
        for alt in searched:
            anc = anchors(alt)
            if anc is None or any(len(p) < KEY for p in anc[1]):
                self.unguarded.append(alt)
            else:
                guarded.setdefault(anc[0] | {"\x01" + p for p in anc[1]}, []).append(alt)
        self.prefix = prefix
        self.alternatives = alternatives  # for coach.rubric.gate
        self.guarded = [(keys, prefix + "(?:" + "|".join(alts) + ")") for keys, alts in guarded.items()]
        if self.unguarded:
            self.guarded.append((None, prefix + "(?:" + "|".join(self.unguarded) + ")"))
        self.search = bool(self.guarded)
        # every word some guarded alternative needs (None: one is unguarded): a text without any
        # of them skips _guarded_hit
        self._guard_words = None if self.unguarded else frozenset().union(*(need for need, _ in self.guarded))
        register_prefixes(self.keyset)
        for need, _ in self.guarded:
            if need is not None:
                register_prefixes(need)

    def _need_words(self) -> frozenset | bool:
        """``_need``, derived on first use: the gate's key set, or False (no condition). Also
        derives ``_key_need`` (before any keys are looked at: both may register word prefixes)."""
        from coach.rubric.gate import gates_of_dispatch

        g = gates_of_dispatch(self)
        key_need = {}
        for k, idx in self._order.items():
            ks: set = set()
            for i in idx:
                anc = anchors(self.alternatives[i])
                if anc is None or any(len(p) < KEY for p in anc[1]):
                    break  # an alternative without an anchor: no condition for this key
                ks |= anc[0]
                ks.update("\x01" + p for p in anc[1])
            else:
                if k not in ks:  # (a key its own alternatives need is always there: no condition)
                    key_need[k] = frozenset(ks)
                    register_prefixes(ks)
        self._key_need = key_need
        need = self._need = g[0] if g else False
        return need

    def _guarded_hit(self, ks: frozenset, text: str, a: int, b: int) -> bool:
        """True when an alternative without a known first word matches in [a, b)."""
        for n, (need, rx) in enumerate(self.guarded):
            if need is None or not need.isdisjoint(ks):
                if rx.__class__ is str:
                    rx = re.compile(rx)
                    self.guarded[n] = (need, rx)
                if rx.search(text, a, b) is not None:
                    return True
        return False

    def any(self, full: re.Pattern, text: str, a: int, b: int) -> bool:
        if not ENABLED:
            return full.search(text, a, b) is not None
        # no match is possible when the text has none of the words every match needs (each
        # alternative's rarest, see coach.rubric.gate). _need first: deriving it may register
        # word prefixes (see _PREFIXES), and so change the keys
        need = self._need
        if need is None:
            need = self._need_words()
        keys = _KEYS.get(text) or doc_keys(text)
        ks = keys.set
        if need is not False and ks.isdisjoint(need):
            return False
        if self.search and (self._guard_words is None or not ks.isdisjoint(self._guard_words)) and \
                self._guarded_hit(ks, text, a, b):
            return True
        index = self.index
        key_need = self._key_need
        for k in self.keyset & ks:
            kn = key_need.get(k)
            if kn is not None and ks.isdisjoint(kn):
                continue
            match = index[k]
            if match.__class__ is str:
                match = index[k] = re.compile(match).match
            for pos in keys[k]:
                if a <= pos < b and match(text, pos, b) is not None:
                    return True
        return False

    def spans(self, full: re.Pattern, text: str, a: int, b: int) -> list[tuple[int, int]]:
        """Exactly ``[m.span() for m in full.finditer(text, a, b)]``, trying the full
        alternation only at the words that can start a match (and only when an alternative
        without a known first word matches somewhere in the range)."""
        if not ENABLED:
            return [m.span() for m in full.finditer(text, a, b)]
        need = self._need  # (as in any())
        if need is None:
            need = self._need_words()
        keys = _KEYS.get(text) or doc_keys(text)
        ks = keys.set
        if need is not False and ks.isdisjoint(need):
            return []
        if self.search and (self._guard_words is None or not ks.isdisjoint(self._guard_words)) and \
                self._guarded_hit(ks, text, a, b):
            return [m.span() for m in full.finditer(text, a, b)]
        found = self.keyset & ks
        if len(found) == 1:
            # the usual case: one key, so no merging by position. Its positions are ascending
            # (doc_keys adds the words in order), so the range test is `p < cur` and a break.
            for k in found:
                kn = self._key_need.get(k)
                if kn is not None and ks.isdisjoint(kn):
                    return []
                match = self.index[k]
                if match.__class__ is str:
                    match = self.index[k] = re.compile(match).match
                out = []
                cur = a
                for p in keys[k]:
                    if p < cur:
                        continue
                    if p >= b:
                        break
                    m = match(text, p, b)
                    if m is not None:
                        e = m.end()
                        if e == p:  # an empty match: leave finditer's rules to finditer
                            return [m.span() for m in full.finditer(text, a, b)]
                        out.append((p, e))
                        cur = e
                return out
        at: dict[int, list[str]] = {}  # word start -> the keys it carries that start alternatives
        key_need = self._key_need
        for k in found:
            kn = key_need.get(k)
            if kn is not None and ks.isdisjoint(kn):
                continue
            for p in keys[k]:
                if a <= p < b:
                    if p in at:
                        at[p].append(k)
                    else:
                        at[p] = [k]
        if not at:
            return []
        index = self.index
        out: list[tuple[int, int]] = []
        cur = a
        for p in sorted(at) if len(at) > 1 else at:
            if p < cur:
                continue
            here = at[p]
            if len(here) == 1:
                match = index[here[0]]
                if match.__class__ is str:
                    match = index[here[0]] = re.compile(match).match
            else:  # the alternatives of every key here, in their original order (as finditer tries them)
                match = self._combo(tuple(sorted(here)))
            m = match(text, p, b)
            if m is not None:
                e = m.end()
                if e == p:  # an empty match: leave finditer's rules to finditer
                    return [m.span() for m in full.finditer(text, a, b)]
                out.append((p, e))
                cur = e
        return out

    def _combo(self, ks: tuple):
        got = self._combos.get(ks)
        if got is None:
            idx = sorted({i for k in ks for i in self._order[k]})
            got = self._combos[ks] = re.compile("|".join(self.alternatives[i] for i in idx)).match
        return got


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
        for k, v in list(obj.index.items()):
            if isinstance(v, str):
                obj.index[k] = re.compile(v).match
                n += 1
        from coach.rubric.gate import gates_of_dispatch

        gates_of_dispatch(obj)
        if obj._need is None:
            obj._need_words()
        for i, (need, rx) in enumerate(obj.guarded):
            if isinstance(rx, str):
                obj.guarded[i] = (need, re.compile(rx))
                n += 1
        return n
    if isinstance(obj, dict):
        return sum(warm(v, seen) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return sum(warm(v, seen) for v in obj)
    for name in ("checks", "subs", "pats", "guard", "exclude", "unless", "unless_exclude", "breaks", "sentence_unless", "dispatch"):
        n += warm(getattr(obj, name, None), seen)
    return n
