"""coach.audio on real speech: every container/encoding we promise, channels, resampling,
streaming blocks, atomic writes, and the bad-input errors (library level)."""

from __future__ import annotations

import os

import numpy as np
import pytest
import soundfile as sf
from speech_media import encode_av, envelope_corr, snr_db, wav_with_format_tag

from coach import audio
from coach.errors import AudioError

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def jfk16(shared_dir) -> np.ndarray:
    """First 6 s of jfk.flac, mono, 16 kHz."""
    a = audio.load(shared_dir / "audio" / "jfk.flac", sr=16000)
    return a.mono()[: 6 * 16000]


def test_jfk_flac_is_decoded_with_channels_and_rate(shared_dir):
    a = audio.load(shared_dir / "audio" / "jfk.flac")
    assert (a.channels, a.sr) == (2, 44100) and abs(a.duration - 11.0) < 0.01
    assert a.samples.dtype == np.float32 and 0.3 < np.abs(a.samples).max() <= 1.0
    assert audio.same_content(a.samples)  # a stereo copy of one microphone
    b = audio.load(shared_dir / "audio" / "jfk.flac", sr=16000)
    assert b.sr == 16000 and b.frames == 176000


def test_stereo_call_keeps_both_channels(shared_dir):
    a = audio.load(shared_dir / "audio" / "stereo_diarization.wav")
    assert a.channels == 2 and a.sr == 16000
    assert not audio.same_content(a.samples)
    left, right = audio.split_channels(a)
    assert np.array_equal(left, a.samples[0]) and not np.allclose(left, right)
    mono = audio.to_mono(a)
    assert mono.channels == 1 and np.allclose(mono.samples[0], (left + right) / 2, atol=1e-6)


@pytest.mark.parametrize("subtype", ["ULAW", "ALAW"])
def test_8khz_telephony_wav(tmp_path, jfk16, subtype):
    x8 = audio.resample(jfk16, 16000, 8000)
    path = tmp_path / f"call-{subtype}.wav"
    sf.write(path, x8, 8000, subtype=subtype)
    assert sf.info(str(path)).subtype == subtype
    a = audio.load(path)
    assert (a.sr, a.channels) == (8000, 1)
    assert snr_db(x8, a.samples[0]) > 25  # G.711 companding is ~38 dB on speech
    b = audio.load(path, sr=16000)
    assert b.sr == 16000 and abs(b.frames - len(jfk16)) <= 2
    assert envelope_corr(jfk16, b.samples[0], 16000) > 0.95


@pytest.mark.parametrize("name,codec,fmt", [
    ("call.m4a", "aac", "ipod"),
    ("call.mp3", "libmp3lame", "mp3"),
    ("call.ogg", "libopus", "ogg"),
    ("g726.wav", "adpcm_g726", "wav"),  # libsndfile cannot read it: the PyAV path
])
def test_compressed_formats(tmp_path, jfk16, name, codec, fmt):
    sr = 8000 if codec == "adpcm_g726" else (48000 if codec == "libopus" else 16000)
    x = audio.resample(jfk16, 16000, sr)
    path = encode_av(x, sr, tmp_path / name, codec, fmt, bit_rate=32000 if sr == 8000 else None)
    if codec == "adpcm_g726":
        with pytest.raises(Exception):
            sf.read(str(path))
    a = audio.load(path, sr=16000)
    assert a.sr == 16000 and a.channels == 1
    assert abs(a.duration - 6.0) < 0.15, a.duration
    # codecs shift by a few ms: compare envelopes after aligning on the best lag
    from speech_media import best_lag

    lag = best_lag(a.samples[0], jfk16)
    y = a.samples[0][max(lag, 0):]
    assert envelope_corr(jfk16, y, 16000) > 0.9


def test_flac_and_float_wav_roundtrip_exact(tmp_path, jfk16):
    for name, sub in (("x.flac", "PCM_16"), ("x.wav", "FLOAT")):
        p = tmp_path / name
        sf.write(p, jfk16, 16000, subtype=sub)
        a = audio.load(p)
        assert np.max(np.abs(a.samples[0] - jfk16)) < (1e-4 if sub == "PCM_16" else 1e-7)


def test_resample_preserves_frequency_and_level():
    sr = 44100
    t = np.arange(sr) / sr
    x = (0.5 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32)
    y = audio.resample(x, sr, 16000)
    assert len(y) == 16000
    spec = np.abs(np.fft.rfft(y[2000:-2000] * np.hanning(12000)))
    peak_hz = np.argmax(spec) * 16000 / 12000
    assert abs(peak_hz - 1000) < 3
    assert abs(np.sqrt(np.mean(y[2000:-2000] ** 2)) - 0.5 / np.sqrt(2)) < 0.01


@pytest.mark.parametrize("fname", ["jfk.flac", "stereo_diarization.wav"])
def test_iter_blocks_matches_load(shared_dir, fname):
    path = shared_dir / "audio" / fname
    whole = audio.load(path, sr=16000).samples
    blocks = list(audio.iter_blocks(path, seconds=2.0, sr=16000))
    assert all(b.shape[1] == 32000 for b in blocks[:-1]) and blocks[-1].shape[1] <= 32000
    joined = np.concatenate(blocks, axis=1)
    assert joined.shape == whole.shape
    assert np.max(np.abs(joined - whole)) < 1e-4


def test_iter_blocks_pyav_path(tmp_path, jfk16):
    path = encode_av(audio.resample(jfk16, 16000, 8000), 8000, tmp_path / "g.wav",
                     "adpcm_g726", "wav", bit_rate=32000)
    whole = audio.load(path, sr=16000).samples
    joined = np.concatenate(list(audio.iter_blocks(path, seconds=1.0)), axis=1)
    assert joined.shape == whole.shape and np.max(np.abs(joined - whole)) < 1e-4


def test_write_wav_is_atomic_and_roundtrips(tmp_path, jfk16):
    out = tmp_path / "sub" / "out.wav"
    st = np.stack([jfk16, -jfk16])
    audio.write_wav(out, st, 16000)
    a = audio.load(out)
    assert a.channels == 2 and np.max(np.abs(a.samples - st)) < 1e-4
    before = out.read_bytes()
    with pytest.raises(Exception):
        audio.write_wav(out, st, 16000, subtype="NO_SUCH_SUBTYPE")
    assert out.read_bytes() == before  # old file untouched
    assert sorted(p.name for p in out.parent.iterdir()) == ["out.wav"]  # no temp left


def test_truncated_wav_decodes_what_is_there(tmp_path, jfk16):
    full = tmp_path / "full.wav"
    sf.write(full, jfk16, 16000, subtype="PCM_16")
    data = full.read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(data[: 44 + 2 * 16000 * 2])  # header + 2 s of 6 s
    a = audio.load(cut)
    assert abs(a.duration - 2.0) < 0.01
    assert a.notes and a.notes[0].startswith("truncated") and "6.00 s" in a.notes[0]
    assert np.max(np.abs(a.samples[0] - jfk16[:32000])) < 1e-4


@pytest.mark.parametrize("case", ["missing", "empty", "text", "header", "encoding", "zero",
                                  "directory"])
def test_bad_input_raises_audio_error_naming_file(tmp_path, case):
    p = tmp_path / f"{case}.wav"
    if case == "empty":
        p.write_bytes(b"")
    elif case == "text":
        p.write_text("this is not audio, just a note\n" * 10)
    elif case == "header":
        sf.write(p, np.zeros(1600, np.float32), 16000)
        p.write_bytes(p.read_bytes()[:30])
    elif case == "encoding":
        wav_with_format_tag(p, 0x7777)
    elif case == "zero":
        sf.write(p, np.zeros(0, np.float32), 16000)
    elif case == "directory":
        p.mkdir()
    with pytest.raises(AudioError) as ei:
        audio.load(p)
    assert ei.value.path == os.fspath(p)
    msg = ei.value.message
    expect = {"missing": "not found", "empty": "empty", "text": "text", "header": "header",
              "encoding": "unsupported", "zero": "no audio", "directory": "directory"}[case]
    assert expect in msg, msg
    if case != "directory":
        with pytest.raises(AudioError):
            list(audio.iter_blocks(p))


@pytest.mark.parametrize("declared", [0, 0xFFFFFFFF])
def test_streaming_wav_header_without_length(tmp_path, jfk16, declared):
    """Recorders writing to a pipe leave the RIFF/data sizes at 0 or 0xFFFFFFFF."""
    import struct

    p = tmp_path / "stream.wav"
    sf.write(p, jfk16, 16000, subtype="PCM_16")
    b = bytearray(p.read_bytes())
    b[4:8] = struct.pack("<I", declared)
    b[40:44] = struct.pack("<I", declared)
    p.write_bytes(bytes(b))
    a = audio.load(p)
    assert a.frames == len(jfk16) and not a.notes
    assert np.max(np.abs(a.samples[0] - jfk16)) < 1e-4
    blocks = np.concatenate(list(audio.iter_blocks(p, seconds=1.0)), axis=1)
    assert blocks.shape[1] == len(jfk16)
