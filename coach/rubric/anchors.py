"""What a rubric regex says about the words its matches contain (used by the prefilter).

From a pattern we derive, with Python's own regex parser, the literal words (or word prefixes)
every match must contain - its *anchors*. ``anchors(rx)`` picks the cheapest such set (rare words
over frequent ones), looking past plain groups and optional words (``(?:i )?do not (?:really
)?know`` -> ``know``); ``_first_words`` gives the words a match must START with. Plus the small
regex-source helpers the prefilter needs: splitting top-level alternatives and distributing a
leading group over them. Every rubric pattern is wrapped in word boundaries, so a word after a
literal space starts a word in the text.
"""

from __future__ import annotations

import re
from functools import lru_cache

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _p  # type: ignore[no-redef]

KEY = 4  # prefix anchors are compared on their first KEY characters
_RUN = re.compile(r"[^\W_]+")
_MAX_STATES = 400  # give up (no anchor) rather than enumerate a huge alternation
_SKIP = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}


class _TooMany(Exception):
    pass


def _walk(items, states: set[str], closed: set[tuple[str, bool]]) -> set[str]:
    """Extend the open literal prefixes ``states`` through ``items``; finished ones go to closed.

    ``(prefix, True)``: the match starts with exactly this word; ``(prefix, False)``: with a word
    starting with this prefix."""
    for op, av in items:
        if not states:
            break
        if len(states) > _MAX_STATES:
            raise _TooMany
        if op is _c.LITERAL:
            ch = chr(av)
            if ch == " ":
                closed.update((s, True) for s in states)
                states = set()
            else:
                states = {s + ch for s in states}
        elif op is _c.SUBPATTERN:
            states = _walk(av[-1], states, closed)
        elif op is _c.BRANCH:
            out: set[str] = set()
            for br in av[1]:
                out |= _walk(br, set(states), closed)
            states = out
        elif op is _c.IN and av == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]:  # \\d: any digit
            states = {s + ch for s in states for ch in "0123456789"}
        elif op is _c.IN and len(av) <= 12 and all(o is _c.LITERAL for o, _ in av):
            out = set()
            for _, ch in av:
                out |= _walk([(_c.LITERAL, ch)], set(states), closed)
            states = out
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
            lo, _hi, sub = av
            once = _walk(sub, set(states), closed)
            closed.update((s, False) for s in once)  # after the first pass: a prefix at least
            if lo > 0:
                states = set()
        elif op in _SKIP:
            continue
        else:  # a character class, any character, a back reference...: the prefix ends here
            closed.update((s, False) for s in states)
            states = set()
    return states


Anchors = tuple[frozenset[str], frozenset[str]]

# very frequent words make poor anchors: a candidate made of them is chosen only when nothing
# rarer is mandatory in the pattern
_COMMON = frozenset("""i we you he she it they me us them my our your his her their the a an is am are was were
be been being do does did not no to of and or but so for in on at by with this that these those
there here what how why when who can could will would shall should may might must have has had
just really very all any some one get got go going let please now then if as about from up out
ja ei en on se että ole mutta niin nyt kyllä me te minä sinä""".split())


def _first_words(items) -> Anchors | None:
    """Anchors of the first word of a match of ``items`` (which starts at a word start)."""
    try:
        closed: set[tuple[str, bool]] = set()
        rest = _walk(items, {""}, closed)
    except _TooMany:
        return None
    closed.update((s, True) for s in rest)  # the pattern ends at a word end
    exact, prefix = set(), set()
    for s, whole in closed:
        m = _RUN.match(s)
        word = m.group() if m else ""
        if not word:
            return None
        if whole and word == s:
            exact.add(word)
        else:
            prefix.add(word[:KEY])
    return frozenset(exact), frozenset(prefix)


def _cost(anc: Anchors) -> float:
    c = sum(20.0 if w in _COMMON else (4.0 if len(w) < 3 else 1.0) for w in anc[0])
    return c + sum(1.5 if len(p) >= KEY else 20.0 for p in anc[1])


def _flat(items) -> list:
    """``items`` with plain groups spliced in and trailing assertions dropped, so that every word
    after a literal space is a candidate anchor (``(?:(?:i) )do not know(?!...)`` -> ``know``).
    Dropping a trailing assertion keeps the anchors necessary: it can only forbid matches."""
    out: list = []
    for op, av in items:
        if op is _c.SUBPATTERN and not av[1] and not av[2]:
            out.extend(_flat(av[-1]))
        else:
            out.append((op, av))
    while out and out[-1][0] in _SKIP:
        out.pop()
    return out


_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())


def _word_start_after(item, ws: bool) -> bool:
    """Whether a word starts right after ``item``, given whether one started before it: after a
    literal space, yes; after an assertion, as before; after a repeated group that ends in a
    space (``(?:really )?``), yes if it ran at least once, else as before."""
    op, av = item
    if op is _c.LITERAL:
        return av == 32
    if op in _SKIP:
        return ws
    if op in _REPEATS and _ends_with_space(av[2]):
        return True if av[0] > 0 else ws
    if op is _c.BRANCH and all(_ends_with_space(br) for br in av[1]):
        return True
    return False


def _ends_with_space(items, every: bool = True) -> bool:
    """Whether every match of the sequence ``items`` ends with a literal space, or (``every=False``)
    whether some way through it does (``i will (?:personally |make sure )``: the rubric validator
    reports such a branch, since a pattern ends at a word boundary and can never end there)."""
    sub = _flat(items)
    if not sub:
        return False
    op, av = sub[-1]
    if op is _c.LITERAL:
        return av == 32
    if op is _c.BRANCH:
        return (all if every else any)(_ends_with_space(br, every) for br in av[1])
    if op in _REPEATS:
        return (av[0] > 0 or not every) and _ends_with_space(av[2], every)
    if op is _c.SUBPATTERN:  # (a group _flat keeps: capturing, or with flags)
        return _ends_with_space(av[-1], every)
    return False


def _candidates(items, at_word_start: bool) -> list[Anchors]:
    """Every anchor set of the sequence ``items``: one per position that starts a word in every
    match (each is a necessary condition on its own; ``_best`` picks the cheapest)."""
    items = _flat(items)
    if len(items) == 1 and items[0][0] is _c.BRANCH:  # a|b|c: one anchor set per alternative
        alts = [_best(br, at_word_start) for br in items[0][1][1]]
        if any(a is None for a in alts):
            return []
        return [(frozenset().union(*(a[0] for a in alts)), frozenset().union(*(a[1] for a in alts)))]
    cands: list[Anchors] = []
    ws = at_word_start  # does position j start a word in every match?
    for j in range(len(items)):
        if j > 0:
            ws = _word_start_after(items[j - 1], ws)
        if not ws:
            continue
        a = _first_words(items[j:])
        if a is not None:
            cands.append(a)
    return cands


def _best(items, at_word_start: bool) -> Anchors | None:
    """The cheapest anchor set that every match of the sequence ``items`` must contain."""
    cands = _candidates(items, at_word_start)
    return min(cands, key=_cost) if cands else None


@lru_cache(maxsize=16384)  # anchors() (the gates) and mandatory_sets() (the dispatch) share one parse
def _all_sets(regex: str) -> tuple[Anchors, ...] | None:
    """Every anchor set of ``regex`` (see ``_candidates``), or None when it does not parse."""
    try:
        return tuple(_candidates(_p.parse(regex), True))
    except (re.error, RecursionError):
        return None


def mandatory_sets(regex: str, most: int = 3) -> list[Anchors]:
    """Up to ``most`` anchor sets of ``regex``, cheapest first, each necessary on its own: every
    match contains a word (or word prefix) from EACH of them (``i am (?:so )?sorry for (?:the|this)
    delay`` -> ``sorry``, ``delay``, ``for``...). The token dispatch asks for all of them at once."""
    out: list[Anchors] = []
    for a in sorted(set(_all_sets(regex) or ()), key=lambda a: (_cost(a), sorted(a[0]), sorted(a[1]))):
        if not any(len(p) < KEY for p in a[1]):
            out.append(a)
    return out[:most]


def anchors(regex: str) -> Anchors | None:
    """Words / word prefixes of which every match contains at least one, or None (no filter)."""
    cands = _all_sets(regex)
    return min(cands, key=_cost) if cands else None


def _scan(rx: str, start: int = 0):
    """(index, character, depth) of each character of a regex source that is structure: not
    escaped and not inside a character class. ``depth`` counts the open groups before it."""
    depth, cls, esc = 0, False, False
    for i in range(start, len(rx)):
        ch = rx[i]
        if esc:
            esc = False
        elif ch == "\\":
            esc = True
        elif cls:
            cls = ch != "]"
        elif ch == "[":
            cls = True
        else:
            if ch == ")":
                depth -= 1
            yield i, ch, depth
            if ch == "(":
                depth += 1


def split_alternatives(rx: str) -> list[str]:
    """Split a regex at its top-level ``|`` (outside groups and character classes)."""
    cuts = [i for i, ch, depth in _scan(rx) if ch == "|" and depth == 0]
    bounds = [-1] + cuts + [len(rx)]
    return [rx[a + 1:b] for a, b in zip(bounds, bounds[1:])]


def _group_end(rx: str, start: int) -> int:
    """Index just after the group that opens at ``rx[start]`` ('('), or -1."""
    for i, ch, depth in _scan(rx, start):
        if ch == ")" and depth == 0:
            return i + 1
    return -1


def expand_alternatives(rx: str, depth: int = 0) -> list[str]:
    """Equivalent alternatives of ``rx`` in order: its top-level ``|`` split, and a leading
    ``(?:a|b)rest`` distributed into ``(?:a)rest|(?:b)rest`` (a few levels deep), so that most
    alternatives start with a known word."""
    out = []
    for alt in split_alternatives(rx):
        if depth < 3 and alt.startswith("(?:"):
            end = _group_end(alt, 0)
            inner = alt[3:end - 1] if end > 0 else ""
            quant = alt[end:end + 1] if end > 0 else ""
            if end > 0 and quant not in ("?", "*", "+", "{") and len(split_alternatives(inner)) > 1:
                rest = alt[end:]
                out.extend(f"(?:{a}){rest}" if rest else a for a in expand_alternatives(inner, depth + 1))
                continue
        out.append(alt)
    return out
