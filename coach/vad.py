"""Speech intervals per channel with the Silero VAD bundled in faster-whisper.

faster-whisper's own ``get_speech_timestamps`` is tuned for transcription: 400 ms of padding on
each side and 2 s of silence before a segment ends, which hides the pauses conversation metrics
are about. Here the same model runs with timing settings (:data:`METRICS`: 30 ms padding, 150 ms
minimum silence) and in a streaming form, so a long recording is read in blocks and memory stays
constant:

* the model state (LSTM ``h``/``c`` and the 64-sample context) is carried from one block to the
  next, so an utterance that crosses a block boundary comes out as one interval;
* the segmenter is the same hysteresis state machine as ``get_speech_timestamps`` (speech starts
  at ``threshold``, ends after ``min_silence_s`` below ``neg_threshold``), fed window by window;
* an energy gate skips long quiet stretches (digital silence, or 10 dB or less above the
  channel's noise floor for at least 0.5 s) without running the model; they count as silence;
* the channels of a file run in parallel threads (onnxruntime releases the GIL);
* files are decoded and resampled to 16 kHz block by block by ``coach.audio.iter_blocks``.

Times are seconds from the start of the audio. Heavy imports happen inside functions.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

import numpy as np

from coach.errors import AudioError
from coach.types import Interval

SR = 16000
WINDOW = 512  # samples per Silero window at 16 kHz (32 ms)
CONTEXT = 64  # samples of the previous window the model sees
WINDOW_S = WINDOW / SR


@dataclass(frozen=True)
class VadSettings:
    """Silero settings for measuring timing (not for cutting audio for Whisper)."""

    threshold: float = 0.5
    neg_threshold: float | None = None  # default: threshold - 0.15, as faster-whisper
    min_speech_s: float = 0.09  # shorter blips (clicks) are dropped
    min_silence_s: float = 0.15  # a pause this long ends an interval
    speech_pad_s: float = 0.03  # added on each side (split in half when intervals are close)
    # energy gate: long quiet stretches skip the model (they count as silence). "Quiet" is below
    # energy_gate_dbfs, or below the block's noise floor (10th percentile of window energy) plus
    # gate_margin_db; only quiet runs of at least gate_min_skip_s are skipped, and the model
    # still runs gate_lead_windows before and gate_tail_windows after every loud window.
    energy_gate_dbfs: float | None = -60.0  # None switches the gate off
    gate_margin_db: float | None = 10.0  # None: absolute level only
    gate_min_skip_s: float = 0.5
    gate_lead_windows: int = 6  # so the model warms up before speech
    gate_tail_windows: int = 6  # and sees the end of it (its hangover)
    block_s: float = 30.0  # block length when streaming a file

    def vad_options(self) -> Any:
        """The equivalent ``faster_whisper.vad.VadOptions`` (for ``get_speech_timestamps``)."""
        from faster_whisper.vad import VadOptions

        return VadOptions(
            threshold=self.threshold,
            neg_threshold=self.neg_threshold,
            min_speech_duration_ms=int(round(self.min_speech_s * 1000)),
            min_silence_duration_ms=int(round(self.min_silence_s * 1000)),
            speech_pad_ms=int(round(self.speech_pad_s * 1000)),
        )


METRICS = VadSettings()


def _model() -> Any:
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


class _Prober:
    """Speech probability per 32 ms window for a stream of 16 kHz samples, state carried."""

    def __init__(self, settings: VadSettings):
        self.s = settings
        self.model = _model()
        self.session = getattr(self.model, "session", None)
        self.h = np.zeros((1, 1, 128), dtype=np.float32)
        self.c = np.zeros((1, 1, 128), dtype=np.float32)
        self.tail = np.zeros(CONTEXT, dtype=np.float32)  # last samples of the previous window
        self.prev_active = False  # the last window of the previous block ran the model
        self.rest = np.zeros(0, dtype=np.float32)  # samples not yet making a whole window
        self.model_windows = 0
        self.windows = 0

    def feed(self, x: np.ndarray, final: bool = False) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32)
        if self.rest.size:
            x = np.concatenate([self.rest, x])
        n = (x.size // WINDOW) * WINDOW
        if final and x.size > n:
            x = np.pad(x, (0, WINDOW - (x.size - n)))
            n = x.size
        self.rest = x[n:].copy()
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        frames = x[:n].reshape(-1, WINDOW)
        if not np.isfinite(frames).all():
            frames = np.nan_to_num(frames, nan=0.0, posinf=0.0, neginf=0.0)
        probs = np.zeros(len(frames), dtype=np.float32)
        active = self._active(frames)
        ctx = np.concatenate([self.tail[None, :], frames[:-1, -CONTEXT:]], axis=0)
        for a, b in _runs(active):
            if not (a == 0 and self.prev_active):
                self.h[:] = 0.0
                self.c[:] = 0.0
            probs[a:b] = self._run(np.concatenate([ctx[a:b], frames[a:b]], axis=1))
            self.model_windows += b - a
        self.prev_active = bool(active[-1])
        self.tail = frames[-1, -CONTEXT:].copy()
        self.windows += len(frames)
        return probs

    def _active(self, frames: np.ndarray) -> np.ndarray:
        """Which windows go through the model (the rest are quiet: probability 0)."""
        s = self.s
        if s.energy_gate_dbfs is None:
            return np.ones(len(frames), dtype=bool)
        energy_db = 10.0 * np.log10(np.einsum("ij,ij->i", frames, frames) / WINDOW + 1e-20)
        level = s.energy_gate_dbfs
        if s.gate_margin_db is not None and len(frames) >= 32:
            level = max(level, float(np.percentile(energy_db, 10)) + s.gate_margin_db)
        loud = energy_db >= level
        active = loud.copy()
        for k in range(1, s.gate_lead_windows + 1):
            active[:-k] |= loud[k:]
        for k in range(1, s.gate_tail_windows + 1):
            active[k:] |= loud[:-k]
        min_skip = s.gate_min_skip_s / WINDOW_S
        for a, b in _runs(~active):
            if b - a < min_skip:
                active[a:b] = True
        return active

    def _run(self, batch: np.ndarray) -> np.ndarray:
        if self.session is None:  # a future faster-whisper without .session: no state carried
            return np.asarray(self.model(batch[:, CONTEXT:].reshape(-1)), dtype=np.float32).ravel()
        out = []
        for i in range(0, len(batch), 10000):
            o, self.h, self.c = self.session.run(
                None, {"input": batch[i : i + 10000], "h": self.h, "c": self.c}
            )
            out.append(np.asarray(o, dtype=np.float32).ravel())
        return np.concatenate(out)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[(start, end)] of the runs of True in a boolean array."""
    if not mask.any():
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist()))


class _Segmenter:
    """The hysteresis of ``get_speech_timestamps``, fed window by window (units: windows)."""

    def __init__(self, s: VadSettings):
        self.thr = s.threshold
        self.neg = s.neg_threshold if s.neg_threshold is not None else max(s.threshold - 0.15, 0.01)
        self.min_silence = s.min_silence_s / WINDOW_S
        self.min_speech = s.min_speech_s / WINDOW_S
        self.i = 0
        self.triggered = False
        self.start = 0
        self.temp_end = 0
        self.out: list[tuple[int, int]] = []

    def feed(self, probs: np.ndarray) -> None:
        thr, neg = self.thr, self.neg
        i = self.i
        if not self.triggered and probs.size and float(probs.max()) < thr:
            self.i += probs.size  # nothing can start in this stretch
            return
        for p in probs.tolist():
            if self.triggered:
                if p >= thr:
                    self.temp_end = 0
                elif p < neg:
                    if not self.temp_end:
                        self.temp_end = i
                    if i - self.temp_end >= self.min_silence:
                        self._emit(self.temp_end)
            elif p >= thr:
                self.triggered = True
                self.start = i
                self.temp_end = 0
            i += 1
        self.i = i

    def _emit(self, end: int) -> None:
        if end - self.start > self.min_speech:
            self.out.append((self.start, end))
        self.triggered = False
        self.temp_end = 0

    def finish(self) -> list[tuple[int, int]]:
        if self.triggered:
            self._emit(self.temp_end or self.i)
        return self.out


def _pad(raw: list[tuple[int, int]], total_s: float, pad_s: float) -> list[Interval]:
    """Seconds, padded like faster-whisper: close neighbours share the gap between them."""
    spans = [[a * WINDOW_S, b * WINDOW_S] for a, b in raw]
    for k, sp in enumerate(spans):
        if k == 0:
            sp[0] = max(0.0, sp[0] - pad_s)
        if k + 1 < len(spans):
            nxt = spans[k + 1]
            gap = nxt[0] - sp[1]
            if gap < 2 * pad_s:
                sp[1] += gap / 2
                nxt[0] -= gap / 2
            else:
                sp[1] += pad_s
                nxt[0] -= pad_s
        else:
            sp[1] += pad_s
    return [Interval(round(a, 3), round(min(b, total_s), 3)) for a, b in spans if min(b, total_s) > a]


class ChannelVad:
    """Streaming VAD for one 16 kHz channel: ``feed`` blocks, then ``finish`` -> intervals."""

    def __init__(self, settings: VadSettings = METRICS):
        self.settings = settings
        self.prober = _Prober(settings)
        self.seg = _Segmenter(settings)
        self.samples = 0

    def feed(self, x: np.ndarray) -> None:
        x = np.asarray(x, dtype=np.float32).ravel()
        self.samples += x.size
        self.seg.feed(self.prober.feed(x))

    def finish(self) -> list[Interval]:
        self.seg.feed(self.prober.feed(np.zeros(0, dtype=np.float32), final=True))
        return _pad(self.seg.finish(), self.samples / SR, self.settings.speech_pad_s)

    @property
    def model_share(self) -> float:
        """Share of windows that went through the model (the rest were gated as silent)."""
        return self.prober.model_windows / max(1, self.prober.windows)


def speech_intervals(samples_16k_mono: np.ndarray, settings: VadSettings = METRICS) -> list[Interval]:
    """Speech intervals (seconds) in 16 kHz mono samples (float in [-1, 1], or integer PCM)."""
    x = _as_float(samples_16k_mono)
    if x.ndim != 1:
        raise AudioError(f"speech_intervals needs mono samples, got shape {x.shape}")
    vad = ChannelVad(settings)
    step = max(WINDOW, int(settings.block_s * SR) // WINDOW * WINDOW)
    for i in range(0, x.size, step):
        vad.feed(x[i : i + step])
    return vad.finish()


def channel_intervals(
    source: Any, settings: VadSettings = METRICS, sr: int | None = None
) -> dict[int, list[Interval]]:
    """Speech intervals per channel of a file (streamed in blocks) or of loaded audio.

    ``source`` is a path, a ``coach.audio.Audio`` (``samples`` (channels, n), ``sr``) or a numpy
    array (channels, n) with ``sr``. Channels are processed in parallel threads.
    """
    blocks = _blocks(source, settings.block_s, sr)
    vads: list[ChannelVad] = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for block in blocks:
            block = np.atleast_2d(block)
            if not vads:
                vads = [ChannelVad(settings) for _ in range(block.shape[0])]
            if block.shape[0] != len(vads):
                raise AudioError(f"channel count changed mid-stream in {source}")
            if len(vads) == 1:
                vads[0].feed(block[0])
            else:
                list(pool.map(lambda cv: cv[1].feed(block[cv[0]]), enumerate(vads)))
        if not vads:
            raise AudioError("no audio samples", _path_of(source))
        results = list(pool.map(lambda v: v.finish(), vads))
    return dict(enumerate(results))


def _path_of(source: Any) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    return getattr(source, "path", None)


def _blocks(source: Any, block_s: float, sr: int | None) -> Iterator[np.ndarray]:
    if isinstance(source, (str, os.PathLike)):
        return _file_blocks(os.fspath(source), block_s)
    samples = getattr(source, "samples", source)
    rate = getattr(source, "sr", sr)
    if rate is None:
        raise AudioError("sample rate unknown: pass sr= with a numpy array")
    x = np.atleast_2d(_as_float(samples))
    if x.size == 0:
        raise AudioError("no audio samples", _path_of(source))
    if x.shape[0] > x.shape[1]:
        raise AudioError(f"expected (channels, samples), got shape {x.shape}", _path_of(source))
    return _array_blocks(x, int(rate), block_s)


def _as_float(samples: Any) -> np.ndarray:
    """float32 samples; integer PCM is scaled to [-1, 1]."""
    a = np.asarray(samples)
    if np.issubdtype(a.dtype, np.integer):
        return (a / float(np.iinfo(a.dtype).max + 1)).astype(np.float32)
    return a.astype(np.float32, copy=False)


def _array_blocks(x: np.ndarray, rate: int, block_s: float) -> Iterator[np.ndarray]:
    if rate != SR:
        from coach.audio import resample

        x = resample(x, rate, SR)
    step = max(WINDOW, int(block_s * SR) // WINDOW * WINDOW)
    for i in range(0, x.shape[1], step):
        yield x[:, i : i + step]


def _file_blocks(path: str, block_s: float) -> Iterator[np.ndarray]:
    """Blocks of a file at 16 kHz, decoded and resampled as a stream by ``coach.audio``."""
    from coach.audio import iter_blocks

    yield from iter_blocks(path, block_s, sr=SR)


def iter_intervals(blocks: Iterable[np.ndarray], settings: VadSettings = METRICS) -> list[Interval]:
    """Speech intervals for a stream of 16 kHz mono blocks (e.g. from a live recorder)."""
    vad = ChannelVad(settings)
    for b in blocks:
        vad.feed(b)
    return vad.finish()


__all__ = [
    "VadSettings", "METRICS", "ChannelVad", "speech_intervals", "channel_intervals",
    "iter_intervals", "SR",
]
