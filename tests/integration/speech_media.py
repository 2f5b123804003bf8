"""Helpers for the speech tests: encode real speech into the formats call centres have."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

JFK_REF = ("And so my fellow Americans, ask not what your country can do for you, ask what you "
           "can do for your country.")
STEREO_REFS = ("He began a confused complaint against the wizard, who had vanished behind the "
               "curtain on the left.", "The horizon seems extremely distant.")


def encode_av(samples: np.ndarray, sr: int, path: Path, codec: str, fmt: str | None = None,
              bit_rate: int | None = None) -> Path:
    """Encode mono float32 ``samples`` with FFmpeg (PyAV): aac -> m4a, libmp3lame -> mp3,
    adpcm_g726 -> wav (an encoding libsndfile cannot read)..."""
    import av

    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :]
    with av.open(str(path), "w", format=fmt) as c:
        s = c.add_stream(codec, rate=sr)
        s.layout = "mono"
        if bit_rate:
            s.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = sr
        target = s.codec_context.format.name if s.codec_context.format else "s16"
        res = av.AudioResampler(format=target, layout="mono", rate=sr)
        for f in res.resample(frame) + res.resample(None):
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    return path


def wav_with_format_tag(path: Path, tag: int, payload: bytes = b"\x01\x02" * 4000,
                        sr: int = 8000, bits: int = 4) -> Path:
    """A syntactically valid WAV whose encoding (format tag) no decoder knows."""
    fmt = struct.pack("<HHIIHH", tag, 1, sr, sr * bits // 8, max(1, bits // 8), bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(payload)) + payload
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def snr_db(ref: np.ndarray, test: np.ndarray) -> float:
    n = min(len(ref), len(test))
    ref, test = ref[:n], test[:n]
    noise = ref - test
    return 10 * np.log10(float((ref ** 2).sum()) / max(float((noise ** 2).sum()), 1e-20))


def envelope_corr(a: np.ndarray, b: np.ndarray, sr: int, win: float = 0.02) -> float:
    """Correlation of 20 ms RMS envelopes (robust to codec phase changes)."""
    n = min(len(a), len(b))
    w = max(1, int(sr * win))
    k = n // w
    ea = np.sqrt((a[: k * w].reshape(k, w) ** 2).mean(axis=1))
    eb = np.sqrt((b[: k * w].reshape(k, w) ** 2).mean(axis=1))
    return float(np.corrcoef(ea, eb)[0, 1])


def best_lag(rec: np.ndarray, ref: np.ndarray) -> int:
    """Offset of ``ref`` inside ``rec`` by FFT cross-correlation."""
    from scipy.signal import correlate

    c = correlate(rec, ref, mode="full", method="fft")
    return int(np.argmax(np.abs(c))) - (len(ref) - 1)
