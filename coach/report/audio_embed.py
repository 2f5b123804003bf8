"""Put the call's audio into the HTML report: a compressed data: URI when small, else a link.

The audio is mixed to mono and re-encoded as Ogg/Opus at 16 kHz (24 kbit/s, wideband speech; a
minute is ~0.2 MB) so that one self-contained file stays small. When the compressed audio would
exceed ``max_embed_mb`` (long calls), or cannot be encoded, the report links to the original
file by a path relative to the HTML file instead.
"""

from __future__ import annotations

import base64
import io
import os
from dataclasses import dataclass
from pathlib import Path

MAX_EMBED_MB = 20.0
OPUS_RATE = 16000  # wideband speech (what the recognizer hears); 24 kHz took ~40 % longer


@dataclass(frozen=True)
class AudioSource:
    src: str
    mime: str
    embedded: bool
    note: str = ""


def _load(path: Path):
    """(channels, n) float32 and sample rate, through coach.audio when it is there."""
    try:
        from coach.audio import load

        a = load(path)
        return a.samples, a.sr
    except ImportError:  # pragma: no cover - before coach.audio exists
        import soundfile as sf

        x, sr = sf.read(str(path), dtype="float32", always_2d=True)
        return x.T.copy(), sr


def encode_opus(samples, sr: int, bitrate_per_channel: int = 24000, stereo: bool = False) -> bytes:
    """Ogg/Opus bytes. By default the channels are mixed to mono (what one hears on the line;
    half the size and encoding time of stereo)."""
    import av
    import numpy as np

    x = np.asarray(samples, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    x = x[:2] if stereo else x.mean(axis=0, keepdims=True)
    ch = x.shape[0]
    rate = OPUS_RATE
    if sr != rate:
        try:
            from coach.audio import resample

            x = np.stack([resample(c, sr, rate) for c in x]).astype(np.float32)
        except ImportError:  # pragma: no cover
            n = int(round(x.shape[1] * rate / sr))
            t = np.linspace(0, x.shape[1] - 1, n)
            x = np.stack([np.interp(t, np.arange(x.shape[1]), c) for c in x]).astype(np.float32)
    buf = io.BytesIO()
    with av.open(buf, "w", format="ogg") as out:
        st = out.add_stream("libopus", rate=rate, layout="stereo" if ch == 2 else "mono")
        st.bit_rate = bitrate_per_channel * ch
        st.options = {"compression_level": "2", "application": "voip"}  # fast; speech
        hop = 960 * 50
        pcm = np.ascontiguousarray(np.clip(x, -1, 1).T.reshape(1, -1)) if ch == 2 else x[:1]
        total = x.shape[1]
        for i in range(0, total, hop):
            if ch == 2:
                chunk = np.ascontiguousarray(pcm[:, i * 2:(i + hop) * 2])
                frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="stereo")
            else:
                chunk = np.ascontiguousarray(x[:1, i:i + hop])
                frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = i
            for pkt in st.encode(frame):
                out.mux(pkt)
        for pkt in st.encode(None):
            out.mux(pkt)
    return buf.getvalue()


def audio_source(audio_path: str | os.PathLike, html_path: str | os.PathLike,
                 max_embed_mb: float = MAX_EMBED_MB) -> AudioSource:
    a = Path(audio_path)
    rel = os.path.relpath(a.resolve(), Path(html_path).resolve().parent).replace(os.sep, "/")
    from urllib.parse import quote

    link = AudioSource(src=quote(rel), mime="", embedded=False,
                       note=f"Audio is linked, not embedded: keep {a.name} at {rel} beside the report.")
    size_mb = a.stat().st_size / 1e6
    try:
        samples, sr = _load(a)
        seconds = samples.shape[-1] / sr
        # ~3 kB/s of mono opus: skip the encode when it cannot fit
        if seconds * 3.5e-3 > max_embed_mb:
            return link
        data = encode_opus(samples, sr)
    except Exception:  # noqa: BLE001 - any decode/encode trouble: fall back to the link
        return link if size_mb > 0 else AudioSource("", "", False, "audio unavailable")
    if len(data) / 1e6 > max_embed_mb:
        return link
    return AudioSource(src="data:audio/ogg;base64," + base64.b64encode(data).decode("ascii"),
                       mime="audio/ogg", embedded=True)
