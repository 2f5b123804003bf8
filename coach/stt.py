"""Speech to text over faster-whisper, offline.

``load_transcriber(model, device, compute_type, lang)`` returns a cached :class:`Transcriber`;
``Transcriber.transcribe(samples_16k_mono, options, lang)`` returns :class:`coach.types.Segment`
objects. Silero VAD (bundled with faster-whisper) filters the input, so pure silence gives no
segments; segments Whisper invents (high no-speech probability with low confidence, the classic
"thank you" on noise) are dropped.

Presets: ``LIVE`` (beam 1, temperature 0 with no fallback: no multi-second spikes) and ``BATCH``
(beam 5, temperature 0).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import numpy as np

from coach.envvars import temp_env
from coach.errors import AudioError, ModelError
from coach.types import Segment, Word

SAMPLE_RATE = 16000
_HALLUCINATIONS = {"thank you", "thanks for watching", "thank you for watching", "bye",
                   "you", "thanks", "so", "okay", "amen", "subtitles by the amara org community"}


@dataclass(frozen=True)
class TranscribeOptions:
    beam_size: int = 5
    temperature: float | tuple[float, ...] = 0.0
    vad_filter: bool = True
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 500
    vad_speech_pad_ms: int = 200
    word_timestamps: bool = False
    language: str | None = None  # None: the transcriber's language
    condition_on_previous_text: bool = True
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    drop_hallucinations: bool = True
    initial_prompt: str | None = None
    without_timestamps: bool = False

    def with_(self, **changes) -> "TranscribeOptions":
        return replace(self, **changes)


LIVE = TranscribeOptions(beam_size=1, temperature=0.0, condition_on_previous_text=False)
BATCH = TranscribeOptions(beam_size=5, temperature=0.0)

_cache: dict[tuple, object] = {}
_cache_lock = threading.Lock()


@contextlib.contextmanager
def _offline(allow_download: bool) -> Iterator[None]:
    with temp_env(HF_HUB_OFFLINE=None if allow_download else "1"):
        yield


def pick_device(device: str = "auto", compute_type: str = "auto") -> tuple[str, str]:
    """("cuda", "float16") when CTranslate2 sees a CUDA device, else ("cpu", "int8")."""
    if device == "auto":
        try:
            import ctranslate2

            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        except Exception:  # noqa: BLE001
            device = "cpu"
    if compute_type == "auto":
        compute_type = "float16" if device == "cuda" else "int8"
    return device, compute_type


def normalise_lang(lang: str | None) -> str | None:
    if lang in (None, "", "auto"):
        return None
    lang = lang.lower()
    if not re.fullmatch(r"[a-z]{2,3}", lang):
        raise ModelError(f"unknown language '{lang}' (use en, fi or auto)")
    return lang


class Transcriber:
    """A loaded Whisper model plus a default language. Thread-safe for sequential use."""

    def __init__(self, model, name: str, path: Path, device: str, compute_type: str,
                 lang: str | None, multilingual: bool, lock: threading.Lock | None = None):
        self.model = model
        self.name, self.path = name, path
        self.device, self.compute_type = device, compute_type
        self.lang = lang
        self.multilingual = multilingual
        self._lock = lock or threading.Lock()  # shared by all Transcribers of one loaded model

    def __repr__(self) -> str:
        return f"Transcriber({self.name!r}, {self.device}/{self.compute_type}, lang={self.lang})"

    def transcribe(self, samples: np.ndarray, options: TranscribeOptions | None = None,
                   lang: str | None = None, channel: int | None = None,
                   offset: float = 0.0) -> list[Segment]:
        """Transcribe 16 kHz mono float32 samples. Times in seconds (+ ``offset``)."""
        opts = options or BATCH
        a = np.asarray(samples, dtype=np.float32)
        if a.ndim == 2:
            a = a.mean(axis=0) if a.shape[0] > 1 else a[0]
        if a.ndim != 1:
            raise AudioError(f"expected mono samples, got shape {a.shape}")
        if a.size < SAMPLE_RATE // 10:
            return []
        language = normalise_lang(lang or opts.language or self.lang)
        if not self.multilingual:
            if language not in (None, "en"):
                raise ModelError(f"model {self.name} is English-only; for '{language}' use "
                                 "--model base")
            language = "en"
        kwargs = dict(
            language=language, beam_size=opts.beam_size,
            best_of=max(1, opts.beam_size), temperature=opts.temperature,
            vad_filter=opts.vad_filter, word_timestamps=opts.word_timestamps,
            condition_on_previous_text=opts.condition_on_previous_text,
            no_speech_threshold=opts.no_speech_threshold,
            log_prob_threshold=opts.log_prob_threshold,
            initial_prompt=opts.initial_prompt, without_timestamps=opts.without_timestamps,
        )
        if opts.vad_filter:
            from faster_whisper.vad import VadOptions

            kwargs["vad_parameters"] = VadOptions(
                threshold=opts.vad_threshold, min_silence_duration_ms=opts.vad_min_silence_ms,
                speech_pad_ms=opts.vad_speech_pad_ms)
        with self._lock:
            segments, _info = self.model.transcribe(a, **kwargs)
            raw = list(segments)
        out = []
        prev = ""
        for s in raw:
            text = s.text.strip()
            if not text:
                continue
            if opts.drop_hallucinations and (_invented(s, text, opts) or _repeats(prev, text)):
                continue
            prev = text
            words = ()
            if opts.word_timestamps and s.words:
                words = tuple(Word(w.word.strip(), round(w.start + offset, 3),
                                   round(w.end + offset, 3), float(w.probability))
                              for w in s.words if w.word.strip())
            out.append(Segment(start=round(s.start + offset, 3), end=round(s.end + offset, 3),
                               text=text, words=words, channel=channel,
                               avg_logprob=float(s.avg_logprob),
                               no_speech_prob=float(s.no_speech_prob)))
        return out


def _invented(s, text: str, opts: TranscribeOptions) -> bool:
    """Segments Whisper makes up: silence-like with low confidence, or very low confidence."""
    if s.no_speech_prob > opts.no_speech_threshold and s.avg_logprob < opts.log_prob_threshold:
        return True
    if s.avg_logprob < -1.5:
        return True
    norm = re.sub(r"[^\w ]+", "", text.lower()).strip()
    # no_speech_prob is per 30 s window: a real "Thank you." in speech scores low; keep it
    return norm in _HALLUCINATIONS and (s.no_speech_prob > 0.5 or s.avg_logprob < -1.0)


def _norm(text: str) -> str:
    return re.sub(r"[^\w ]+", "", text.lower()).strip()


def _repeats(prev: str, text: str) -> bool:
    """Whisper's decoding loop: the same sentence (4+ words) again right after itself."""
    n = _norm(text)
    return len(n.split()) >= 4 and n == _norm(prev)


def load_transcriber(model: str | os.PathLike | None = "tiny.en", device: str = "auto",
                     compute_type: str = "auto", lang: str | None = "en",
                     allow_download: bool = False) -> Transcriber:
    """Load (once per process) and return a transcriber. ``lang``: en, fi or auto/None."""
    from coach.models import DEFAULT_MODEL, HUB_NAMES, is_multilingual, resolve_model

    name = os.fspath(model) if model is not None else DEFAULT_MODEL
    language = normalise_lang(lang)
    if allow_download and name in HUB_NAMES:
        path, source = None, name
    else:
        path = resolve_model(name)
        source = str(path)
        if language not in (None, "en") and not is_multilingual(path):
            raise ModelError(f"model {name} is English-only and cannot transcribe '{language}'; "
                             "use --model base (multilingual)")
    device, compute_type = pick_device(device, compute_type)
    key = (source, device, compute_type)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = (_load(source, device, compute_type, allow_download), threading.Lock())
        wm, model_lock = _cache[key]
    multilingual = bool(getattr(wm, "model", None) is None or wm.model.is_multilingual)
    if language not in (None, "en") and not multilingual:
        raise ModelError(f"model {name} is English-only; use --model base for '{language}'")
    return Transcriber(wm, name, path or Path(name), device, compute_type, language, multilingual,
                       model_lock)


def cpu_threads() -> int:
    """CTranslate2 threads per loaded model: ``COACH_CPU_THREADS`` (set by batch workers so that
    N worker processes share the cores instead of each taking all of them), else all cores (<= 8)."""
    env = os.environ.get("COACH_CPU_THREADS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return min(8, os.cpu_count() or 1)


def _load(source: str, device: str, compute_type: str, allow_download: bool):
    with _offline(allow_download):
        from faster_whisper import WhisperModel

        threads = cpu_threads() if device == "cpu" else 0
        try:
            return WhisperModel(source, device=device, compute_type=compute_type,
                                cpu_threads=threads, local_files_only=not allow_download)
        except Exception as exc:  # noqa: BLE001 - CTranslate2/HF errors vary
            raise ModelError(f"cannot load the speech model: {exc}", source) from exc


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def transcribe_audio(audio, transcriber: Transcriber, options: TranscribeOptions | None = None,
                     lang: str | None = None, per_channel: bool = True) -> list[Segment]:
    """Transcribe a :class:`coach.audio.Audio` (any rate); stereo per channel when asked.
    Segments are sorted by start time and carry their channel (None for a mono mix)."""
    from coach.audio import resample

    samples = audio.samples
    if audio.sr != SAMPLE_RATE:
        samples = resample(samples, audio.sr, SAMPLE_RATE)
    if per_channel and samples.shape[0] > 1:
        segs = []
        for ch in range(samples.shape[0]):
            segs += transcriber.transcribe(samples[ch], options, lang, channel=ch)
        return sorted(segs, key=lambda s: (s.start, s.channel))
    mono = samples.mean(axis=0) if samples.shape[0] > 1 else samples[0]
    return transcriber.transcribe(mono, options, lang)
