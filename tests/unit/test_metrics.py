"""Conversation metrics from hand-built intervals and transcripts (coach.metrics).

Each case is a small conversation with its expected figures worked out by hand from the
definitions in docs/metrics.md.
"""

from __future__ import annotations

import pytest

from coach.metrics import (
    MetricsOptions, compute, from_intervals, intersect, join_gaps, subtract, total, union,
)
from coach.types import Interval, Silence, Transcript, Turn, Word

A, C = "agent", "customer"


# ------------------------------------------------------------------ interval arithmetic
def test_interval_arithmetic():
    assert union([(3, 4), (0, 1), (0.5, 2), (2, 2.5), (5, 5)]) == [(0, 2.5), (3, 4)]
    assert join_gaps([(0, 1), (1.4, 2), (3, 4)], 0.5) == [(0, 2), (3, 4)]
    assert intersect([(0, 2), (3, 6)], [(1, 4), (5, 7)]) == [(1, 2), (3, 4), (5, 6)]
    assert subtract([(0, 10)], [(1, 2), (4, 5), (9, 12)]) == [(0, 1), (2, 4), (5, 9)]
    assert subtract([(0, 1), (2, 3)], []) == [(0, 1), (2, 3)]
    assert total([(0, 1.5), (2, 3)]) == pytest.approx(2.5)


# ------------------------------------------------------------------ timed cases (table)
# (name, agent intervals, customer intervals, {field: expected})
CASES = [
    ("talk ratio excludes silence",
     [(0, 6)], [(10, 14)],
     {"agent_talk_s": 6.0, "customer_talk_s": 4.0, "talk_ratio": 0.6, "silence_total_s": 4.0,
      "conversation_s": 14.0}),
    ("overlap counts for both parties",
     [(0, 6)], [(4, 10)],
     {"agent_talk_s": 6.0, "customer_talk_s": 6.0, "talk_ratio": 0.5, "overtalk_s": 2.0,
      "silence_total_s": 0.0}),
    ("silences: total, longest, only > 5 s listed, edges not counted",
     [(2, 3), (9, 10), (20, 21)], [(3.5, 4)],
     {"silence_total_s": 0.5 + 5.0 + 10.0, "longest_silence_s": 10.0,
      "long_silences": (Silence(10.0, 20.0),), "long_silence_count": 1}),
    ("own pause < 2 s stays inside the monologue",
     [(0, 5), (6.9, 12)], [(14, 15.5)],
     {"longest_monologue_s": 12.0, "longest_monologue_start_s": 0.0}),
    ("own pause >= 2 s ends the monologue",
     [(0, 5), (7.1, 12)], [(14, 15.5)],
     {"longest_monologue_s": 5.0}),
    ("a customer backchannel < 1 s does not end the monologue",
     [(0, 5), (5.5, 12)], [(5.1, 5.6)],
     {"longest_monologue_s": 12.0, "customer_backchannels": 1, "speaker_switches": 0,
      "interruptions": 0}),
    ("a customer turn >= 1 s ends the monologue",
     [(0, 5), (7, 12)], [(5.2, 6.6)],
     {"longest_monologue_s": 5.0, "longest_customer_story_s": 1.4, "speaker_switches": 2}),
    ("a turn spoken over the agent ends its stretch; the agent resumes afterwards",
     [(0, 20)], [(5, 8)],
     {"longest_monologue_s": 12.0, "longest_customer_story_s": 3.0, "speaker_switches": 2,
      "interruptions": 0, "overtalk_s": 3.0}),
    ("customer story with an agent 'mm' inside",
     [(0, 2), (8.0, 8.4), (21, 24)], [(3, 8.5), (9.5, 20)],
     {"longest_customer_story_s": 17.0, "longest_customer_story_start_s": 3.0,
      "agent_backchannels": 1, "speaker_switches": 2, "interruptions": 0}),
    ("interactivity: switches per minute of conversation",
     [(0, 10), (20, 30), (40, 50)], [(10.5, 19.5), (30.5, 39.5), (50.5, 60)],
     {"speaker_switches": 5, "interactivity_per_min": 5.0}),
    ("patience: gaps from customer end to agent start",
     [(0, 3), (6, 9), (12.5, 15)], [(3.2, 5.5), (10, 12)],
     {"patience_mean_s": 0.5, "patience_median_s": 0.5, "patience_count": 2}),
    ("interruption: agent starts 2 s into the customer's turn",
     [(0, 3), (6, 9)], [(4, 10)],
     {"interruptions": 1, "interruption_times": (6.0,), "overtalk_s": 3.0,
      "longest_customer_story_s": 2.0, "patience_mean_s": 0.0}),
    ("no interruption: customer had spoken only 0.3 s",
     [(0, 3), (4.3, 9)], [(4, 6)],
     {"interruptions": 0, "overtalk_s": 1.7}),
    ("no interruption: agent backchannel over the customer",
     [(0, 3), (6, 6.5)], [(4, 10)],
     {"interruptions": 0, "overtalk_s": 0.0, "agent_backchannels": 1}),
    ("no interruption: the agent starts in the customer's pause",
     [(0, 3), (7.5, 10)], [(4, 7), (8.5, 12)],
     {"interruptions": 0}),
    ("no interruption: starting within 0.25 s of the customer's end (latching)",
     [(0, 3), (7.8, 10)], [(4, 8)],
     {"interruptions": 0, "overtalk_s": 0.2}),
    ("the customer's turn counts from its start, own pauses included",
     [(0, 3), (5.9, 9)], [(4, 4.4), (5.6, 7)],
     {"interruptions": 1, "interruption_times": (5.9,)}),  # 0.4 s + 0.3 s spoken
    ("the same start without the earlier words is no interruption",
     [(0, 3), (5.9, 9)], [(5.6, 7)],
     {"interruptions": 0}),  # 0.3 s spoken
    ("two interruptions in one call",
     [(0, 2), (5, 7), (12, 14)], [(3, 8), (10, 16)],
     {"interruptions": 2, "interruption_times": (5.0, 12.0)}),
    ("only the agent speaks",
     [(0, 10)], [],
     {"talk_ratio": 1.0, "longest_customer_story_s": 0.0, "patience_mean_s": None,
      "interruptions": 0, "speaker_switches": 0}),
    ("nobody speaks",
     [], [],
     {"talk_ratio": None, "silence_total_s": 0.0, "longest_monologue_s": 0.0,
      "interactivity_per_min": None, "conversation_s": 0.0}),
]


@pytest.mark.parametrize("name,agent,customer,expected", CASES, ids=[c[0] for c in CASES])
def test_timed_definitions(name, agent, customer, expected):
    m = from_intervals(agent, customer)
    assert m.timing_available and m.timing_source == "vad"
    for key, want in expected.items():
        got = getattr(m, key)
        if isinstance(want, float):
            assert got == pytest.approx(want, abs=1e-3), key
        else:
            assert got == want, key


def test_customer_turn_length_counts_speech_across_own_pauses():
    # customer 4.0-4.8 (a 0.8 s unit, but its words are not listener tokens) + 5.6-7: the agent
    # starts at 6.2 -> 0.8 + 0.6 = 1.4 s spoken of that turn -> an interruption
    turns = (Turn(C, "my parcel", 4.0, 4.8), Turn(C, "never came at all", 5.6, 7.0))
    m = from_intervals([(0, 3), (6.2, 9)], [(4.0, 4.8), (5.6, 7)], turns=turns)
    assert m.interruptions == 1


def test_thresholds_are_parameters():
    agent, customer = [(0, 5), (6.5, 12)], [(13, 20), (21, 22.2)]
    assert from_intervals(agent, customer).longest_monologue_s == pytest.approx(12.0)
    strict = MetricsOptions(own_pause_s=1.0)
    assert from_intervals(agent, customer, options=strict).longest_monologue_s == pytest.approx(5.5)
    m = from_intervals([(0, 1), (4, 5)], [(1.5, 2)], options=MetricsOptions(silence_threshold_s=1.5))
    assert m.long_silences == (Silence(2.0, 4.0),) and m.silence_threshold_s == 1.5
    # a 1.2 s customer turn is a backchannel when the limit is 1.5 s
    m = from_intervals([(0, 5), (6.5, 12)], [(5.1, 6.3)], options=MetricsOptions(backchannel_max_s=1.5))
    assert m.longest_monologue_s == pytest.approx(12.0)


def test_backchannel_by_words_even_when_long():
    # "okay, right, yeah" takes 1.5 s: by its words it is a backchannel and the story goes on
    turns = (
        Turn(C, "so the parcel never came and nobody called me back", 0.0, 6.0),
        Turn(A, "okay, right, yeah", 6.2, 7.7),
        Turn(C, "and then the app said it was delivered", 7.9, 12.0),
    )
    m = compute(Transcript(turns=turns, intervals={C: (Interval(0, 6), Interval(7.9, 12)),
                                                   A: (Interval(6.2, 7.7),)}))
    assert m.longest_customer_story_s == pytest.approx(12.0)
    assert m.agent_backchannels == 1 and m.speaker_switches == 0
    # the same timing with words that are a real turn breaks the story
    turns2 = turns[:1] + (Turn(A, "which parcel was it", 6.2, 7.7),) + turns[2:]
    m2 = compute(Transcript(turns=turns2, intervals={C: (Interval(0, 6), Interval(7.9, 12)),
                                                     A: (Interval(6.2, 7.7),)}))
    assert m2.longest_customer_story_s == pytest.approx(6.0) and m2.speaker_switches == 2


# ------------------------------------------------------------------ sources of timing
def test_turn_times_when_no_intervals():
    tr = Transcript(turns=(
        Turn(A, "Hello, how can I help you?", 0.0, 2.0),
        Turn(C, "My order is late and I am really annoyed about it.", 2.5, 8.5),
        Turn(A, "I'm sorry. Could you give me the order number?", 9.0, 12.0),
    ))
    m = compute(tr)
    assert m.timing_source == "turns" and m.timing_available
    assert m.agent_talk_s == pytest.approx(5.0) and m.customer_talk_s == pytest.approx(6.0)
    assert m.talk_ratio == pytest.approx(5 / 11, abs=1e-3)
    assert m.agent_questions == 2 and m.agent_words == 15 and m.customer_words == 11
    assert m.agent_wpm == pytest.approx(15 / (5 / 60), abs=0.01)
    assert m.customer_wpm == pytest.approx(11 / (6 / 60), abs=0.01)
    assert m.patience_mean_s == pytest.approx(0.5) and m.speaker_switches == 2
    assert m.duration_s == pytest.approx(12.0)


def test_word_times_preferred_over_turn_times():
    words = (Word("hello", 0.0, 0.5), Word("there", 0.6, 1.0), Word("sir", 3.0, 3.4))
    tr = Transcript(turns=(Turn(A, "hello there sir", 0.0, 3.4, words=words),
                           Turn(C, "hi", 4.0, 4.3)))
    m = compute(tr)
    assert m.timing_source == "words"
    assert m.agent_talk_s == pytest.approx(1.4)  # 0-1.0 joined (gap 0.1 s) + 3.0-3.4


def test_intervals_preferred_and_duration_from_transcript():
    tr = Transcript(turns=(Turn(A, "hello", 0.0, 9.0),), duration=30.0,
                    intervals={A: (Interval(1, 2),), C: (Interval(3, 5),)})
    m = compute(tr)
    assert m.timing_source == "vad" and m.agent_talk_s == pytest.approx(1.0)
    assert m.duration_s == 30.0 and m.conversation_s == pytest.approx(4.0)
    assert m.agent_wpm == pytest.approx(60.0)


def test_untimed_turns_are_noted():
    tr = Transcript(turns=(Turn(A, "hi", 0.0, 1.0), Turn(C, "hello there")))
    m = compute(tr)
    assert m.timing_available and any("without times" in n for n in m.notes)
    assert m.customer_words == 2  # words still count


# ------------------------------------------------------------------ text only
TEXT_ONLY = [
    ([(A, "Hello, how can I help?"), (C, "My order is late. It never came.")],
     "en", {"agent_words": 5, "customer_words": 7, "agent_word_share": 5 / 12, "agent_questions": 1}),
    ([(A, "could you give me the number"), (C, "its 4411"), (A, "thanks and when did you order it")],
     "en", {"agent_words": 13, "customer_words": 2, "agent_questions": 2}),
    ([(A, "Hyvää päivää, miten voin auttaa?"), (C, "Paketti ei tullut."),
      (A, "voisitteko kertoa tilausnumeron")],
     "fi", {"agent_words": 8, "customer_words": 3, "agent_questions": 2}),
    ([(C, "hello?")], "en", {"agent_words": 0, "agent_word_share": 0.0, "agent_questions": 0}),
    ([], "en", {"agent_word_share": None}),
]


@pytest.mark.parametrize("turns,lang,expected", TEXT_ONLY)
def test_text_only(turns, lang, expected):
    m = compute(Transcript(turns=tuple(Turn(s, t) for s, t in turns), lang=lang))
    assert not m.timing_available and m.timing_source is None
    for key in ("talk_ratio", "agent_talk_s", "silence_total_s", "longest_monologue_s",
                "interruptions", "overtalk_s", "agent_wpm", "interactivity_per_min",
                "patience_mean_s"):
        assert getattr(m, key) is None, key
    assert m.notes and "only word-based" in m.notes[0]
    for key, want in expected.items():
        got = getattr(m, key)
        assert got == (pytest.approx(want, abs=1e-3) if isinstance(want, float) else want), key


def test_questions_only_count_the_agent():
    tr = Transcript(turns=(Turn(C, "Where is my parcel? Why so slow?"), Turn(A, "Let me check.")))
    assert compute(tr).agent_questions == 0


def test_metrics_serialise():
    d = from_intervals([(0, 1)], [(2, 9)]).as_dict()
    assert d["talk_ratio"] == pytest.approx(0.125) and isinstance(d["long_silences"], list)
