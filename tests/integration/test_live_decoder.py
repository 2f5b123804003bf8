"""The live decoder on real speech synthesis: a trailing "and" before a pause is written down
(the disfluent previous-text prompt), so the turn is not taken as finished."""

from __future__ import annotations

import numpy as np
import pytest

from coach.live.asr import LiveDecoder
from coach.live.engines import Renderer
from coach.turns import classify_turn_end

pytestmark = pytest.mark.integration
SR = 16000


@pytest.fixture(scope="module")
def decoder():
    d = LiveDecoder("tiny.en", "en")
    d.warm()
    return d


def _turn(text: str) -> np.ndarray:
    x = Renderer("en", rate=175).render(text)
    # as the loop decodes it: the words, 0.15 s of the pause, 0.2 s of digital silence
    return np.concatenate([x, np.zeros(int(0.35 * SR), np.float32)])


@pytest.mark.parametrize("text", [
    "Thank you. I can see both payments. I'm refunding the second payment right now, and",
    "I completely understand how stressful that is, and",
])
def test_a_trailing_and_is_kept(decoder, text):
    hyp = decoder.decode(_turn(text))
    assert classify_turn_end(hyp.text) in ("trailing", "unfinished"), hyp.text


@pytest.mark.parametrize("text,kind", [
    ("Is there anything else I can help you with today?", "question"),
    ("I will call you by five pm today to confirm the driver.", "complete"),
])
def test_finished_sentences_stay_finished(decoder, text, kind):
    hyp = decoder.decode(_turn(text))
    assert classify_turn_end(hyp.text) == kind, hyp.text


def test_without_the_prompt_the_and_is_often_tidied_away(decoder):
    """Why the prompt is there: the same audio without it loses the "and" (if this ever passes
    with the prompt off, the prompt may no longer be needed)."""
    plain = LiveDecoder("tiny.en", "en", style="")
    x = _turn("Thank you. I can see both payments. I'm refunding the second payment right now, and")
    assert classify_turn_end(plain.decode(x).text) == "complete"
    assert classify_turn_end(decoder.decode(x).text) != "complete"
