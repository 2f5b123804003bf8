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
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from coach.atomic import atomic_path
from coach.errors import AudioError
from coach.resampling import StreamResampler, resample  # noqa: F401 - part of this API
from coach.wavheader import diagnose as _diagnose
from coach.wavheader import parse_wav as _parse_wav
from coach.wavheader import truncation_note as _wav_truncation_note

STT_RATE = 16000
SOUNDFILE_EXTS = {".wav", ".wave", ".flac", ".ogg", ".oga", ".opus", ".aif", ".aiff", ".au", ".snd"}


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
        if _parse_wav(p) is not None:
            raise _diagnose(p, "no decoder")
        raise AudioError("unsupported audio encoding (no decoder for it)", p)
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
            samples, sr = _decode_soundfile(p)
            h = _parse_wav(p) if samples.shape[1] == 0 else None
            if h is None or h.data_offset is None or h.file_size <= h.data_offset:
                return samples, sr
            # header says 0 bytes but data follows (streaming writers): FFmpeg reads to EOF
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


def _raw_blocks(p: Path, frames: int) -> Iterator[tuple[np.ndarray, int]]:
    if _sf_ok(p):
        import soundfile as sf

        try:
            f = sf.SoundFile(str(p))
        except Exception:  # noqa: BLE001 - fall back to FFmpeg below
            f = None
        if f is not None and f.frames == 0:
            h = _parse_wav(p)
            if h is not None and h.data_offset is not None and h.file_size > h.data_offset:
                f.close()  # a 0-size streaming header with data after it: FFmpeg reads to EOF
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
        done = first.shape[1]
        try:
            for blk, _ in src:
                done += blk.shape[1]
                yield rs.process(blk)
        except AudioError:
            raise
        except Exception as exc:  # noqa: BLE001 - a file damaged in the middle
            raise AudioError(f"cannot decode past {done / rate:.1f} s: {exc}", p) from exc
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
    with atomic_path(p) as tmp:
        sf.write(tmp, a.T, int(sr), subtype=subtype, format="WAV")
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
