"""Ground truth for VAD + metrics: real espeak-ng speech placed at known times in a stereo call.

The same metrics are computed from the true intervals (where the clips were placed) and from
the Silero VAD intervals of the rendered file; they must agree within the tolerances of issue
#4 (talk ratio ±2 percentage points, longest monologue/story ±0.3 s, interruptions exact).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach import vad
from coach.errors import AudioError
from coach.metrics import from_intervals

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import callgen  # noqa: E402

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def call():
    c, design = callgen.support_call()
    return c, design, c.render()


def _check(truth_m, vad_m, design):
    assert vad_m.talk_ratio == pytest.approx(truth_m.talk_ratio, abs=0.02)
    assert vad_m.longest_monologue_s == pytest.approx(truth_m.longest_monologue_s, abs=0.3)
    assert vad_m.longest_customer_story_s == pytest.approx(truth_m.longest_customer_story_s, abs=0.3)
    assert truth_m.interruptions == design["interruptions"]
    assert vad_m.interruptions == design["interruptions"]
    assert [round(t, 1) for t in vad_m.interruption_times] == [
        round(t, 1) for t in truth_m.interruption_times
    ]
    assert vad_m.long_silence_count == truth_m.long_silence_count == design["long_silences"]
    assert vad_m.long_silences[0].start == pytest.approx(design["hold_start"], abs=0.3)
    assert vad_m.speaker_switches == truth_m.speaker_switches
    assert vad_m.agent_backchannels == truth_m.agent_backchannels == 1
    assert vad_m.customer_backchannels == truth_m.customer_backchannels == 1
    assert vad_m.patience_mean_s == pytest.approx(truth_m.patience_mean_s, abs=0.15)


@pytest.mark.parametrize(
    "name,sr,subtype,noise",
    [
        ("16 kHz PCM", 16000, "PCM_16", None),
        ("8 kHz mu-law telephony", 8000, "ULAW", None),
        ("8 kHz PCM with a noise floor", 8000, "PCM_16", -50.0),
        ("44.1 kHz float with a loud noise floor", 44100, "FLOAT", -40.0),
    ],
)
def test_vad_metrics_match_ground_truth(call, tmp_path, name, sr, subtype, noise):
    c, design, _ = call
    path = callgen.write(tmp_path / "call.wav", c.render(noise_dbfs=noise), sr=sr, subtype=subtype)
    assert sf.info(str(path)).samplerate == sr
    iv = vad.channel_intervals(path)
    assert sorted(iv) == [0, 1]
    truth = c.intervals()
    _check(from_intervals(truth[0], truth[1]), from_intervals(iv[0], iv[1]), design)


def test_intervals_follow_the_placed_speech(call):
    c, _, x = call
    iv = vad.channel_intervals(x, sr=16000)
    for ch, true in c.intervals().items():
        got = iv[ch]
        # every placed clip is found, with its start and end within 0.15 s
        for t in true:
            hits = [g for g in got if g.start < t.end and g.end > t.start]
            assert hits, f"channel {ch}: clip at {t.start:.2f} not detected"
            assert hits[0].start == pytest.approx(t.start, abs=0.15)
            assert hits[-1].end == pytest.approx(t.end, abs=0.15)
        # and nothing is found where nobody speaks
        for g in got:
            assert any(g.start < t.end and g.end > t.start for t in true)


def test_blocks_do_not_change_the_result(call):
    _, _, x = call
    off = replace(vad.METRICS, energy_gate_dbfs=None)
    whole = vad.channel_intervals(x, settings=replace(off, block_s=1000), sr=16000)
    # 3.3 s blocks cut through many utterances: the state is carried, results are identical
    assert vad.channel_intervals(x, settings=replace(off, block_s=3.3), sr=16000) == whole


@pytest.mark.parametrize("noise", [None, -50.0, -35.0])
def test_energy_gate_skips_silence_and_keeps_the_figures(call, noise):
    c, _, _ = call
    x = c.render(noise_dbfs=noise)
    full = vad.channel_intervals(x, settings=replace(vad.METRICS, energy_gate_dbfs=None), sr=16000)
    for block_s in (30.0, 3.3):
        gated = vad.channel_intervals(x, settings=replace(vad.METRICS, block_s=block_s), sr=16000)
        mf, mg = from_intervals(full[0], full[1]), from_intervals(gated[0], gated[1])
        for ch in (0, 1):
            talk = sum(i.duration for i in full[ch])
            assert sum(i.duration for i in gated[ch]) == pytest.approx(talk, rel=0.02)
        assert mg.talk_ratio == pytest.approx(mf.talk_ratio, abs=0.005)
        assert mg.longest_monologue_s == pytest.approx(mf.longest_monologue_s, abs=0.1)
        assert mg.interruptions == mf.interruptions
    cv = vad.ChannelVad()
    cv.feed(x[1])
    cv.finish()
    assert 0.2 < cv.model_share < 0.6  # the customer speaks ~35 % of the call


def test_same_as_faster_whisper_on_real_speech(shared_dir):
    from faster_whisper.vad import get_speech_timestamps

    x, sr = sf.read(str(shared_dir / "audio" / "asr-reference.wav"), dtype="float32")
    assert sr == 16000
    s = replace(vad.METRICS, energy_gate_dbfs=None)
    ref = [(round(r["start"] / sr, 3), round(r["end"] / sr, 3))
           for r in get_speech_timestamps(x, s.vad_options())]
    got = [(i.start, i.end) for i in vad.speech_intervals(x, s)]
    assert got == ref and len(got) >= 9  # nine sentences with pauses between them
    gated = vad.speech_intervals(x)
    assert len(gated) == len(ref)


def test_real_stereo_file(shared_dir):
    iv = vad.channel_intervals(shared_dir / "audio" / "stereo_diarization.wav")
    left, right = iv[0], iv[1]
    # left: a ~4.6 s sentence; right: a ~2.3 s sentence (both start near 0.3 s)
    assert sum(i.duration for i in left) == pytest.approx(4.6, abs=0.5)
    assert sum(i.duration for i in right) == pytest.approx(2.3, abs=0.5)
    m = from_intervals(left, right)
    assert 0.6 < m.talk_ratio < 0.72


def test_mono_and_arrays(call):
    _, _, x = call
    mono = vad.channel_intervals(x[0], sr=16000)
    assert list(mono) == [0] and mono[0] == vad.speech_intervals(x[0])
    # a stream of odd-sized blocks (as a live recorder delivers them) gives the same
    blocks = (x[0][i : i + 4000] for i in range(0, x.shape[1], 4000))
    assert vad.iter_intervals(blocks, replace(vad.METRICS, energy_gate_dbfs=None)) == \
        vad.speech_intervals(x[0], replace(vad.METRICS, energy_gate_dbfs=None))
    # an 8 kHz array is resampled
    x8 = x[:, ::2].copy()
    iv8 = vad.channel_intervals(x8, sr=8000)
    talk = sum(i.duration for i in mono[0])
    assert sum(i.duration for i in iv8[0]) == pytest.approx(talk, rel=0.03)


def test_bad_input(tmp_path):
    with pytest.raises(AudioError):
        vad.channel_intervals(tmp_path / "missing.wav")
    bad = tmp_path / "not-audio.wav"
    bad.write_text("hello")
    with pytest.raises(AudioError):
        vad.channel_intervals(bad)
    with pytest.raises(AudioError):
        vad.speech_intervals(np.zeros((2, 100), np.float32))
    with pytest.raises(AudioError):
        vad.channel_intervals(np.zeros((2, 0), np.float32), sr=16000)


def test_silent_file_gives_no_speech(tmp_path):
    path = tmp_path / "silent.wav"
    sf.write(str(path), np.zeros((16000 * 3, 2), np.float32), 16000)
    iv = vad.channel_intervals(path)
    assert iv == {0: [], 1: []}
    m = from_intervals(iv[0], iv[1], duration=3.0)
    assert m.talk_ratio is None and m.interruptions == 0


def test_ten_minute_call_streams_in_constant_memory(call, tmp_path):
    """10 minutes of stereo audio (77 MB as 16 kHz float32) through VAD + metrics with a peak
    RSS growth far below the audio's size; every repetition of the call is measured the same."""
    c, design, x = call
    warm, _ = callgen.write_long(tmp_path / "warm.wav", x, 70.0)
    path, reps = callgen.write_long(tmp_path / "long.wav", x, 600.0)
    out = subprocess.run(
        [sys.executable, "-c", callgen.MEMORY_PROBE, str(warm), str(path)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    r = json.loads(out.stdout.strip().splitlines()[-1])
    audio_mib = 600 * 16000 * 2 * 4 / 2**20
    assert r["growth_mib"] < audio_mib / 4, r
    single = vad.channel_intervals(x, sr=16000)
    # whole repetitions plus a possibly cut last one
    assert reps * len(single[0]) <= r["intervals"][0] <= (reps + 1) * len(single[0])
    assert reps * design["interruptions"] <= r["interruptions"] <= (reps + 1) * design["interruptions"]
    truth = c.intervals()
    assert r["talk_ratio"] == pytest.approx(from_intervals(truth[0], truth[1]).talk_ratio, abs=0.02)


def test_finnish_call_with_text_backchannel():
    """A 1.2 s "niin niin joo joo" is a backchannel by its words (not by its length) when the
    transcript's text is known, so the customer's story goes on; without text it is a turn."""
    from coach.metrics import compute
    from coach.types import Transcript, Turn

    c = callgen.Call(lang="fi")
    A, C = callgen.AGENT, callgen.CUSTOMER
    texts = []

    def say(ch, text, at):
        iv = c.say(ch, text, at)
        texts.append(Turn("agent" if ch == A else "customer", text, iv.start, iv.end))
        return iv

    a1 = say(A, "Hyvää päivää, asiakaspalvelu, miten voin auttaa?", 0.3)
    s1 = say(C, "Tilasin pesukoneen kolme viikkoa sitten eikä sitä ole vieläkään tullut", a1.end + 0.5)
    bc = say(A, "niin niin joo joo", s1.end + 0.2)
    assert bc.duration > 1.0
    s2 = say(C, "Seurantasivu on näyttänyt samaa maanantaista asti", s1.end + 1.7)
    a2 = say(A, "Pahoittelen todella. Voisitteko kertoa tilausnumeron?", s2.end + 1.0)
    say(C, "Se on neljä neljä yksi yksi", a2.end + 0.6)
    iv = vad.channel_intervals(c.render(), sr=16000)
    intervals = {"agent": tuple(iv[A]), "customer": tuple(iv[C])}
    m = compute(Transcript(turns=tuple(texts), lang="fi", intervals=intervals))
    assert m.timing_source == "vad"
    assert m.longest_customer_story_s == pytest.approx(s2.end - s1.start, abs=0.3)
    assert m.agent_backchannels == 1 and m.agent_questions == 2  # "miten voin auttaa?", "Voisitteko...?"
    without_text = from_intervals(iv[A], iv[C])
    assert without_text.longest_customer_story_s == pytest.approx(s1.duration, abs=0.3)


def test_loaded_audio_object(call, tmp_path):
    """``channel_intervals`` also takes a ``coach.audio.Audio`` (e.g. an 8 kHz file loaded whole)."""
    from coach.audio import load

    c, design, _ = call
    path = callgen.write(tmp_path / "tel.wav", c.render(), sr=8000, subtype="ALAW")
    audio = load(path)
    assert audio.sr == 8000
    iv = vad.channel_intervals(audio)
    truth = c.intervals()
    _check(from_intervals(truth[0], truth[1]), from_intervals(iv[0], iv[1]), design)


def test_real_human_speech_call(shared_dir):
    """The same ground-truth check with recorded human speech (LJ Speech clips) in both channels:
    a customer story of two sentences, the agent talking over its second sentence, a hold."""
    lj = shared_dir / "audio" / "ljspeech"
    clip = {n: callgen.recorded(lj / f"LJ001-{n}.wav") for n in ("0002", "0004", "0006", "0008", "0013")}
    c = callgen.Call()
    a1 = c.place(0, clip["0002"], 0.4)
    s1 = c.place(1, clip["0004"], a1.end + 0.7)
    s2 = c.place(1, clip["0006"], s1.end + 1.1)
    a2 = c.place(0, clip["0008"], s2.start + 2.5)  # over the customer, 2.5 s into the sentence
    a3 = c.place(0, clip["0013"], max(a2.end, s2.end) + 0.9)
    c.place(0, clip["0002"], a3.end + 6.0)  # after a 6 s hold
    iv = vad.channel_intervals(c.render(), sr=16000)
    truth = c.intervals()
    mt, mv = from_intervals(truth[0], truth[1]), from_intervals(iv[0], iv[1])
    assert mv.talk_ratio == pytest.approx(mt.talk_ratio, abs=0.02)
    assert mv.longest_customer_story_s == pytest.approx(mt.longest_customer_story_s, abs=0.3)
    assert mv.longest_customer_story_s == pytest.approx(a2.start - s1.start, abs=0.3)
    assert mv.longest_monologue_s == pytest.approx(mt.longest_monologue_s, abs=0.3)
    assert mt.interruptions == mv.interruptions == 1
    assert mv.long_silence_count == mt.long_silence_count == 1


def test_integer_pcm_arrays(call):
    _, _, x = call
    pcm = np.round(x[0] * 32767).astype(np.int16)
    assert vad.speech_intervals(pcm) == vad.speech_intervals(pcm.astype(np.float32) / 32768)
