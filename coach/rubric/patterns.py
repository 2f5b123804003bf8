"""Pattern lists compiled once per language: vocabulary expansion, word boundaries, evidence.

Patterns are regular expressions over the normalised text (see :mod:`coach.rubric.normalize`).
``{name}`` inserts a rubric vocabulary (``vocab:`` in the YAML) as a non-capturing alternation;
other braces (``{0,3}``) keep their regex meaning. Every pattern is wrapped in word boundaries,
and all patterns of one list are joined into ONE regex with a named group per pattern, so a match
costs one scan and still says which pattern produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import _compiler  # type: ignore[attr-defined]  # (Python 3.11+, as re._parser in coach.rubric.anchors)
from typing import Iterator, Mapping, Sequence

from coach.rubric import prefilter
from coach.rubric.anchors import _ends_with_space, _p as _parser  # (Python's own regex parser)
from coach.rubric.normalize import fi_fold, normalize_pattern_text

VOCAB_REF = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_B0 = r"(?<![^\W_])"
_B1 = r"(?![^\W_])"
# "(?:\w+ ){1,3} is", "(?:a|the (?:\w+ )?) is" or "a  b": normalised text has single spaces, so
# (that alternative of) the pattern can never match
_TWO_SPACES = re.compile(r"(?<!\\) \)(?:[*+?]|\{[\d,]*\})?\??(?:\)(?:[*+?]|\{[\d,]*\})?\??)* |(?<![\\ ])  ")

LangPatterns = Mapping[str, Sequence[str]] | Sequence[str] | None


@dataclass
class PatternIssue:
    loc: tuple
    message: str


@dataclass
class CompileContext:
    """What building a check needs: the language, the vocabularies, somewhere to put errors."""

    lang: str
    vocab: Mapping[str, Mapping[str, Sequence[str]] | Sequence[str]] = field(default_factory=dict)
    issues: list[PatternIssue] = field(default_factory=list)
    resolve_item: object = None  # callable(rubric_name, item_id, lang) -> check, for item.v1
    _vocab_cache: dict[str, str] = field(default_factory=dict)

    def for_lang(self, lst: LangPatterns) -> list[str]:
        if lst is None:
            return []
        if isinstance(lst, Mapping):
            return list(lst.get(self.lang, []) or []) + list(lst.get("any", []) or [])
        return list(lst)

    def vocab_regex(self, name: str, loc: tuple, stack: tuple = ()) -> str | None:
        if name in self._vocab_cache:
            return self._vocab_cache[name]
        if name not in self.vocab or name in stack:
            why = "recursive vocabulary" if name in stack else "unknown vocabulary"
            self.issues.append(PatternIssue(loc, f"{why} {{{name}}}"))
            return None
        words = self.for_lang(self.vocab[name])
        parts = [self.expand(w, loc, stack + (name,)) for w in words]
        alt = "(?:" + "|".join(p for p in parts if p is not None) + ")" if words else "(?!x)x"
        self._vocab_cache[name] = alt
        return alt

    def expand(self, pattern: str, loc: tuple, stack: tuple = ()) -> str | None:
        bad = False

        def sub(m: re.Match) -> str:
            nonlocal bad
            r = self.vocab_regex(m.group(1), loc, stack)
            if r is None:
                bad = True
                return ""
            return r

        out = VOCAB_REF.sub(sub, pattern)
        return None if bad else out

    def compile(self, lst: LangPatterns, loc: tuple, literal: bool = False) -> "PatternSet":
        """Compile a pattern list for this language; bad patterns are recorded and skipped."""
        sources = self.for_lang(lst)
        parts: list[str] = []
        kept: list[str] = []
        alternatives: list[str] = []
        base = isinstance(lst, Mapping)
        for i, src in enumerate(sources):
            ploc = loc + ((self.lang, i) if base else (i,))
            if not isinstance(src, str) or not src.strip():
                self.issues.append(PatternIssue(ploc, "pattern must be a non-empty string"))
                continue
            rx = phrase_to_regex(src, self.lang) if literal else self.expand(src, ploc)
            if rx is None:
                continue
            if self.lang == "fi":
                rx = fi_fold(rx)  # Finnish text is matched folded (coach.rubric.normalize)
            try:
                tree = _parser.parse(rx)
                _compiler.compile(tree)  # (what re.compile does, with the parse kept for the check below)
            except re.error as exc:
                self.issues.append(PatternIssue(ploc, f"bad regular expression {src!r}: {exc}"))
                continue
            if not literal and re.search(r"(?<!\\) (?:\(\?[!=][^)]*\))?$", src):
                self.issues.append(PatternIssue(ploc, f"pattern {src!r} ends with a space: its last alternative can never "
                                                      "match (patterns end at a word boundary)"))
                continue
            if not literal and _ends_with_space(tree, every=False):
                self.issues.append(PatternIssue(ploc, f"pattern {src!r} has a branch that ends with a space at the end of the "
                                                      "pattern: it can never match there (patterns end at a word boundary)"))
                continue
            if not literal and _TWO_SPACES.search(src):
                self.issues.append(PatternIssue(ploc, f"pattern {src!r} needs two spaces in a row (a group that ends with "
                                                      "a space is followed by another space): it can never match there"))
                continue
            parts.append(f"(?:{rx}){_B1}")
            kept.append(src)
            alternatives.extend(f"(?:{a}){_B1}" for a in (prefilter.expand_alternatives(rx) if not literal else [rx]))
        # one word-start check outside the alternation: mid-word positions fail at once. No
        # capturing groups around the alternatives, so the regex engine can reject a branch by
        # its first literal; which pattern matched is found afterwards, only for hits.
        rx_all = f"{_B0}(?:{'|'.join(parts)})" if parts else None
        named = re.compile("|".join(f"(?P<p{i}>{p})" for i, p in enumerate(parts))) if parts else None
        full = re.compile(rx_all) if rx_all else None
        disp = prefilter.dispatch(alternatives, _B0) if parts else None
        return PatternSet(full, tuple(kept), named, "|".join(parts), disp)


def phrase_to_regex(phrase: str, lang: str) -> str:
    """A literal phrase: normalised like utterances; ``*`` ends a stem, ``...`` skips 0-3 words."""
    rx = ""
    for tok in phrase.split():
        if tok == "...":
            rx += r"(?:\S+ ){0,3}"
            continue
        star = tok.endswith("*")
        norm = normalize_pattern_text(tok.rstrip("*"), lang)
        rx += re.escape(norm) + (r"\w*" if star else "") + " "
    return rx[:-1] if rx.endswith(" ") else rx


@dataclass(frozen=True)
class PatternSet:
    regex: re.Pattern | None
    sources: tuple[str, ...]
    named: re.Pattern | None = None  # the same alternatives as named groups: which one matched
    body: str = ""  # the joined alternatives, to build union prefilters
    dispatch: "prefilter.Dispatch | None" = None  # anchor-word prefilter (coach.rubric.prefilter)

    def __bool__(self) -> bool:
        return self.regex is not None

    def _source(self, text: str, start: int, end: int) -> str:
        m = self.named.match(text, start) if self.named is not None else None
        if m is not None and m.lastgroup:
            return self.sources[int(m.lastgroup[1:])]
        return self.sources[0] if self.sources else ""

    def spans(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The spans of ``regex.finditer`` (through the token dispatch when there is one)."""
        if self.regex is None:
            return []
        if end is None:
            end = len(text)
        if self.dispatch is not None:
            return self.dispatch.spans(self.regex, text, start, end)
        return [m.span() for m in self.regex.finditer(text, start, end)]

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int, str]]:
        if end is None:
            end = len(text)
        for s, e in self.spans(text, start, end):
            yield s, e, self._source(text[:end], s, e)

    def search(self, text: str, start: int = 0, end: int | None = None) -> tuple[int, int, str] | None:
        if self.regex is None:
            return None
        if end is None:
            end = len(text)
        m = self.regex.search(text, start, end)
        if m is None:
            return None
        s, e = m.span()
        return s, e, self._source(text[:end], s, e)

    def any(self, text: str, start: int = 0, end: int | None = None) -> bool:
        if self.regex is None:
            return False
        end = len(text) if end is None else end
        if self.dispatch is not None:
            return self.dispatch.any(self.regex, text, start, end)
        return self.regex.search(text, start, end) is not None

    def overlaps(self, text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> bool:
        """True when some match inside [lo, hi) overlaps [start, end) (traps)."""
        for s, e in self.spans(text, lo, hi):
            if s >= end:
                return False
            if e > start:
                return True
        return False


def union_regex(sets: "list[PatternSet]") -> re.Pattern | None:
    """One regex matching wherever any of the sets matches (a cheap prefilter)."""
    bodies = [ps.body for ps in sets if ps.body]
    return re.compile(f"{_B0}(?=[^\\W_])(?:{'|'.join(bodies)})") if bodies else None
