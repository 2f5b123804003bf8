"""`coach transcribe` / `coach devices` as a user runs them: output, JSON, batches, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from speech_media import JFK_REF, STEREO_REFS, wav_with_format_tag

from coach.wer import wer

pytestmark = pytest.mark.integration


def coach(*args, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "coach", *map(str, args)], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_transcribe_jfk_prints_the_sentence_with_times(shared_dir):
    r = coach("transcribe", shared_dir / "audio" / "jfk.flac")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("[") and "]" in lines[0]
    text = " ".join(line.split("] ", 1)[1] for line in lines)
    assert wer(JFK_REF, text) <= 0.05, r.stdout


def test_stereo_json_per_channel(shared_dir):
    r = coach("transcribe", "--json", "--words", shared_dir / "audio" / "stereo_diarization.wav")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["channels"] == 2 and doc["split_channels"] is True
    for ch, ref in enumerate(STEREO_REFS):
        segs = [s for s in doc["segments"] if s["channel"] == ch]
        assert wer(ref, " ".join(s["text"] for s in segs)) <= 0.10
        assert all(s["words"] and s["start"] < s["end"] for s in segs)


def test_stereo_text_output_is_labelled(shared_dir):
    r = coach("transcribe", "--beam", "1", shared_dir / "audio" / "stereo_diarization.wav")
    assert r.returncode == 0
    assert any("] L: He began" in line for line in r.stdout.splitlines())
    assert any("] R: The horizon" in line for line in r.stdout.splitlines())


def _bad_files(d):
    files = {}
    files["missing"] = d / "missing.wav"
    (d / "empty.wav").write_bytes(b"")
    files["empty"] = d / "empty.wav"
    (d / "notes.wav").write_text("Call notes: customer angry about invoice.\n" * 5)
    files["text"] = d / "notes.wav"
    sf.write(d / "hdr.wav", np.zeros(16000, np.float32), 16000)
    (d / "hdr.wav").write_bytes((d / "hdr.wav").read_bytes()[:30])
    files["truncated-header"] = d / "hdr.wav"
    sf.write(d / "cut.wav", 0.1 * np.sin(np.arange(48000) / 5).astype(np.float32), 16000)
    (d / "cut.wav").write_bytes((d / "cut.wav").read_bytes()[:44 + 16000])
    files["truncated-data"] = d / "cut.wav"
    files["encoding"] = wav_with_format_tag(d / "odd.wav", 0x7777)
    sf.write(d / "zero.wav", np.zeros(0, np.float32), 16000)
    files["zero-length"] = d / "zero.wav"
    sf.write(d / "silence.wav", np.zeros(16000 * 3, np.float32), 16000)
    files["silence"] = d / "silence.wav"
    rng = np.random.default_rng(1)
    sf.write(d / "hiss.flac", rng.normal(0, 0.002, 16000 * 4).astype(np.float32), 16000)
    files["noise-only"] = d / "hiss.flac"
    return files


EXPECT = {"missing": "file not found", "empty": "empty file", "text": "not an audio file",
          "truncated-header": "header", "truncated-data": "truncated",
          "encoding": "unsupported WAV encoding", "zero-length": "no audio",
          "silence": "no speech found", "noise-only": "no speech found"}


@pytest.fixture(scope="module")
def bad(tmp_path_factory):
    return _bad_files(tmp_path_factory.mktemp("bad"))


@pytest.mark.parametrize("case", sorted(EXPECT))
def test_bad_input_is_one_line_naming_the_file(bad, case):
    path = bad[case]
    r = coach("transcribe", path)
    assert r.returncode == 1
    assert r.stdout == ""  # no partial output
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"coach: error: {path}: ") and EXPECT[case] in lines[0], lines[0]


def test_batch_reports_each_error_and_still_transcribes_the_rest(bad, shared_dir):
    good = shared_dir / "audio" / "stereo_diarization.wav"
    r = coach("transcribe", "--beam", "1", bad["empty"], good, bad["text"], bad["silence"])
    assert r.returncode == 1
    errs = r.stderr.strip().splitlines()
    assert len(errs) == 3 and all(e.startswith("coach: error: ") for e in errs)
    assert f"== {good}" in r.stdout and "horizon" in r.stdout
    assert str(bad["empty"]) not in r.stdout


def test_truncated_data_can_be_transcribed_on_request(tmp_path, shared_dir):
    from coach import audio

    x = audio.load(shared_dir / "audio" / "jfk.flac", sr=16000).mono()
    sf.write(tmp_path / "jfk.wav", x, 16000, subtype="PCM_16")
    cut = tmp_path / "jfk-cut.wav"
    cut.write_bytes((tmp_path / "jfk.wav").read_bytes()[: 44 + 2 * 16000 * 6])  # 6 of 11 s
    r = coach("transcribe", "--allow-truncated", "--json", cut)
    assert r.returncode == 0, r.stderr
    assert "warning" in r.stderr and "truncated" in r.stderr and str(cut) in r.stderr
    doc = json.loads(r.stdout)
    assert doc["duration"] == pytest.approx(6.0, abs=0.01)
    assert "fellow americans" in " ".join(s["text"] for s in doc["segments"]).lower()


def test_devices_without_a_server_is_a_clear_error(tmp_path):
    import os

    # no sound card here: with the PulseAudio server unreachable PortAudio finds nothing
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/no-such-socket")
    r = coach("devices", env=env)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("coach: error: no audio devices found"), r.stderr
    assert "Traceback" not in r.stderr


def test_devices_lists_pulse(pulse):
    sink = pulse.new_sink("cli")
    r = coach("devices", "--json")
    assert r.returncode == 0, r.stderr
    names = [d["name"] for d in json.loads(r.stdout)]
    assert "pulse" in names, names
    assert sink  # the server the fixture made sure of is what PortAudio's pulse device reaches
