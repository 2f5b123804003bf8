"""Audio files in and out: decode, resample, split channels, write WAV, stream long files.

Decoding: soundfile (libsndfile) for WAV/FLAC/OGG/AIFF, PyAV (FFmpeg) for MP3/M4A/AAC/... and
for WAV encodings libsndfile cannot read. 8 kHz mu-law and A-law telephony WAV work with both.
Channels are kept (``Audio.samples`` has shape ``(channels, n)``, float32 in [-1, 1]).
Resampling uses a polyphase filter (``scipy.signal.resample_poly``); :class:`StreamResampler`
does the same block by block with identical output, for long files and live capture.

Bad input raises :class:`AudioError` naming the file: missing, empty, not audio, damaged header,
unsupported encoding, no samples. A WAV whose data chunk is cut short (a recording that stopped
mid-write) is decoded as far as it goes and ``Audio.notes`` says so ("truncated: ...").

Device helpers (sounddevice) live in :mod:`coach.devices`.
"""

from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from math import gcd
from pathlib import Path
from typing import Iterator

import numpy as np

from coach.errors import AudioError

STT_RATE = 16000
SOUNDFILE_EXTS = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".au", ".snd"}
_WAV_FORMATS = {1: "PCM", 3: "IEEE float", 6: "A-law", 7: "mu-law", 0xFFFE: "extensible",
                2: "MS ADPCM", 0x11: "IMA ADPCM", 0x31: "GSM 6.10", 0x55: "MP3"}


@dataclass(frozen=True, eq=False)
class Audio:
    """Decoded audio: ``samples`` float32 (channels, n); ``notes`` warnings such as truncation."""

    samples: np.ndarray
    sr: int
    path: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def channels(self) -> int:
        return int(self.samples.shape[0])

    @property
    def frames(self) -> int:
        return int(self.samples.shape[1])

    @property
    def duration(self) -> float:
        return self.frames / float(self.sr) if self.sr else 0.0

    def channel(self, i: int) -> np.ndarray:
        return self.samples[i]

    def mono(self) -> np.ndarray:
        """1-D float32 mix of all channels."""
        return to_mono(self.samples)


@dataclass(frozen=True)
class AudioInfo:
    path: str
    sr: int
    channels: int
    frames: int
    codec: str

    @property
    def duration(self) -> float:
        return self.frames / float(self.sr) if self.sr else 0.0


# ----------------------------------------------------------------------------- checks & sniffing

def _check_path(path: str | os.PathLike) -> Path:
    p = Path(path)
    if not p.exists():
        raise AudioError("file not found", p)
    if p.is_dir():
        raise AudioError("is a directory, not an audio file", p)
    try:
        size = p.stat().st_size
        with open(p, "rb"):
            pass
    except OSError as exc:
        raise AudioError(f"cannot read: {exc.strerror or exc}", p) from exc
    if size == 0:
        raise AudioError("empty file (0 bytes)", p)
    return p


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(c.isprintable() or c in "\r\n\t" for c in text)


@dataclass(frozen=True)
class _WavHeader:
    fmt_tag: int | None
    channels: int | None
    sr: int | None
    bits: int | None
    data_offset: int | None
    data_declared: int | None
    file_size: int


def _parse_wav(p: Path) -> _WavHeader | None:
    """Walk the RIFF chunks of a WAV file; None if it is not RIFF/WAVE at all."""
    size = p.stat().st_size
    with open(p, "rb") as f:
        head = f.read(12)
        if len(head) < 12 or head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            if head[:4] in (b"RIFF", b"RF64"):
                return _WavHeader(None, None, None, None, None, None, size)
            return None
        fmt = (None, None, None, None)
        pos = 12
        while pos + 8 <= size:
            f.seek(pos)
            hdr = f.read(8)
            if len(hdr) < 8:
                break
            cid, clen = hdr[:4], struct.unpack("<I", hdr[4:])[0]
            if cid == b"fmt ":
                body = f.read(min(clen, 40))
                if len(body) >= 16:
                    tag, ch, sr, _, _, bits = struct.unpack("<HHIIHH", body[:16])
                    if tag == 0xFFFE and len(body) >= 26:
                        tag = struct.unpack("<H", body[24:26])[0]
                    fmt = (tag, ch, sr, bits)
            elif cid == b"data":
                return _WavHeader(*fmt, pos + 8, clen, size)
            pos += 8 + clen + (clen & 1)
        return _WavHeader(*fmt, None, None, size)


def _wav_truncation_note(h: _WavHeader | None) -> str | None:
    if h is None or h.data_offset is None or h.data_declared in (None, 0, 0xFFFFFFFF):
        return None
    have = h.file_size - h.data_offset
    if have >= h.data_declared:
        return None
    bps = (h.channels or 1) * max(1, (h.bits or 8) // 8) * (h.sr or 1)
    return (f"truncated: the header announces {h.data_declared / bps:.2f} s, the file holds "
            f"{have / bps:.2f} s; decoded what is there")


def _diagnose(p: Path, detail: str) -> AudioError:
    """Best one-line explanation for a file neither decoder could read."""
    with open(p, "rb") as f:
        head = f.read(512)
    if _looks_like_text(head):
        return AudioError("not an audio file (it contains text)", p)
    h = _parse_wav(p)
    if h is not None:
        if h.fmt_tag is None:
            return AudioError("damaged or truncated WAV header (no format chunk)", p)
        if h.data_offset is None:
            return AudioError("damaged or truncated WAV header (no data chunk)", p)
        name = _WAV_FORMATS.get(h.fmt_tag, "unknown")
        return AudioError(f"unsupported WAV encoding: format tag 0x{h.fmt_tag:04x} ({name}), "
                          f"{h.bits} bits", p)
    short = detail.strip().splitlines()[0][:120] if detail.strip() else "unrecognised format"
    return AudioError(f"not a readable audio file ({short})", p)


# ----------------------------------------------------------------------------- decoding

def _sf_ok(p: Path) -> bool:
    return p.suffix.lower() in SOUNDFILE_EXTS


def _decode_soundfile(p: Path) -> tuple[np.ndarray, int]:
    import soundfile as sf

    data, sr = sf.read(str(p), dtype="float32", always_2d=True)
    return np.ascontiguousarray(data.T), int(sr)


def _open_av(p: Path):
    import av

    try:
        container = av.open(str(p))
    except Exception as exc:  # noqa: BLE001 - av raises many error types
        raise _diagnose(p, str(exc)) from exc
    streams = [s for s in container.streams if s.type == "audio"]
    if not streams:
        container.close()
        raise AudioError("no audio stream in the file", p)
    stream = streams[0]
    if stream.codec_context is None:
        container.close()
        raise AudioError("unsupported audio encoding (no decoder)", p)
    return container, stream


def _av_frames(p: Path) -> Iterator[tuple[np.ndarray, int]]:
    """Yield (channels, n) float32 arrays from PyAV at the file's own rate."""
    import av

    container, stream = _open_av(p)
    try:
        resampler = None
        try:
            for frame in container.decode(stream):
                if resampler is None:
                    resampler = av.AudioResampler(format="fltp", layout=frame.layout,
                                                  rate=frame.sample_rate)
                for out in resampler.resample(frame):
                    yield out.to_ndarray().astype(np.float32, copy=False), out.sample_rate
            if resampler is not None:
                for out in resampler.resample(None):
                    yield out.to_ndarray().astype(np.float32, copy=False), out.sample_rate
        except AudioError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise AudioError(f"cannot decode: {exc}", p) from exc
    finally:
        container.close()


def _decode_av(p: Path) -> tuple[np.ndarray, int]:
    chunks, sr = [], None
    for arr, rate in _av_frames(p):
        chunks.append(arr)
        sr = rate
    if not chunks:
        _container, stream = _open_av(p)
        _container.close()
        ch = stream.codec_context.channels or 1
        return np.zeros((ch, 0), np.float32), int(stream.codec_context.sample_rate or 0)
    return np.ascontiguousarray(np.concatenate(chunks, axis=1)), int(sr)


def _decode(p: Path) -> tuple[np.ndarray, int]:
    errors = []
    if _sf_ok(p):
        try:
            return _decode_soundfile(p)
        except Exception as exc:  # noqa: BLE001 - fall back to FFmpeg
            errors.append(str(exc))
    try:
        return _decode_av(p)
    except AudioError as exc:
        if errors and exc.message.startswith("not a readable"):
            raise _diagnose(p, errors[0]) from exc
        raise


def load(path: str | os.PathLike, sr: int | None = None) -> Audio:
    """Decode a whole file. ``sr`` resamples (e.g. 16000 for speech recognition)."""
    p = _check_path(path)
    samples, rate = _decode(p)
    if samples.shape[1] == 0 or rate <= 0:
        raise AudioError("contains no audio (0 samples)", p)
    if not np.all(np.isfinite(samples)):
        samples = np.nan_to_num(samples, nan=0.0, posinf=1.0, neginf=-1.0)
    notes = []
    if p.suffix.lower() in (".wav", ".wave") or _parse_wav(p) is not None:
        note = _wav_truncation_note(_parse_wav(p))
        if note:
            notes.append(note)
    if sr and sr != rate:
        samples, rate = resample(samples, rate, sr), sr
    return Audio(samples.astype(np.float32, copy=False), int(rate), str(p), tuple(notes))


def info(path: str | os.PathLike) -> AudioInfo:
    """Rate, channels and length without decoding everything (PyAV counts by decoding)."""
    p = _check_path(path)
    if _sf_ok(p):
        try:
            import soundfile as sf

            i = sf.info(str(p))
            return AudioInfo(str(p), int(i.samplerate), int(i.channels), int(i.frames), i.subtype)
        except Exception:  # noqa: BLE001
            pass
    frames, sr, ch = 0, 0, 0
    for arr, rate in _av_frames(p):
        frames += arr.shape[1]
        sr, ch = rate, arr.shape[0]
    if not sr:
        raise AudioError("contains no audio (0 samples)", p)
    return AudioInfo(str(p), sr, ch, frames, "ffmpeg")


# ----------------------------------------------------------------------------- transforms

def to_mono(x: "Audio | np.ndarray") -> "Audio | np.ndarray":
    """Mix down. An ``Audio`` gives an ``Audio`` with one channel; an array gives a 1-D array."""
    if isinstance(x, Audio):
        return Audio(to_mono(x.samples)[None, :], x.sr, x.path, x.notes)
    a = np.asarray(x, dtype=np.float32)
    if a.ndim == 1:
        return a
    return a.mean(axis=0).astype(np.float32) if a.shape[0] > 1 else a[0]


def split_channels(audio: Audio) -> list[np.ndarray]:
    return [audio.samples[i] for i in range(audio.channels)]


def same_content(samples: np.ndarray, min_corr: float = 0.95) -> bool:
    """True when every channel carries the same signal (a stereo copy of one microphone):
    channel correlation >= ``min_corr``. Call recordings with one party per channel are ~0."""
    a = np.asarray(samples, dtype=np.float64)
    if a.ndim == 1 or a.shape[0] < 2:
        return True
    ref = a[0] - a[0].mean()
    for ch in a[1:]:
        c = ch - ch.mean()
        den = float(np.sqrt((ref * ref).sum() * (c * c).sum()))
        if den == 0.0 or float((ref * c).sum()) / den < min_corr:
            return False
    return True


def resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    """Polyphase resampling along the last axis (1-D or (channels, n)); float32 out."""
    x = np.asarray(x, dtype=np.float32)
    if sr_in == sr_out:
        return x
    if sr_in <= 0 or sr_out <= 0:
        raise ValueError(f"bad sample rates {sr_in} -> {sr_out}")
    from scipy.signal import resample_poly

    g = gcd(int(sr_in), int(sr_out))
    return resample_poly(x, sr_out // g, sr_in // g, axis=-1).astype(np.float32)


class StreamResampler:
    """Block-wise resampling that matches :func:`resample` on the whole signal.

    Each block is filtered with ``pad`` input samples of real context on both sides, so output
    is emitted one ``pad`` behind the input; :meth:`flush` returns the tail.
    """

    def __init__(self, sr_in: int, sr_out: int, channels: int = 1):
        g = gcd(int(sr_in), int(sr_out))
        self.up, self.down = sr_out // g, sr_in // g
        self.sr_in, self.sr_out, self.channels = sr_in, sr_out, channels
        half_in = 10 * max(self.up, self.down) / self.up  # resample_poly's filter half-length
        need = max(64, int(2 * half_in) + 2)
        self.pad = self.down * -(-need // self.down)  # multiple of ``down``: aligned outputs
        self._buf = np.zeros((channels, self.pad), np.float32)  # left context = zeros at start
        self._passthrough = sr_in == sr_out

    def process(self, block: np.ndarray) -> np.ndarray:
        block = np.asarray(block, dtype=np.float32).reshape(self.channels, -1)
        if self._passthrough:
            return block
        self._buf = np.concatenate([self._buf, block], axis=1)
        usable = self._buf.shape[1] - 2 * self.pad  # samples with full context both sides
        usable -= usable % self.down
        if usable <= 0:
            return np.zeros((self.channels, 0), np.float32)
        seg = self._buf[:, : usable + 2 * self.pad]
        y = resample(seg, self.sr_in, self.sr_out)
        o0 = self.pad * self.up // self.down
        out = y[:, o0: o0 + usable * self.up // self.down]
        self._buf = self._buf[:, usable:]
        return out

    def flush(self) -> np.ndarray:
        if self._passthrough:
            return np.zeros((self.channels, 0), np.float32)
        rest = self._buf.shape[1] - self.pad
        if rest <= 0:
            return np.zeros((self.channels, 0), np.float32)
        seg = np.concatenate([self._buf, np.zeros((self.channels, self.pad), np.float32)], axis=1)
        y = resample(seg, self.sr_in, self.sr_out)
        o0 = self.pad * self.up // self.down
        n_out = -(-rest * self.up // self.down)
        self._buf = self._buf[:, rest:]
        return y[:, o0: o0 + n_out]


def _raw_blocks(p: Path, frames: int) -> Iterator[tuple[np.ndarray, int]]:
    if _sf_ok(p):
        import soundfile as sf

        try:
            f = sf.SoundFile(str(p))
        except Exception:  # noqa: BLE001 - fall back to FFmpeg below
            f = None
        if f is not None:
            with f:
                sr = int(f.samplerate)
                for block in f.blocks(blocksize=frames, dtype="float32", always_2d=True):
                    yield np.ascontiguousarray(block.T), sr
            return
    yield from _av_frames(p)


def iter_blocks(path: str | os.PathLike, seconds: float = 30.0,
                sr: int | None = STT_RATE) -> Iterator[np.ndarray]:
    """Yield (channels, n) float32 blocks of ``seconds`` (the last one shorter), resampled to
    ``sr`` (None keeps the file's rate), without loading the whole file."""
    p = _check_path(path)
    if seconds <= 0:
        raise ValueError("seconds must be > 0")
    src = _raw_blocks(p, 65536)
    try:
        first, rate = next(src)
    except StopIteration:
        raise AudioError("contains no audio (0 samples)", p) from None
    except AudioError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _diagnose(p, str(exc)) from exc
    out_sr = sr or rate
    rs = StreamResampler(rate, out_sr, first.shape[0])
    size = max(1, int(round(seconds * out_sr)))
    pending: list[np.ndarray] = []
    have = 0

    def chunks():
        yield rs.process(first)
        for blk, _ in src:
            yield rs.process(blk)
        yield rs.flush()

    total = 0
    for chunk in chunks():
        if chunk.shape[1] == 0:
            continue
        pending.append(chunk)
        have += chunk.shape[1]
        while have >= size:
            buf = np.concatenate(pending, axis=1)
            yield buf[:, :size]
            total += size
            rest = buf[:, size:]
            pending, have = [rest], rest.shape[1]
    if have:
        yield np.concatenate(pending, axis=1)
        total += have
    if total == 0:
        raise AudioError("contains no audio (0 samples)", p)


# ----------------------------------------------------------------------------- writing

def write_wav(path: str | os.PathLike, samples: np.ndarray, sr: int,
              subtype: str = "PCM_16") -> Path:
    """Write ``samples`` ((channels, n) or (n,)) as WAV atomically (temp file + os.replace)."""
    import soundfile as sf

    p = Path(path)
    a = np.asarray(samples, dtype=np.float32)
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2:
        raise ValueError(f"samples must be 1-D or (channels, n), got shape {a.shape}")
    if subtype.startswith("PCM") or subtype in ("ULAW", "ALAW"):
        a = np.clip(a, -1.0, 1.0)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    os.close(fd)
    try:
        sf.write(tmp, a.T, int(sr), subtype=subtype, format="WAV")
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return p


def is_silent(samples: np.ndarray, threshold_db: float = -60.0) -> bool:
    """True when the peak level is below ``threshold_db`` dBFS (digital silence or near it)."""
    a = np.asarray(samples)
    if a.size == 0:
        return True
    peak = float(np.max(np.abs(a)))
    return peak <= 10 ** (threshold_db / 20.0)


# Device helpers are re-exported for the interface in the team brief (coach.audio.list_devices...).
def __getattr__(name: str):
    if name in ("list_devices", "find_device", "play", "record", "open_input", "open_output",
                "DeviceInfo", "refresh_devices"):
        from coach import devices

        return getattr(devices, name)
    raise AttributeError(name)
