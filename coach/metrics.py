"""Conversation metrics: talk ratio, silences, monologues, interruptions, patience, pace.

Pure functions: a :class:`~coach.types.Transcript` in, :class:`~coach.types.Metrics` out. The
definitions (docs/metrics.md) in short, with the thresholds of :class:`MetricsOptions`:

* speech per party comes from ``transcript.intervals`` (VAD per channel) when present, else from
  word times, else from turn start/end; without any times only word-based figures are given;
* a *unit* is a party's speech with pauses < ``unit_gap_s`` joined; a unit is a *backchannel*
  when it is shorter than ``backchannel_max_s`` or all its words are listener tokens ("mm",
  "okay", "joo", "niin"...). Backchannels count as talk time but are never turns;
* a *stretch* (monologue / customer story) runs from when a party starts until the other party
  takes a turn (starts a non-backchannel unit); own pauses < ``own_pause_s`` stay inside;
* silence is time when nobody speaks, between the first and the last speech;
* an *interruption* is the agent starting a non-backchannel unit while the customer is speaking
  a non-backchannel unit (more than ``overlap_tolerance_s`` before its end) after the customer
  has spoken more than ``interruption_min_s`` of that turn.
"""

from __future__ import annotations

import statistics
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from coach.metrics_text import BACKCHANNEL_WORDS, count_questions, count_words, is_backchannel_text
from coach.spans import Span, Spans, intersect, join_gaps, subtract, total, union
from coach.types import Interval, Metrics, Silence, Transcript, Turn

AGENT, CUSTOMER = "agent", "customer"


@dataclass(frozen=True)
class MetricsOptions:
    own_pause_s: float = 2.0  # a party's own pause shorter than this stays inside its stretch
    backchannel_max_s: float = 1.0  # units shorter than this are backchannels
    unit_gap_s: float = 0.5  # pauses shorter than this join speech into one unit
    interruption_min_s: float = 0.5  # the customer must have spoken this much of the turn
    overlap_tolerance_s: float = 0.25  # starting this close to the customer's end is no overlap
    silence_threshold_s: float = 5.0  # silences longer than this are listed
    word_gap_s: float = 0.3  # word times closer than this are one stretch of speech
    backchannel_words: frozenset[str] = field(default=BACKCHANNEL_WORDS)


DEFAULT = MetricsOptions()


# ---------------------------------------------------------------- units and stretches
@dataclass(frozen=True)
class Unit:
    speaker: str
    start: float
    end: float
    backchannel: bool


def units(speaker: str, speech: Sequence[Span], turns: Sequence[Turn], opts: MetricsOptions) -> list[Unit]:
    """A party's speech cut into units, each marked backchannel or not."""
    spans = join_gaps(speech, opts.unit_gap_s)
    texts = _texts_in(turns, spans)
    return [
        Unit(speaker, a, b, (b - a) < opts.backchannel_max_s
             or (bool(text) and is_backchannel_text(text, opts.backchannel_words)))
        for (a, b), text in zip(spans, texts)
    ]


def _texts_in(turns: Sequence[Turn], spans: Sequence[Span]) -> list[str]:
    """What a party said within each span (word times, else the whole overlapping timed turns)."""
    pieces: list[tuple[float, float, str]] = []
    for t in turns:
        if t.words:
            pieces += [((w.start + w.end) / 2,) * 2 + (w.text,) for w in t.words]
        elif t.timed:
            pieces.append((t.start, t.end, t.text))  # type: ignore[arg-type]
    if not pieces:
        return [""] * len(spans)
    pieces.sort()
    starts = [p[0] for p in pieces]
    longest = max(p[1] - p[0] for p in pieces)
    out = []
    for a, b in spans:
        lo = bisect_left(starts, a - 0.1 - longest)
        hi = bisect_right(starts, b + 0.1)
        out.append(" ".join(
            x for s0, s1, x in pieces[lo:hi]
            if (s0 == s1 and a - 0.1 <= s0 <= b + 0.1) or (s0 < b and s1 > a)
        ))
    return out


def stretches(mine: Sequence[Unit], theirs: Sequence[Unit], pause: float) -> list[Span]:
    """A party's uninterrupted stretches.

    The floor belongs to whoever started the latest non-backchannel unit still being spoken, so
    a turn by the other party (even one spoken over this party) ends the stretch. Pieces of this
    party's speech while the other does not hold the floor are joined across own pauses shorter
    than ``pause`` unless the other party took the floor in between; a stretch needs at least one
    non-backchannel unit.
    """
    other = Spans(floor(theirs, mine))
    pieces = subtract(union([(u.start, u.end) for u in mine]), other.spans)
    substantive = Spans(union([(u.start, u.end) for u in mine if not u.backchannel]))
    groups: list[list[float]] = []
    for a, b in pieces:
        if groups and a - groups[-1][1] < pause and not other.touches(groups[-1][1], a):
            groups[-1][1] = b
        else:
            groups.append([a, b])
    return [(a, b) for a, b in groups if substantive.touches(a, b)]


def floor(mine: Sequence[Unit], theirs: Sequence[Unit]) -> list[Span]:
    """When ``mine``'s party holds the floor: one of its non-backchannel units is being spoken
    and it started later than any non-backchannel unit of the other party still being spoken."""
    me = [(u.start, u.end) for u in mine if not u.backchannel]
    them = [(u.start, u.end) for u in theirs if not u.backchannel]
    if not me:
        return []
    them_starts = [a for a, _ in them]
    out: list[Span] = []
    for a, b in me:
        cut = a  # from here on I hold the floor, until one of their units starts inside
        k = bisect_right(them_starts, a)
        # a unit of theirs that started before mine and is still going does not take the floor
        while k < len(them) and them[k][0] < b:
            ta, tb = them[k]
            if ta > cut:
                out.append((cut, ta))
            cut = max(cut, min(tb, b))
            k += 1
        if cut < b:
            out.append((cut, b))
    return union(out)


# ---------------------------------------------------------------- the figures
def _silences(both: Sequence[Span], threshold: float) -> tuple[float, float, list[Silence]]:
    gaps = [(b0, a1) for (_, b0), (a1, _) in zip(both, both[1:]) if a1 > b0]
    longest = max((b - a for a, b in gaps), default=0.0)
    return total(gaps), longest, [Silence(round(a, 3), round(b, 3)) for a, b in gaps if b - a > threshold]


def _interruptions(ag: Sequence[Unit], cu: Sequence[Unit], cu_str: Sequence[Span],
                   cu_speech: Sequence[Span], opts: MetricsOptions) -> list[float]:
    cu_turns = [(u.start, u.end) for u in cu if not u.backchannel]
    turn_starts = [c[0] for c in cu_turns]
    str_starts = [s[0] for s in cu_str]
    speech = Spans(cu_speech)
    times = []
    for u in ag:
        if u.backchannel:
            continue
        t = u.start
        k = bisect_left(turn_starts, t) - 1  # the customer unit that started last before t
        if k < 0 or not t < cu_turns[k][1] - opts.overlap_tolerance_s:
            continue
        j = bisect_right(str_starts, t) - 1  # the customer's stretch (turn) it belongs to
        if j < 0 or cu_str[j][1] < t - 1e-6:
            continue
        spoken = speech.covered(cu_str[j][0], t)
        if spoken > opts.interruption_min_s:
            times.append(round(t, 3))
    return times


def from_intervals(
    agent: Sequence[Interval | Span],
    customer: Sequence[Interval | Span],
    duration: float | None = None,
    turns: Sequence[Turn] = (),
    lang: str = "en",
    options: MetricsOptions = DEFAULT,
) -> Metrics:
    """Metrics from per-party speech intervals (and, optionally, the turns' text)."""
    tr = Transcript(
        turns=tuple(turns),
        lang=lang,
        duration=duration,
        intervals={AGENT: tuple(_iv(x) for x in agent), CUSTOMER: tuple(_iv(x) for x in customer)},
    )
    return compute(tr, options)


def _iv(x: Interval | Span) -> Interval:
    return x if isinstance(x, Interval) else Interval(float(x[0]), float(x[1]))


def compute(transcript: Transcript, options: MetricsOptions = DEFAULT) -> Metrics:
    """All metrics for one conversation (see docs/metrics.md for the definitions)."""
    opts = options
    text = _word_figures(transcript)
    speech, source, notes = _speech(transcript, opts)
    if speech is None:
        return Metrics(
            **text, timing_available=False, silence_threshold_s=opts.silence_threshold_s,
            notes=tuple(notes) + ("no times in this transcript: only word-based figures (word "
                                  "share, questions, word counts); talk ratio, silences, "
                                  "monologues, interruptions and pace need timed speech",),
        )
    ag_sp, cu_sp = speech[AGENT], speech[CUSTOMER]
    both = union(list(ag_sp) + list(cu_sp))
    ends = [b for _, b in both] + [t.end for t in transcript.turns if t.end is not None]
    duration = transcript.duration if transcript.duration is not None else max(ends, default=0.0)
    ag_talk, cu_talk = total(ag_sp), total(cu_sp)
    conv = (both[-1][1] - both[0][0]) if both else 0.0
    turns_of = {s: [t for t in transcript.turns if t.speaker == s] for s in (AGENT, CUSTOMER)}
    ag_u = units(AGENT, ag_sp, turns_of[AGENT], opts)
    cu_u = units(CUSTOMER, cu_sp, turns_of[CUSTOMER], opts)
    ag_str = stretches(ag_u, cu_u, opts.own_pause_s)
    cu_str = stretches(cu_u, ag_u, opts.own_pause_s)
    seq = sorted([(a, b, AGENT) for a, b in ag_str] + [(a, b, CUSTOMER) for a, b in cu_str])
    switches = sum(1 for x, y in zip(seq, seq[1:]) if x[2] != y[2])
    gaps = [max(0.0, y[0] - x[1]) for x, y in zip(seq, seq[1:]) if x[2] == CUSTOMER and y[2] == AGENT]
    silence_total, longest_silence, long_sil = _silences(both, opts.silence_threshold_s)
    mono = max(ag_str, key=lambda s: s[1] - s[0], default=None)
    story = max(cu_str, key=lambda s: s[1] - s[0], default=None)
    sub = [union([(u.start, u.end) for u in us if not u.backchannel]) for us in (ag_u, cu_u)]
    interrupts = _interruptions(ag_u, cu_u, cu_str, cu_sp, opts)
    minutes = conv / 60.0
    has_words = (text["agent_words"] + text["customer_words"]) > 0
    return Metrics(
        **text,
        duration_s=_r(duration),
        agent_talk_s=_r(ag_talk),
        customer_talk_s=_r(cu_talk),
        talk_ratio=_r(ag_talk / (ag_talk + cu_talk)) if ag_talk + cu_talk > 0 else None,
        silence_total_s=_r(silence_total),
        longest_silence_s=_r(longest_silence),
        long_silences=tuple(long_sil),
        long_silence_count=len(long_sil),
        silence_threshold_s=opts.silence_threshold_s,
        longest_monologue_s=_r(mono[1] - mono[0]) if mono else 0.0,
        longest_monologue_start_s=_r(mono[0]) if mono else None,
        longest_customer_story_s=_r(story[1] - story[0]) if story else 0.0,
        longest_customer_story_start_s=_r(story[0]) if story else None,
        speaker_switches=switches,
        interactivity_per_min=_r(switches / minutes) if minutes > 0 else None,
        patience_mean_s=_r(statistics.fmean(gaps)) if gaps else None,
        patience_median_s=_r(statistics.median(gaps)) if gaps else None,
        patience_count=len(gaps),
        interruptions=len(interrupts),
        interruption_times=tuple(interrupts),
        overtalk_s=_r(total(intersect(sub[0], sub[1]))),
        agent_wpm=_r(text["agent_words"] / (ag_talk / 60)) if has_words and ag_talk > 0 else None,
        customer_wpm=_r(text["customer_words"] / (cu_talk / 60)) if has_words and cu_talk > 0 else None,
        agent_questions_per_min=_r(text["agent_questions"] / minutes) if minutes > 0 else None,
        agent_backchannels=sum(u.backchannel for u in ag_u),
        customer_backchannels=sum(u.backchannel for u in cu_u),
        conversation_s=_r(conv),
        timing_available=True,
        timing_source=source,
        notes=tuple(notes),
    )


def _r(x: float) -> float:
    return round(float(x), 3)


def _word_figures(tr: Transcript) -> dict:
    ag = sum(count_words(t.text) for t in tr.turns if t.speaker == AGENT)
    cu = sum(count_words(t.text) for t in tr.turns if t.speaker == CUSTOMER)
    q = sum(count_questions(t.text, tr.lang) for t in tr.turns if t.speaker == AGENT)
    return {
        "agent_words": ag,
        "customer_words": cu,
        "agent_word_share": round(ag / (ag + cu), 4) if ag + cu else None,
        "agent_questions": q,
    }


def _speech(tr: Transcript, opts: MetricsOptions) -> tuple[dict[str, list[Span]] | None, str | None, list[str]]:
    """Speech spans per party and where they came from: VAD intervals, word times, turn times."""
    notes: list[str] = []
    if tr.intervals and any(k in tr.intervals for k in (AGENT, CUSTOMER)):
        iv: Mapping = tr.intervals
        return (
            {s: union([(i.start, i.end) for i in iv.get(s, ())]) for s in (AGENT, CUSTOMER)},
            "vad",
            notes,
        )
    timed = [t for t in tr.turns if t.timed and t.speaker in (AGENT, CUSTOMER)]
    if not timed:
        return None, None, notes
    untimed = sum(1 for t in tr.turns if not t.timed and t.speaker in (AGENT, CUSTOMER))
    if untimed:
        notes.append(f"{untimed} turn(s) without times left out of the timing figures")
    used_words = False
    out: dict[str, list[Span]] = {AGENT: [], CUSTOMER: []}
    for t in timed:
        if t.words:
            used_words = True
            spans = [(w.start, w.end) for w in t.words if w.end > w.start]
            out[t.speaker] += join_gaps(spans, opts.word_gap_s)
        else:
            out[t.speaker].append((t.start, t.end))  # type: ignore[arg-type]
    return {s: union(v) for s, v in out.items()}, ("words" if used_words else "turns"), notes


__all__ = [
    "MetricsOptions", "DEFAULT", "compute", "from_intervals", "units", "stretches", "Unit",
    "union", "join_gaps", "intersect", "subtract", "total",
]
