"""LLM phrasing guard rails without a model: output checks, model-dir resolution, timeout
fallback (generation replaced by a slow function). The real model runs in
tests/integration/test_persona_llm.py."""

from __future__ import annotations

import time

import pytest

from coach.errors import ModelError
from coach.persona import Mood, load_scenario
from coach.persona.llm import Phraser, check, clean, find_model_files

EN = load_scenario("late-delivery", "en")
FI = load_scenario("late-delivery", "fi")
LINE = "I just want my sofa. When is it coming?"


@pytest.mark.parametrize("scenario,candidate,problem", [
    (EN, "All I want is my sofa. When will it get here?", None),
    (EN, "", "empty"),
    (EN, "...", "empty"),
    (EN, "My sofa? " + "Really, really. " * 20, "too long"),
    (EN, "As an AI I cannot help with sofas.", "markup"),
    (EN, "I want my sofa by the 31st of May.", "invented numbers"),
    (EN, "Order NH-48213, my sofa, when?", None),  # numbers from the facts are fine
    (EN, "sofa sofa sofa sofa sofa sofa sofa", "repetitive"),
    (EN, "The weather is lovely today, isn't it?", "off topic"),
    (FI, "Mä haluun vaan sen sohvan. Koska se tulee?", None),
    (FI, "I want the sofa, where is my sofa?", "wrong language"),
])
def test_output_checks(scenario, candidate, problem):
    line = LINE if scenario is EN else "Mä haluun vaan mun sohvan. Milloin se tulee?"
    assert check(candidate, line, scenario) == problem


def test_clean_takes_the_first_line_without_speaker_labels():
    assert clean('Customer: "Where is my sofa?"\nAgent: ...') == "Where is my sofa?"
    assert clean("  Mark Evans: Where is it?  ") == "Where is it?"


def test_model_dir_resolution(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        find_model_files(tmp_path / "missing")
    with pytest.raises(ModelError, match="not a model directory"):
        find_model_files(tmp_path)
    (tmp_path / "m.gguf").write_bytes(b"")
    assert find_model_files(tmp_path) == (tmp_path, "m.gguf")
    assert find_model_files(tmp_path / "m.gguf") == (tmp_path, "m.gguf")
    (tmp_path / "config.json").write_text("{}")
    assert find_model_files(tmp_path) == (tmp_path, None)


def test_slow_generation_falls_back_to_the_scripted_line_within_the_timeout(monkeypatch):
    ph = Phraser("unused", timeout=0.2)
    monkeypatch.setattr(ph, "generate", lambda messages, max_time=None: (time.sleep(0.6), "Where's my sofa?")[1])
    t0 = time.perf_counter()
    r = ph.rephrase(LINE, EN, Mood(7))
    assert r.text == LINE and not r.used_model and r.reason == "timeout"
    assert time.perf_counter() - t0 < 0.5
    r = ph.rephrase(LINE, EN, Mood(7))  # the slow generation is still running: do not queue
    assert r.reason == "busy" and r.text == LINE
    time.sleep(0.6)
    monkeypatch.setattr(ph, "generate", lambda messages, max_time=None: "So where is my sofa, then?")
    r = ph.rephrase(LINE, EN, Mood(7))
    assert r.used_model and r.text == "So where is my sofa, then?"
    monkeypatch.setattr(ph, "generate", lambda messages, max_time=None: "   ")
    assert ph.rephrase(LINE, EN, Mood(7)).reason == "empty"
    ph.close()


def test_persona_uses_the_phrasing_but_keeps_control_of_mood_and_outcome():
    from coach.persona import Persona
    from coach.persona.llm import Phrased

    class Upper:
        def rephrase(self, line, scenario, mood, agent_text=""):
            return Phrased(line.upper(), True, "model")

    plain = Persona(EN, seed=2)
    phrased = Persona(EN, seed=2, llm=Upper())
    for text in ("Hello, Nordic Home.", "ok", "Calm down."):
        a, b = plain.respond(text, []), phrased.respond(text, [])
        assert b.text == a.text.upper() and b.scripted == a.text and b.llm == "model"
        assert (a.mood, a.outcome, a.reason) == (b.mood, b.outcome, b.reason)
