"""Streaming turns on real speech: asr-reference.wav played as the microphone.

The recording (one speaker, 9 sentences with pauses) must be cut into the same 9 turns as
asr-reference.utterances.json, transcribed by tiny.en with a word error rate <= 10 %.
The persona stays silent here (the turn cutting is under test); the persona path is tested
end to end in test_live_practice.py.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from coach.commands.practice import PracticeOptions
from coach.live.engines import PersonaReply
from coach.live.recorder import read_events, read_session_wav
from coach.live.screen import PlainView
from coach.live.session import run_session
from coach.wer import edit_distance, words

pytestmark = pytest.mark.integration


class SilentPersona:
    lang, rubric_id, voice_settings = "en", "none", (None, None)

    def fork(self):
        return self

    def reply(self, text, findings, events):
        return PersonaReply("")


class NoVoice:
    def render(self, text):
        return np.zeros(0, np.float32)


def _run(shared_dir, tmp_path, realtime):
    wav = shared_dir / "audio" / "asr-reference.wav"
    ref = json.loads((shared_dir / "audio" / "asr-reference.utterances.json").read_text())
    opts = PracticeOptions(scenario="none", input_wav=wav, record=tmp_path / "s", screen=False)
    import io

    res = run_session(opts, realtime=realtime, view=PlainView(io.StringIO()),
                      components={"persona": SilentPersona(), "rubric": None, "renderer": NoVoice()})
    events = list(read_events(tmp_path / "s" / "events.jsonl"))
    turns = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    return res, turns, [u["text"] for u in ref["utterances"]], events


def _check(res, turns, refs, tmp_path):
    got = [t["text"] for t in turns]
    assert len(turns) == len(refs) == 9, got
    errors = sum(edit_distance(words(r), words(h)) for r, h in zip(refs, got))
    total = sum(len(words(r)) for r in refs)
    assert errors / total <= 0.10, (errors / total, got)
    for r, h in zip(refs, got):  # each turn is the same sentence, not a shifted one
        assert edit_distance(words(r), words(h)) / len(words(r)) < 0.35, (r, h)
    x, sr = read_session_wav(tmp_path / "s" / "session.wav")
    assert sr == 16000 and x.shape[0] == 2
    assert abs(x.shape[1] / sr - res.duration_s) < 0.1
    # turn times lie inside the recording, in order, ending before the next one starts
    ends = [t["end"] for t in turns]
    assert all(a["end"] <= b["start"] for a, b in zip(turns, turns[1:]))
    assert ends[-1] <= x.shape[1] / sr


@pytest.mark.slow
def test_asr_reference_realtime(shared_dir, tmp_path):
    res, turns, refs, events = _run(shared_dir, tmp_path, realtime=True)
    _check(res, turns, refs, tmp_path)
    assert res.overflows == 0
    # each turn is final soon after its speech ends (end-of-turn wait + decode)
    for t in turns:
        assert t["t"] - t["end"] < 1.6, t


def test_asr_reference_simulated_clock(shared_dir, tmp_path):
    res, turns, refs, events = _run(shared_dir, tmp_path, realtime=False)
    _check(res, turns, refs, tmp_path)
    assert any(e["type"] == "partial" and e["text"] for e in events)
