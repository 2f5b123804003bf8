"""Plain data of the live loop: an agent turn in progress, a prepared reply, and two pure rules
(which of two decodes to keep; how much of an interrupted reply was heard)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coach.live.asr import PartialText
from coach.turns import FILLERS, TRAILING, WEAK_TRAILING


@dataclass
class Prepared:
    version: int
    text: str
    kind: str
    wait: float
    findings: list
    persona: Any
    reply: Any
    audio: np.ndarray
    decode_ms: float
    prep_ms: float
    chunk_text: str = ""  # the decode of the audio after the frozen part


@dataclass
class TurnState:
    index: int
    start: int  # first speech sample
    audio: list = field(default_factory=list)
    n: int = 0
    offset: int = 0  # stream sample of audio[0]
    version: int = 0
    last_end: int | None = None
    last_partial_n: int = 0
    partial: PartialText = field(default_factory=PartialText)
    prepared: Prepared | None = None
    spec_version: int = -1
    recheck_version: int = -1
    chunk_start: int = 0  # index into the turn's audio where the not-yet-frozen part begins
    prefix: str = ""  # frozen text of the audio before chunk_start
    freeze: dict = field(default_factory=dict)  # version -> boundary, waiting for its decode
    pauses: dict = field(default_factory=dict)  # version -> (speech end, pause s, resume sample)

    def samples(self) -> np.ndarray:
        return np.concatenate(self.audio) if self.audio else np.zeros(0, np.float32)



def better(new: Prepared, old: Prepared | None) -> bool:
    """A re-decode (which saw more of the pause) replaces the first unless it lost words
    (tiny.en sometimes drops the last words on a second look, e.g. a trailing "and"). One
    exception: the first decode ended in a lone word after a full stop that does not leave a
    sentence open ("...good enough. You" - Whisper's classic "you" on silence)."""
    if old is None or not old.text:
        return True
    n, o = len(new.text.split()), len(old.text.split())
    return n >= o or (n == o - 1 and _dangling(old.text))


_OPEN = set().union(*TRAILING.values(), *WEAK_TRAILING.values(), FILLERS)
_LONE = re.compile(r"[.?!]\s+([\w'-]+)[.,]?$")


def _dangling(text: str) -> bool:
    m = _LONE.search(text.strip())
    return m is not None and m.group(1).lower().strip("'-") not in _OPEN


def cut_text(text: str, fraction: float) -> str:
    """The words of ``text`` heard when ``fraction`` of its audio was played (by characters,
    rounded down to whole words)."""
    if fraction >= 0.999:
        return text
    if fraction <= 0:
        return ""
    limit = len(text) * fraction
    words, used, out = text.split(), 0, []
    for w in words:
        used += len(w) + 1
        if used - 1 > limit:
            break
        out.append(w)
    return " ".join(out)


__all__ = ["Prepared", "TurnState", "better", "cut_text"]
