"""End-of-turn policy and the speech tracker: pure tables, no audio."""

from __future__ import annotations

import numpy as np
import pytest

from coach.turns import (MIN_INSIDE_TURN_PAUSE, WAITS, WINDOW, SpeechTracker, classify_turn_end,
                         end_of_turn_wait, expects_more)

CASES = [
    # text so far, lang, expected class
    ("Can I have your order number?", "en", "question"),
    ("I'm sorry about the delay, that should not happen.", "en", "complete"),
    ("I will call you back by five today.", "en", "complete"),
    ("Thanks for calling!", "en", "opener"),
    ("Good morning, Nordic Home customer service, this is Anna.", "en", "opener"),
    ("Thank you. Let me check.", "en", "opener"),
    ("Thank you, I will book your delivery for tomorrow.", "en", "complete"),
    ("Thank you, Mark.", "en", "opener"),
    ("Thank you for letting us know.", "en", "opener"),
    ("Could I have your order number? Please.", "en", "complete"),
    ("I'm so sorry about that.", "en", "opener"),
    ("Hyvää huomenta, Nordic Homen asiakaspalvelu, Anna puhelimessa.", "fi", "opener"),
    ("I will check that and", "en", "trailing"),
    ("I will check that and.", "en", "trailing"),  # Whisper puts a full stop after a pause
    ("I checked the tracking end.", "en", "trailing"),  # tiny.en: a cut-short "and" as "end"
    ("I will hope you deliver it for tomorrow, but we may attend.", "en", "trailing"),
    ("I've sent the form over, attend.", "en", "trailing"),  # tiny.en: "and" as "attend"
    ("The engineer will need you to attend.", "en", "complete"),
    ("We'll have it sorted by the end.", "en", "complete"),  # "end" as a noun ends a sentence
    ("I don't know when it will end.", "en", "complete"),  # ... and as a verb
    ("I understand, but", "en", "trailing"),
    ("we will deliver it on", "en", "unfinished"),
    ("I will check that.", "en", "complete"),
    ("Let me see, umm", "en", "filler"),
    ("Umm.", "en", "filler"),
    ("Your order number is 4 5 7", "en", "digits"),
    ("Your order number is 457,", "en", "digits"),
    ("The number is four five seven.", "en", "digits"),
    ("the courier comes", "en", "unfinished"),
    ("The order number is now aged.", "en", "digits"),  # ASR heard "N H" as words
    ("Could I have your order number, please?", "en", "question"),
    ("Tilausnumero on AB.", "fi", "digits"),
    ("we will send you a brand new one.", "en", "complete"),
    ("it is one one two", "en", "digits"),
    ("so we will send a new one...", "en", "unfinished"),
    ("The courier will be there by 5 pm.", "en", "complete"),
    ("", "en", "empty"),
    ("Pahoittelen viivästystä, tämä ei saisi tapahtua.", "fi", "complete"),
    ("Tarkistan asian ja", "fi", "trailing"),
    ("Tilausnumero on kolme neljä", "fi", "digits"),
    ("Voisitteko kertoa nimenne?", "fi", "question"),
    ("öö", "fi", "filler"),
    ("Tarkistan sen mutta", "fi", "trailing"),
    ("I'm refunding the payment right now, and...", "en", "trailing"),  # the pause after "and"
    ("I'm really sorry", "en", "opener"),  # no full stop, but a sentence that starts turns
    ("Olen todella pahoillani", "fi", "opener"),
    ("so we will send a new one-", "en", "unfinished"),
]


@pytest.mark.parametrize("text,lang,expected", CASES)
def test_classify(text, lang, expected):
    assert classify_turn_end(text, lang) == expected


def test_waits_order_and_inside_turn_floor():
    assert WAITS["question"] <= WAITS["complete"] < WAITS["opener"] < WAITS["unfinished"]
    for kind in ("unfinished", "trailing", "filler", "digits", "empty"):
        assert WAITS[kind] >= MIN_INSIDE_TURN_PAUSE, kind  # never reply inside an 800 ms pause
    assert end_of_turn_wait("Anything else?") < end_of_turn_wait("and") 


def test_tracker_hysteresis():
    tr = SpeechTracker(threshold=0.5, neg_threshold=0.35, min_speech=2)
    probs = [0.1, 0.9, 0.1, 0.9, 0.9, 0.6, 0.4, 0.2, 0.2, 0.8, 0.9]
    changes = tr.push(np.array(probs))
    kinds = [(c.kind, c.sample // WINDOW) for c in changes]
    # a single loud window does not start speech; 0.4 (between thresholds) keeps it going
    # the end is placed after the last confident window (0.6 at 5), not where 0.2 fell below 0.35
    assert kinds == [("start", 3), ("end", 6), ("start", 9)]
    assert tr.in_speech and tr.silence_s() == 0.0


def test_tracker_silence_timer():
    tr = SpeechTracker()
    tr.push(np.array([0.9] * 5 + [0.0] * 10))
    assert not tr.in_speech
    assert tr.silence_s() == pytest.approx(10 * WINDOW / 16000)


@pytest.mark.parametrize("text,expected", [
    ("I'm so sorry. I understand how frustrating it is to lose a day's pay.", "expects_more"),
    ("I understand how frustrating that is. I will call you at 3 pm today.", "complete"),
    ("I understand how frustrating that is. The order left the depot.", "complete"),
    ("The order left the depot on Monday.", "complete"),
    ("Olen pahoillani, ymmärrän että tämä harmittaa.", "expects_more"),
])
def test_expects_more_after_empathy_without_a_next_step(text, expected):
    from coach.rubric import match_text

    lang = "fi" if "pahoillani" in text else "en"
    findings = match_text(text, "complaint-handling", lang)
    assert expects_more("complete", text, findings) == expected
    assert expects_more("question", text, findings) == "question"  # only "complete" is refined
    assert WAITS["complete"] < WAITS["expects_more"] < MIN_INSIDE_TURN_PAUSE


def test_pause_learner_adapts_only_the_wait_after_a_complete_sentence():
    from coach.turns import WAITS, PauseLearner

    pace = PauseLearner(keep=3, margin=0.05, cap=0.45)
    assert pace.wait("complete") == WAITS["complete"]  # nothing seen yet
    pace.observe(0.2)
    assert pace.wait("complete") == WAITS["complete"]  # a brisk speaker: never below the policy
    pace.observe(0.37)
    assert pace.wait("complete") == 0.42
    assert pace.wait("question") == WAITS["question"] and pace.wait("trailing") == WAITS["trailing"]
    pace.observe(0.9)
    assert pace.wait("complete") == 0.45  # capped
    for _ in range(3):
        pace.observe(0.1)
    assert pace.wait("complete") == WAITS["complete"]  # only the last `keep` pauses count
    pace.observe(0.0)
    assert pace.pauses == [0.1, 0.1, 0.1]


def test_tracker_is_rising_while_a_window_of_speech_awaits_confirmation():
    t = SpeechTracker(min_speech=2)
    t.push([0.9, 0.9, 0.1, 0.1])
    assert not t.in_speech and not t.rising and t.silence_s() > 0
    t.push([0.7])  # one window of speech: maybe the speaker carries on
    assert t.rising and not t.in_speech
    t.push([0.2])  # a blip: silence goes on
    assert not t.rising and not t.in_speech
    t.push([0.8, 0.8])
    assert t.in_speech and not t.rising
