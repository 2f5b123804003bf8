"""Word error rate (and character error rate) between a reference and a hypothesis.

Text is normalised first: lower case, punctuation removed (apostrophes inside words kept,
hyphens split words), whitespace collapsed, unicode letters kept (Finnish ä/ö). Errors are
counted with Levenshtein distance over words (substitutions + deletions + insertions).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

_PUNCT = re.compile(r"[^\w\s']|_")


def normalise(text: str) -> str:
    t = unicodedata.normalize("NFC", text).lower()
    t = t.replace("’", "'").replace("‘", "'")
    t = _PUNCT.sub(" ", t)
    t = re.sub(r"(?<!\w)'|'(?!\w)", " ", t)  # quotes, not apostrophes in "don't"
    return re.sub(r"\s+", " ", t).strip()


def words(text: str) -> list[str]:
    n = normalise(text)
    return n.split(" ") if n else []


def edit_distance(ref: Sequence, hyp: Sequence) -> int:
    """Levenshtein distance between two sequences (unit costs)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class ErrorRate:
    errors: int
    ref_len: int

    @property
    def rate(self) -> float:
        if self.ref_len == 0:
            return 0.0 if self.errors == 0 else float("inf")
        return self.errors / self.ref_len


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate: edit distance over normalised words / number of reference words."""
    r, h = words(reference), words(hypothesis)
    return ErrorRate(edit_distance(r, h), len(r)).rate


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate on normalised text (spaces kept as characters)."""
    r, h = normalise(reference), normalise(hypothesis)
    return ErrorRate(edit_distance(r, h), len(r)).rate
