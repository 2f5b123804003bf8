"""Real espeak-ng (through pyttsx3's driver) and Piper: rendered into buffers, heard back by
Whisper tiny.en."""

from __future__ import annotations

import numpy as np
import pytest

from coach import audio, stt, tts
from coach.errors import ModelError
from coach.wer import words

pytestmark = pytest.mark.integration

SENTENCE = "I am sorry about the broken phone. We will send a new one tomorrow."
KEY = {"sorry", "broken", "phone", "send", "new", "tomorrow"}


@pytest.fixture(scope="module")
def tiny():
    return stt.load_transcriber("tiny.en")


def _heard(tiny, x, sr) -> set[str]:
    segs = tiny.transcribe(audio.resample(x, sr, 16000), stt.LIVE)
    return set(words(" ".join(s.text for s in segs)))


def test_espeak_english_round_trip(tiny):
    v = tts.get_voice("en")
    assert isinstance(v, tts.Voice) and v.name == "espeak:gmw/en-us"
    x, sr = v.synthesize(SENTENCE)
    assert sr == 22050 and x.dtype == np.float32 and x.ndim == 1
    assert 2.5 < len(x) / sr < 8 and 0.2 < np.abs(x).max() <= 1.0
    heard = _heard(tiny, x, sr)
    assert len(KEY & heard) >= 5, heard


def test_espeak_is_reusable_and_rate_changes_duration():
    v = tts.get_voice("en")
    lengths = {len(v.synthesize(f"Number {i}. Thank you for waiting.")[0]) for i in range(25)}
    assert all(n > 22050 for n in lengths)
    a, _ = v.synthesize(SENTENCE)
    b, _ = v.synthesize(SENTENCE)
    # the same text renders the same (espeak-ng adds slight jitter, so not bit-exact)
    from speech_media import envelope_corr

    assert abs(len(a) - len(b)) < 0.01 * len(a) and envelope_corr(a, b, 22050) > 0.95
    slow, _ = tts.get_voice("en", rate=120).synthesize(SENTENCE)
    fast, _ = tts.get_voice("en", rate=260).synthesize(SENTENCE)
    assert len(slow) > 1.6 * len(fast)


def test_espeak_finnish_produces_speech():
    v = tts.get_voice("fi")
    assert v.name == "espeak:urj/fi"
    x, sr = v.synthesize("Olen pahoillani, että laskussa oli virhe. Korjaamme sen huomenna.")
    assert len(x) / sr > 2.0
    # speech-like: energy comes and goes (syllables), not a constant tone or silence
    env = np.sqrt((x[: len(x) // 441 * 441].reshape(-1, 441) ** 2).mean(axis=1))
    assert env.max() > 0.05 and (env < env.max() * 0.1).mean() > 0.05
    en, _ = tts.get_voice("en").synthesize("Olen pahoillani, että laskussa oli virhe.")
    assert not np.array_equal(en[: len(x)], x[: len(en)])  # really another voice


def test_voice_errors():
    with pytest.raises(ModelError, match="en or fi"):
        tts.get_voice("sv")
    with pytest.raises(ModelError, match="espeak or piper"):
        tts.get_voice("en", engine="festival")
    with pytest.raises(ModelError, match="English only"):
        tts.get_voice("fi", engine="piper")


def test_piper_voice_renders(tiny):
    v = tts.get_voice("en", engine="piper")
    assert v.name.startswith("piper:en_US-joe-medium")
    x, sr = v.synthesize(SENTENCE)
    assert sr == 22050 and x.dtype == np.float32 and 2.0 < len(x) / sr < 8
    heard = _heard(tiny, x, sr)
    assert len(KEY & heard) >= 5, heard
    y, _ = tts.get_voice("en", engine="piper", rate=260).synthesize(SENTENCE)
    assert len(y) < 0.85 * len(x)
