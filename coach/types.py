"""Data shared by every stage: frozen dataclasses, no behaviour beyond small conveniences.

The flow is one way: audio -> Segment -> Transcript (Turns) -> Finding/ItemResult + Metrics ->
Scorecard -> reports. Times are seconds from the start of the call (float); ``None`` where unknown
(a plain-text transcript has no times).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal, Mapping

Speaker = Literal["agent", "customer"]
SPEAKERS: tuple[str, str] = ("agent", "customer")
Lang = Literal["en", "fi"]
LANGS: tuple[str, str] = ("en", "fi")


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float = 1.0


@dataclass(frozen=True)
class Segment:
    """A stretch of recognised speech from one audio stream (one channel)."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    channel: int | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None


@dataclass(frozen=True)
class Interval:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Turn:
    """One utterance by one party. ``start``/``end`` are None for text-only transcripts."""

    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    words: tuple[Word, ...] = ()

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None


@dataclass(frozen=True)
class Transcript:
    turns: tuple[Turn, ...]
    lang: str = "en"
    source: str | None = None
    duration: float | None = None
    # speech intervals per speaker from VAD (more precise than turn times), when audio was used
    intervals: Mapping[str, tuple[Interval, ...]] | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def by(self, speaker: str) -> list[tuple[int, Turn]]:
        return [(i, t) for i, t in enumerate(self.turns) if t.speaker == speaker]


@dataclass(frozen=True)
class Finding:
    """Evidence that a rubric item matched: which turn, which characters, which words, why."""

    item_id: str
    turn_index: int
    span: tuple[int, int]
    text: str
    why: str = ""
    start: float | None = None
    end: float | None = None
    speaker: str = "agent"


@dataclass(frozen=True)
class ItemResult:
    item_id: str
    title: str
    hit: bool
    applicable: bool = True
    bad: bool = False  # a "bad" item (e.g. discouraged phrases): a hit lowers the score
    count: int = 0
    min_count: int = 1
    weight: float = 0.0
    critical: bool = False
    findings: tuple[Finding, ...] = ()
    feedback: str | None = None  # shown when the item is missed (or, for bad items, hit)

    @property
    def passed(self) -> bool:
        """True when the item counts in the agent's favour."""
        if not self.applicable:
            return True
        return (not self.hit) if self.bad else self.hit


@dataclass(frozen=True)
class Silence:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Metrics:
    """Conversation metrics (definitions: docs/metrics.md; computed by coach.metrics).

    Timing figures are None when there are no times (text only). Field names are the names a
    rubric's ``metric_threshold.v1`` item refers to.
    """

    duration_s: float | None = None  # recording length (or last speech end)
    agent_talk_s: float | None = None
    customer_talk_s: float | None = None
    talk_ratio: float | None = None  # agent / (agent + customer) talk time, silence excluded
    agent_word_share: float | None = None  # agent words / all words
    silence_total_s: float | None = None  # nobody speaking, between first and last speech
    longest_silence_s: float | None = None
    long_silences: tuple[Silence, ...] = ()  # every silence longer than silence_threshold_s
    longest_monologue_s: float | None = None  # agent
    longest_customer_story_s: float | None = None
    interactivity_per_min: float | None = None  # speaker switches per minute of conversation
    patience_mean_s: float | None = None  # gap from a customer turn's end to the agent's start
    patience_median_s: float | None = None
    interruptions: int | None = None
    interruption_times: tuple[float, ...] = ()
    overtalk_s: float | None = None  # both speaking (backchannels excluded)
    agent_questions: int = 0
    agent_wpm: float | None = None
    customer_wpm: float | None = None
    agent_words: int = 0
    customer_words: int = 0
    timing_available: bool = False
    notes: tuple[str, ...] = ()
    # added by the metrics area (all optional)
    timing_source: str | None = None  # "vad" (speech intervals), "words", "turns" or None (text)
    conversation_s: float | None = None  # first speech start to last speech end
    silence_threshold_s: float = 5.0  # the threshold long_silences was cut at
    long_silence_count: int | None = None  # len(long_silences), usable as a threshold
    longest_monologue_start_s: float | None = None
    longest_customer_story_start_s: float | None = None
    speaker_switches: int | None = None
    patience_count: int = 0  # customer-to-agent handovers the patience figures average over
    agent_questions_per_min: float | None = None
    agent_backchannels: int | None = None
    customer_backchannels: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return to_dict(self)


@dataclass(frozen=True)
class Scorecard:
    rubric_id: str
    rubric_version: str
    lang: str
    score: float  # 0-100
    items: tuple[ItemResult, ...]
    critical_failures: tuple[str, ...] = ()
    metrics: Metrics | None = None
    transcript: Transcript | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    def item(self, item_id: str) -> ItemResult:
        for it in self.items:
            if it.item_id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def findings(self) -> list[Finding]:
        return [f for it in self.items for f in it.findings]


def to_dict(obj: Any) -> Any:
    """Dataclasses -> plain JSON-ready structures (tuples become lists, mappings dicts)."""
    if hasattr(obj, "__dataclass_fields__"):
        return {f.name: to_dict(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): to_dict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 4)
    return obj


__all__ = [
    "SPEAKERS", "LANGS", "Word", "Segment", "Interval", "Turn", "Transcript", "Finding",
    "ItemResult", "Silence", "Metrics", "Scorecard", "to_dict", "asdict",
]
