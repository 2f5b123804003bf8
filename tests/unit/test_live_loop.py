"""The live loop's turn-taking with scripted stand-ins for ASR, persona and voice.

Real parts: the Silero VAD (on real speech from jfk.flac) and the loop itself, driven block by
block on a simulated clock. Stand-ins: the decoder returns scripted text (so the end-of-turn
class is known), the persona a fixed reply, the voice a fixed-length sound. The same paths run
with real models in tests/integration/test_live_practice.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from coach.live.asr import Hypothesis
from coach.live.audio_io import BLOCK, SR, Block, Player
from coach.live.engines import PersonaReply
from coach.live.loop import LiveLoop, LoopConfig


@pytest.fixture(scope="module")
def speech(shared_dir):
    from coach.audio import load

    x = load(shared_dir / "audio" / "jfk.flac", sr=SR).samples[0]
    return x[int(0.3 * SR):int(2.25 * SR)]  # "And so my fellow Americans" (continuous speech)


class Decoder:
    def __init__(self, texts):
        self.texts = texts  # (min seconds of audio, text), first match from the longest

    def decode(self, audio, align=False):
        dur = len(audio) / SR
        text = next(t for d, t in sorted(self.texts, reverse=True) if dur >= d)
        return Hypothesis(text, dur, 0.0)


class Persona:
    def __init__(self, log):
        self.log = log

    def fork(self):
        return self

    def reply(self, text, findings, events):
        self.log.append((text, dict(events)))
        return PersonaReply("Okay then, tell me more about it please.", {"anger": 5.0})


class Voice:
    def render(self, text):
        return (np.random.default_rng(0).standard_normal(int(2.0 * SR)) * 0.1).astype(np.float32)


def run(mic, texts, log=None):
    events, log = [], log if log is not None else []
    player = Player()
    loop = LiveLoop(Decoder(texts), Persona(log), None, Voice(), player, events.append,
                    LoopConfig(realtime=False))
    out = np.zeros(len(mic), np.float32)
    pending = (np.zeros(BLOCK, np.float32), [])
    for i in range(len(mic) // BLOCK):
        o, played = pending
        pending = player.pull(BLOCK)
        out[i * BLOCK:(i + 1) * BLOCK] = o
        loop.step(Block(i, mic[i * BLOCK:(i + 1) * BLOCK], o, played))
    loop.close()
    return loop, events, out


def track(*parts):
    return np.concatenate([p if isinstance(p, np.ndarray) else np.zeros(int(p * SR), np.float32)
                           for p in parts]).astype(np.float32)


def test_no_reply_inside_a_pause_after_and(speech):
    mic = track(0.5, speech, 0.75, speech, 3.0)
    loop, events, out = run(mic, [(0, "I will check that and"), (3.5, "I will check that and call you back.")])
    agent = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    assert len(agent) == 1 and agent[0]["text"].endswith("call you back.")
    first_reply = np.flatnonzero(np.abs(out) > 0)[0] / SR
    assert first_reply > 0.5 + 2 * len(speech) / SR + 0.75  # only after the second part
    assert loop.cutoffs == 0


def test_reply_after_a_complete_sentence_within_half_a_second(speech):
    mic = track(0.5, speech, 3.0)
    loop, events, out = run(mic, [(0, "I will call you back by five today.")])
    end = 0.5 + len(speech) / SR
    first = np.flatnonzero(np.abs(out) > 0)[0] / SR
    assert 0.3 <= first - end <= 0.5, first - end  # wait 0.35 s + VAD + one-block output buffer
    turn = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"][0]
    assert turn["end_kind"] == "complete"


def test_barge_in_stops_persona_and_cuts_its_text(speech):
    # reply starts ~0.4 s after the first turn; the agent talks over it 1.2 s into it
    mic = track(0.5, speech, 1.6, speech, 3.0)
    log = []
    loop, events, out = run(mic, [(0, "Could I have your order number?")], log)
    stopped = [e for e in events if e["type"] == "persona_stopped"]
    assert stopped and stopped[0]["stop_ms"] <= 300
    cust = [e for e in events if e["type"] == "turn" and e["speaker"] == "customer"][0]
    assert cust["interrupted"] and cust["full_text"].startswith(cust["text"])
    assert 0 < len(cust["text"]) < len(cust["full_text"])
    onset = 0.5 + len(speech) / SR + 1.6
    assert np.abs(out[int((onset + 0.3) * SR):int((onset + 1.0) * SR)]).max() == 0  # silent by 300 ms
    # the persona hears about the interruption with the next turn
    assert [ev["interrupted"] for _, ev in log] == [False, True]


def test_cutoff_is_counted_and_undone(speech):
    # a complete-sounding first part, then the agent carries on 0.6 s later: the persona
    # (wait 0.35 s) jumps in, stops, and answers both parts together afterwards
    mic = track(0.5, speech, 0.6, speech, 3.0)
    log = []
    loop, events, out = run(mic, [(0, "I am so sorry about the delay today."),
                                  (2.5, "I am so sorry about the delay today.")], log)
    assert loop.cutoffs == 1
    assert [e for e in events if e["type"] == "cutoff"]
    # the second reply is to both parts and is not flagged as the agent interrupting
    text, ev = log[-1]
    assert text.count("sorry") == 2 and ev["interrupted"] is False


def test_a_reply_not_yet_handed_to_the_output_is_withdrawn_not_a_cutoff(speech):
    # the output device asks for samples late (here: not until the agent has carried on); the
    # committed reply is withdrawn, never heard: no cut-off, no customer turn, no barge-in
    mic = track(0.5, speech, 0.25, speech, 3.0)
    events, player = [], Player()
    loop = LiveLoop(Decoder([(0, "I am so sorry about the delay today.")]), Persona([]), None, Voice(),
                    player, events.append, LoopConfig(realtime=False))
    held = 0
    pending = (np.zeros(BLOCK, np.float32), [])
    for i in range(len(mic) // BLOCK):
        o, played = pending
        committed = any(e["type"] == "reply_chosen" for e in events)
        if committed and held < 4:  # the device is late for 4 blocks (128 ms) after the commit
            held += 1
            pending = (np.zeros(BLOCK, np.float32), [])
        else:
            pending = player.pull(BLOCK)
        loop.step(Block(i, mic[i * BLOCK:(i + 1) * BLOCK], o, played))
    loop.close()
    kinds = [e["type"] for e in events]
    assert "reply_withdrawn" in kinds and loop.withdrawn == 1
    assert loop.cutoffs == 0 and not loop.barge_ins
    assert kinds.index("reply_withdrawn") < kinds.index("persona_start")  # only the later reply plays


def test_cutoffs_count_only_replies_that_were_played(speech):
    # sweep the pause around the 0.35 s wait: whenever a cut-off is counted, the persona's reply
    # did reach the output (a persona_start), and it is counted once
    for pause in np.arange(0.22, 0.5, 0.024):
        mic = track(0.5, speech, float(pause), speech, 3.0)
        loop, events, out = run(mic, [(0, "I am so sorry about the delay today."),
                                      (2.5, "I am so sorry about the delay today.")])
        kinds = [e["type"] for e in events]
        assert loop.cutoffs == kinds.count("cutoff") <= 1
        if loop.cutoffs:
            assert "persona_start" in kinds
            first = np.flatnonzero(np.abs(out) > 0)[0] / SR
            assert first < 0.5 + len(speech) / SR + pause + 0.3  # it was audible near the resumption


class ByLoudness(Decoder):
    """Scripted text by duration, with a second script for quiet audio (a second turn)."""

    def __init__(self, loud, quiet):
        self.loud, self.quiet = loud, quiet

    def decode(self, audio, align=False):
        self.texts = self.loud if np.abs(audio).max() > 0.3 else self.quiet
        return super().decode(audio, align)


def two_turns_with_pauses(speech, pause, learn=True, first="I checked your account today."):
    quiet = speech * (0.25 / np.abs(speech).max())
    mic = track(0.5, speech, pause, speech, 3.0, quiet, pause, quiet, 3.0)
    dec = ByLoudness([(0, first), (3.0, first + " The refund is on its way.")],
                     [(0, "I can see the payment here."), (3.0, "I can see the payment here. It went out on Monday.")])
    events, player = [], Player()
    loop = LiveLoop(dec, Persona([]), None, Voice(), player, events.append,
                    LoopConfig(realtime=False, learn_pauses=learn))
    pending = (np.zeros(BLOCK, np.float32), [])
    for i in range(len(mic) // BLOCK):
        o, played = pending
        pending = player.pull(BLOCK)
        loop.step(Block(i, mic[i * BLOCK:(i + 1) * BLOCK], o, played))
    loop.close()
    return loop, events


def test_the_wait_after_a_sentence_learns_the_agents_pauses_from_a_cutoff(speech):
    # an agent who leaves a little more than the 0.35 s wait between two sentences of a turn
    # (0.25 s between these two clips is ~0.38 s for the VAD, whose end and start detections
    # lag): the persona cuts in once, then waits longer after their full stops
    loop, events = two_turns_with_pauses(speech, 0.25)
    assert loop.cutoffs == 1
    waits = [e["wait_s"] for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    assert waits[0] == 0.35 and 0.38 < max(waits) <= 0.45, waits
    fixed, _ = two_turns_with_pauses(speech, 0.25, learn=False)
    assert fixed.cutoffs == 2  # without learning the second turn is cut off as well


def test_a_pause_after_an_opener_does_not_change_the_wait(speech):
    # "Thank you for calling." waits 0.6 s, so the pause after it is no cut-off; it does not
    # teach the wait after complete sentences either (a cut-off later does)
    loop, events = two_turns_with_pauses(speech, 0.25, first="Thank you for calling.")
    waits = [e["wait_s"] for e in events if e["type"] == "turn" and e["speaker"] == "agent"
             and e["end_kind"] == "complete"]
    assert waits and waits[0] == 0.35
    fixed, _ = two_turns_with_pauses(speech, 0.25, learn=False, first="Thank you for calling.")
    assert loop.cutoffs == fixed.cutoffs == 1


def test_the_learnt_wait_is_capped(speech):
    # a long pause between sentences cannot push the wait after every full stop past 0.45 s
    # (the response-time target): a 0.6 s pause after a complete sentence is a cut-off, the
    # wait after it is capped
    loop, events = two_turns_with_pauses(speech, 0.6)
    waits = [e["wait_s"] for e in events if e["type"] == "turn" and e["speaker"] == "agent"
             and e["end_kind"] == "complete"]
    assert waits and max(waits) == 0.45 and loop.pace.pauses, (waits, loop.pace.pauses)


def test_a_brisk_agent_keeps_a_short_wait(speech):
    loop, events = two_turns_with_pauses(speech, 0.1)
    assert loop.cutoffs == 0
    waits = [e["wait_s"] for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    assert waits and max(waits) <= 0.35 + 1e-9, waits
