"""Adapters from the live loop to the other areas (audio, tts, persona, rubric).

Each function hides one dependency behind a small call so that the loop itself only sees
plain data: ``load_mono16k(path)``, ``Renderer.render(text)``, ``PersonaAdapter.reply(...)``,
``RubricAdapter.match(text)``.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from coach.errors import AudioError, InputError

SR = 16000


def load_mono16k(path: Path) -> np.ndarray:
    from coach import audio

    a = audio.load(path, sr=SR)
    x = np.asarray(a.samples, np.float32)
    return x.mean(axis=0) if x.ndim == 2 else x


def trim_leading_silence(x: np.ndarray, threshold: float = 0.004, keep_s: float = 0.01) -> np.ndarray:
    """Drop the silence a synthesiser puts before speech (it only adds latency)."""
    idx = np.flatnonzero(np.abs(x) > threshold)
    if len(idx) == 0:
        return x
    start = max(0, int(idx[0]) - int(keep_s * SR))
    return x[start:]


class Renderer:
    """Text -> float32 16 kHz mono through coach.tts (espeak-ng by default, ~20 ms a sentence)."""

    def __init__(self, lang: str = "en", engine: str | None = None, rate: int | None = None):
        from coach.tts import get_voice

        self.voice = get_voice(lang, engine=engine, rate=rate)

    def render(self, text: str) -> np.ndarray:
        from coach.audio import resample

        if not text.strip():
            return np.zeros(0, np.float32)
        x, sr = self.voice.synthesize(text)
        x = np.asarray(x, np.float32).reshape(-1)
        if sr != SR:
            x = resample(x, sr, SR)
        x = trim_leading_silence(x)
        peak = float(np.max(np.abs(x))) if len(x) else 0.0
        if peak > 0.99:
            x = x * (0.95 / peak)
        return x.astype(np.float32)


@dataclass
class PersonaReply:
    text: str
    mood: Any = None
    outcome: str | None = None
    elapsed_ms: float = 0.0
    extra: dict = field(default_factory=dict)


class PersonaAdapter:
    """coach.persona.Persona behind two calls: ``opening()`` and ``reply(text, findings, events)``.

    ``fork()`` returns an independent copy, so a reply can be prepared speculatively (while the
    agent may still continue) and only adopted when the turn really ends."""

    def __init__(self, persona, scenario):
        self.persona = persona
        self.scenario = scenario
        self.opened = False

    @classmethod
    def load(cls, scenario_id: str, lang: str | None, seed: int, llm: Path | None = None):
        from coach.persona import Persona, load_scenario

        scenario = load_scenario(scenario_id, lang)
        kwargs = {}
        if llm is not None:
            kwargs["llm"] = llm
        try:
            persona = Persona(scenario, seed, **kwargs)
        except TypeError:
            persona = Persona(scenario, seed)
        return cls(persona, scenario)

    @property
    def lang(self) -> str:
        return getattr(self.scenario, "lang", None) or getattr(self.scenario, "language", "en")

    @property
    def rubric_id(self) -> str:
        return getattr(self.scenario, "rubric", None) or "complaint-handling"

    @property
    def voice_settings(self) -> tuple[str | None, int | None]:
        """(engine, rate) from the scenario's voice: piper when it names a piper voice."""
        v = getattr(self.scenario, "voice", None)
        if v is None:
            return None, None
        engine = "piper" if getattr(v, "piper", None) and not getattr(v, "espeak", None) else None
        return engine, getattr(v, "rate", None)

    def fork(self) -> "PersonaAdapter":
        """An independent copy: the persona's own ``fork()`` where it has one (coach's Persona
        copies exactly its mutable state), else the generic :func:`_fork`."""
        own = getattr(self.persona, "fork", None)
        clone = PersonaAdapter(own() if callable(own) else _fork(self.persona), self.scenario)
        clone.opened = self.opened
        return clone

    def reply(self, agent_text: str, findings: list | None, events: dict) -> PersonaReply:
        """The persona's answer to one agent turn (the first turn gets the opening complaint)."""
        t0 = time.perf_counter()
        self.opened = True
        r = self.persona.respond(agent_text, findings, events)
        return PersonaReply(getattr(r, "text", str(r)), _plain(getattr(r, "mood", None)),
                            getattr(r, "outcome", None), (time.perf_counter() - t0) * 1000,
                            {"reason": getattr(r, "reason", ""),
                             "behaviours": list(getattr(r, "behaviours", ()))})


def _fork(obj: Any) -> Any:
    """An independent copy of a persona object without a ``fork()`` of its own: every attribute
    is deep-copied (rng, counters, sets), except the scenario and what cannot be copied."""
    clone = copy.copy(obj)
    memo: dict = {id(getattr(obj, "scenario", None)): getattr(obj, "scenario", None)}
    for name, value in vars(obj).items():
        try:
            setattr(clone, name, copy.deepcopy(value, memo))
        except TypeError:
            setattr(clone, name, value)
    return clone


def _plain(mood: Any) -> Any:
    if mood is None or isinstance(mood, (int, float, str)):
        return mood
    if hasattr(mood, "__dataclass_fields__"):
        from coach.types import to_dict

        d = to_dict(mood)
        if callable(getattr(mood, "label", None)):
            try:
                d["label"] = mood.label()
            except Exception:  # noqa: BLE001 - a label is a nicety
                pass
        return d
    if isinstance(mood, dict):
        return mood
    return str(mood)


class RubricAdapter:
    """Per-utterance rubric findings (coach.rubric.match_text) and the final scorecard."""

    def __init__(self, rubric_id: str, lang: str):
        from coach.rubric import load_rubric

        self.rubric = load_rubric(rubric_id)
        self.lang = lang

    def match(self, text: str, turn_index: int = 0) -> list:
        from dataclasses import replace

        from coach.rubric import match_text

        found = list(match_text(text, self.rubric, self.lang))
        return [replace(f, turn_index=turn_index) if hasattr(f, "turn_index") else f for f in found]

    def items(self) -> list[tuple[str, str]]:
        """(id, title in the call's language) for the live checklist; bad items are left out."""
        out = []
        for it in self.rubric.items:
            if getattr(it, "bad", False):
                continue
            title = getattr(it, "title", None) or it.id
            if isinstance(title, dict):
                title = title.get(self.lang) or title.get("en") or next(iter(title.values()), it.id)
            out.append((it.id, str(title)))
        return out

    def score(self, transcript, metrics=None):
        from coach.rubric import score

        return score(transcript, self.rubric, metrics=metrics)


def check_input_wav(path: Path | None) -> None:
    if path is not None and not Path(path).is_file():
        raise InputError("input recording not found", path)


__all__ = ["load_mono16k", "Renderer", "PersonaAdapter", "PersonaReply", "RubricAdapter",
           "trim_leading_silence", "check_input_wav", "AudioError"]
