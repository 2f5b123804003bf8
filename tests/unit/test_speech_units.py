"""Pure logic of the speech stack: WER, resampling, WAV headers, options, error paths."""

from __future__ import annotations

import builtins
import os
import dataclasses
import struct
from types import SimpleNamespace

import numpy as np
import pytest

from coach import audio, devices, models, stt, wavheader
from coach.errors import DeviceError
from coach.resampling import StreamResampler, resample
from coach.wer import cer, edit_distance, normalise, wer


def test_wer_normalises_case_and_punctuation():
    assert normalise("Ask not — what YOUR country, can do; don’t!") == \
        "ask not what your country can do don't"
    assert wer("And so, my fellow Americans.", "and so my fellow americans") == 0.0
    assert wer("a b c d", "a x c") == 0.5  # one substitution + one deletion
    assert wer("a b", "a b c d") == 1.0  # two insertions
    assert wer("", "") == 0.0 and wer("", "x") == float("inf")
    assert normalise("Hyvää päivää, asiakas!") == "hyvää päivää asiakas"
    assert edit_distance("kitten", "sitting") == 3
    assert cer("abcd", "abed") == 0.25


@pytest.mark.parametrize("sr_in,sr_out", [(8000, 16000), (44100, 16000), (22050, 16000),
                                          (48000, 16000), (16000, 16000), (16000, 8000)])
def test_stream_resampler_equals_whole_signal(sr_in, sr_out):
    rng = np.random.default_rng(sr_in)
    x = rng.normal(0, 0.2, (2, sr_in * 2 + 123)).astype(np.float32)
    whole = resample(x, sr_in, sr_out)
    rs = StreamResampler(sr_in, sr_out, channels=2)
    out, pos = [], 0
    while pos < x.shape[1]:
        n = int(rng.integers(1, 5000))
        out.append(rs.process(x[:, pos:pos + n]))
        pos += n
    out.append(rs.flush())
    got = np.concatenate(out, axis=1)
    assert got.shape == whole.shape
    assert np.max(np.abs(got - whole)) < 1e-5


def _wav_bytes(data_declared: int, data: bytes, tag: int = 1, bits: int = 16) -> bytes:
    fmt = struct.pack("<HHIIHH", tag, 1, 16000, 16000 * bits // 8, bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
    body += b"LIST" + struct.pack("<I", 4) + b"INFO"  # a chunk to skip
    body += b"data" + struct.pack("<I", data_declared) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_wav_header_walk_and_truncation_note(tmp_path):
    p = tmp_path / "a.wav"
    p.write_bytes(_wav_bytes(64000, b"\0" * 32000))
    h = wavheader.parse_wav(p)
    assert (h.fmt_tag, h.channels, h.sr, h.bits) == (1, 1, 16000, 16)
    assert h.data_offset == 12 + 8 + 16 + 12 + 8 and h.data_declared == 64000
    note = wavheader.truncation_note(h)
    assert note.startswith("truncated") and "2.00 s" in note and "1.00 s" in note
    p.write_bytes(_wav_bytes(32000, b"\0" * 32000))
    assert wavheader.truncation_note(wavheader.parse_wav(p)) is None
    p.write_bytes(_wav_bytes(0xFFFFFFFF, b"\0" * 320))  # streaming writers: unknown length
    assert wavheader.truncation_note(wavheader.parse_wav(p)) is None
    p.write_bytes(b"RIFF\x10\x00\x00\x00WAVEfmt ")
    assert wavheader.parse_wav(p).fmt_tag is None
    p.write_bytes(b"ID3 not a wav")
    assert wavheader.parse_wav(p) is None


def test_same_content_and_to_mono():
    rng = np.random.default_rng(0)
    a = rng.normal(size=1000).astype(np.float32)
    b = rng.normal(size=1000).astype(np.float32)
    assert audio.same_content(np.stack([a, a * 0.9 + 0.001]))
    assert not audio.same_content(np.stack([a, b]))
    assert not audio.same_content(np.stack([a, np.zeros_like(a)]))
    assert audio.to_mono(np.stack([a, b])).shape == (1000,)
    assert np.array_equal(audio.to_mono(a), a)


def test_presets():
    assert stt.LIVE.beam_size == 1 and stt.LIVE.temperature == 0.0  # a float: no fallback
    assert stt.BATCH.beam_size == 5 and stt.BATCH.temperature == 0.0
    assert stt.LIVE.vad_filter and stt.BATCH.vad_filter
    with pytest.raises(dataclasses.FrozenInstanceError):
        stt.LIVE.beam_size = 3
    assert stt.LIVE.with_(word_timestamps=True).word_timestamps and not stt.LIVE.word_timestamps
    assert stt.normalise_lang("auto") is None and stt.normalise_lang("FI") == "fi"
    assert stt.pick_device("cpu") == ("cpu", "int8")


def test_invented_segments_are_recognised():
    o = stt.BATCH
    seg = lambda text, nsp, lp: SimpleNamespace(text=text, no_speech_prob=nsp, avg_logprob=lp)  # noqa: E731
    assert stt._invented(seg(" Thank you.", 0.55, -0.5), "Thank you.", o)
    assert not stt._invented(seg(" Thank you.", 0.35, -0.5), "Thank you.", o)  # real thanks
    assert stt._invented(seg(" Anything", 0.7, -1.2), "Anything", o)
    assert stt._invented(seg(" mumble", 0.1, -1.8), "mumble", o)
    assert not stt._invented(seg(" Thank you for calling.", 0.05, -0.3),
                             "Thank you for calling.", o)
    assert not stt._invented(seg(" Thank you.", 0.02, -0.2), "Thank you.", o)


def test_multilingual_detection(tmp_path):
    (tmp_path / "vocabulary.txt").write_text("\n".join(["t"] * 51864))
    assert not models.is_multilingual(tmp_path)
    (tmp_path / "vocabulary.txt").write_text("\n".join(["t"] * 51865))
    assert models.is_multilingual(tmp_path)


def test_missing_portaudio_is_a_device_error(monkeypatch):
    real = builtins.__import__

    def no_portaudio(name, *a, **kw):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real(name, *a, **kw)

    monkeypatch.delitem(__import__("sys").modules, "sounddevice", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_portaudio)
    with pytest.raises(DeviceError, match="apt-get install libportaudio2"):
        devices.list_devices()


def test_repeated_sentence_loop_is_recognised():
    assert stt._repeats("Olimpa koilani, että laskus saali.", "Olimpa koilani että laskus saali")
    assert not stt._repeats("Hello?", "Hello?")  # short repeats are real speech
    assert not stt._repeats("I see your point here.", "We will call you back today.")


def test_cuda_is_picked_when_ctranslate2_sees_one(monkeypatch):
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    assert stt.pick_device("auto") == ("cuda", "float16")
    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 0)
    assert stt.pick_device("auto") == ("cpu", "int8")
    assert stt.pick_device("auto", "int8_float16") == ("cpu", "int8_float16")


def test_missing_espeak_is_a_clear_model_error(monkeypatch):
    import sys

    from coach import tts
    from coach.errors import ModelError

    real = builtins.__import__

    def no_espeak(name, globals=None, locals=None, fromlist=(), level=0):
        if name == "pyttsx3.drivers" and fromlist and "_espeak" in fromlist:
            raise RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!")
        return real(name, globals, locals, fromlist, level)

    monkeypatch.delitem(sys.modules, "pyttsx3.drivers._espeak", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_espeak)
    with pytest.raises(ModelError, match="apt-get install espeak-ng"):
        tts.get_voice("en")


def test_cpu_threads_follow_the_environment(monkeypatch):
    from coach.stt import cpu_threads

    monkeypatch.setenv("COACH_CPU_THREADS", "1")
    assert cpu_threads() == 1
    monkeypatch.setenv("COACH_CPU_THREADS", "junk")
    assert cpu_threads() == min(8, os.cpu_count() or 1)
