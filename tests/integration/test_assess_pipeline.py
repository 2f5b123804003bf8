"""Audio -> Transcript with real Silero VAD and real tiny.en (stereo, mono, the speech edge)."""

from pathlib import Path

import numpy as np
import pytest

from coach.pipeline import MONO_NOTE, mono_metrics, transcript_from_audio

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny():
    from coach.stt import load_transcriber

    return load_transcriber("tiny.en")


def test_real_stereo_speech_one_speaker_per_channel(shared_dir, tiny):
    tr = transcript_from_audio(shared_dir / "audio" / "stereo_diarization.wav", transcriber=tiny)
    by = {t.speaker: t.text.lower() for t in tr.turns}
    assert "wizard" in by["agent"] and "curtain" in by["agent"]
    assert "horizon" in by["customer"]
    assert tr.intervals["agent"] and tr.intervals["customer"] and not tr.meta["mono"]
    # the other way round
    tr = transcript_from_audio(shared_dir / "audio" / "stereo_diarization.wav", agent_channel="right",
                               transcriber=tiny)
    assert "horizon" in next(t.text.lower() for t in tr.turns if t.speaker == "agent")


def test_call_turns_in_time_order_with_words_mapped_back(tiny):
    tr = transcript_from_audio(REPO / "audio_samples" / "anna_2026-11-20_good_en.flac", transcriber=tiny)
    starts = [t.start for t in tr.turns]
    assert starts == sorted(starts)
    assert [t.speaker for t in tr.turns[:3]] == ["agent", "customer", "agent"]
    text = " ".join(t.text.lower() for t in tr.turns if t.speaker == "agent")
    assert "sorry" in text and "frustrating" in text and "noon" in text
    # each word lies inside its turn and inside VAD speech of its speaker (±0.5 s)
    for t in tr.turns:
        for w in t.words:
            assert t.start - 0.01 <= w.start <= w.end <= t.end + 0.01
    assert abs(tr.duration - 52.9) < 0.2
    # silence was skipped: the customer said 5 things, the agent 6
    assert sum(1 for t in tr.turns if t.speaker == "customer") == 5


def test_silent_channel_gives_no_invented_text(tmp_path, tiny):
    import soundfile as sf

    from coach.audio import load

    a = load(REPO / "audio_samples" / "anna_2026-11-20_good_en.flac")
    x = a.samples.copy()
    x[1] = 0.0  # customer channel muted
    sf.write(tmp_path / "muted.wav", x.T, a.sr)
    tr = transcript_from_audio(tmp_path / "muted.wav", transcriber=tiny)
    assert not any(t.speaker == "customer" for t in tr.turns)
    assert tr.intervals["customer"] == ()


def test_mono_is_one_stream_with_a_note(shared_dir, tiny):
    tr = transcript_from_audio(shared_dir / "audio" / "jfk.flac", transcriber=tiny)
    assert tr.meta["mono"] and tr.intervals is None and MONO_NOTE in tr.meta["notes"]
    assert "country" in " ".join(t.text.lower() for t in tr.turns)
    assert {t.speaker for t in tr.turns} == {"agent"}
    from coach.metrics import compute

    m = mono_metrics(compute(tr))
    assert m.talk_ratio is None and m.interruptions is None and MONO_NOTE in m.notes
    assert m.duration_s and m.duration_s > 10


def test_stereo_copy_of_one_mic_counts_as_mono(tmp_path, shared_dir, tiny):
    import soundfile as sf

    x, sr = sf.read(shared_dir / "audio" / "jfk.flac", dtype="float32", always_2d=True)
    x = x[:, 0]
    sf.write(tmp_path / "dup.wav", np.stack([x, x], axis=1), sr)
    assert transcript_from_audio(tmp_path / "dup.wav", transcriber=tiny).meta["mono"]


def test_silent_call_is_an_error_naming_the_file(tmp_path, tiny):
    import soundfile as sf

    from coach.errors import AudioError

    sf.write(tmp_path / "silent.wav", np.zeros((16000 * 5, 2), np.float32), 16000)
    with pytest.raises(AudioError, match="no speech found") as e:
        transcript_from_audio(tmp_path / "silent.wav", transcriber=tiny)
    assert e.value.path == str(tmp_path / "silent.wav")
