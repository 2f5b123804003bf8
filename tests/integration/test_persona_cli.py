"""Persona with the real rubric engine: built-in scripts, `coach scenario`, typed practice CLI
(piped stdin, both languages, report JSON, determinism), audio through a PulseAudio null sink."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from coach.persona.scenario import builtin_ids, load_scenario, load_scenario_file
from coach.persona.scripts import rubric_findings, run_all

pytestmark = pytest.mark.integration

GOOD_EN = ["Good morning, Nordic Home customer service, this is Anna. How can I help you?",
           "I'm so sorry about that. I completely understand how frustrating it is to take a day off and wait for nothing.",
           "Could I have your order number, please?",
           "Thank you. I will book your delivery for tomorrow between 8 and 12, and I'll call you by 5 pm today to confirm the driver.",
           "Is there anything else I can help with? Thank you for calling, have a nice day.",
           "This line comes after the call has ended."]
POOR_EN = ["yeah what is it", "I don't know, that's the courier's problem.", "Calm down. There's nothing I can do."]
GOOD_FI = ["Hyvää huomenta, Nordic Homen asiakaspalvelu, Anna puhelimessa. Miten voin auttaa?",
           "Olen todella pahoillani. Ymmärrän hyvin, että tämä harmittaa, kun otitte vapaapäivän ja odotitte turhaan.",
           "Voisitteko kertoa tilausnumeronne?",
           "Kiitos. Varaan teille toimituksen huomiseksi kello 8–12, ja soitan teille tänään kello 17 mennessä vahvistuksen."]
POOR_FI = ["joo mitä asiaa", "En tiedä, se on kuljetusfirman ongelma.", "Rauhoittukaa nyt, en mä voi tälle mitään."]


def coach(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "coach", *args], input=stdin, capture_output=True, text=True,
                          timeout=timeout, env=full_env)


@pytest.fixture(scope="module")
def findings():
    return rubric_findings()


@pytest.mark.parametrize("sid", sorted(builtin_ids()))
def test_builtin_scripts_reach_their_outcomes_with_the_real_rubric(sid, findings):
    for lang, sc in load_scenario_file(sid).variants.items():
        for res in run_all(sc, findings):
            assert res.passed, (sid, lang, res.script, res.problem, [r.reason for r in res.replies])
            assert res.turns_used == res.turns_total, (sid, lang, res.script, res.problem)


def test_scenario_test_command_passes_builtins_and_fails_a_wrong_expectation(tmp_path):
    r = coach("scenario", "test", "late-delivery", "rude-customer")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "12/12 scripts reached their outcome" in r.stdout
    text = Path(load_scenario("late-delivery").path).read_text("utf-8")
    bad = tmp_path / "late.yaml"
    bad.write_text(text.replace("      - name: good agent\n        expect: resolved",
                                "      - name: good agent\n        expect: escalated"), "utf-8")
    r = coach("scenario", "test", str(bad), "--lang", "en")
    assert r.returncode == 1
    assert "FAIL: late-delivery (en) good agent: expected escalated, got resolved" in r.stdout
    assert "customer" in r.stdout  # the failing script is printed turn by turn


def test_scenario_validate_reports_every_problem_with_lines(tmp_path):
    text = Path(load_scenario("broken-product").path).read_text("utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("  anger: 5\n", "  anger: five\n").replace("      name: David Clarke\n      voice",
                                                                               "      nme: David Clarke\n      voice")
                   .replace("  fi:\n", "  sv:\n", 1), "utf-8")
    r = coach("scenario", "validate", str(bad), load_scenario("late-delivery").path)
    assert r.returncode == 1
    errs = r.stderr.strip().splitlines()
    line = bad.read_text("utf-8").splitlines().index("  anger: five") + 1
    assert any(f"{bad}:{line}: mood.anger: must be a number" in e for e in errs), errs
    assert any("unknown key 'nme'" in e for e in errs) and any("unknown language 'sv'" in e for e in errs)
    assert all(e.startswith("coach: error: ") and "Traceback" not in e for e in errs)
    assert "late-delivery.yaml: ok" in r.stdout  # the other file is still checked


def test_unknown_scenario_is_one_line_listing_the_ids():
    r = coach("practice", "--text", "--scenario", "no-such", "--mute", stdin="hello\n")
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown scenario 'no-such'" in lines[0]
    assert all(sid in lines[0] for sid in builtin_ids())
    r = coach("scenario", "show", "nope")
    assert r.returncode == 1 and "available: billing-double-charge" in r.stderr


@pytest.mark.parametrize("lang,lines,expected", [
    ("en", GOOD_EN, {"resolved"}), ("en", POOR_EN, {"escalated", "hung_up"}),
    ("fi", GOOD_FI, {"resolved"}), ("fi", POOR_FI, {"escalated", "hung_up"}),
])
def test_typed_practice_with_piped_turns(tmp_path, lang, lines, expected):
    out = tmp_path / "out.json"
    r = coach("practice", "--text", "--scenario", "late-delivery", "--lang", lang, "--seed", "1", "--mute",
              "--report-json", str(out), stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    rep = json.loads(out.read_text("utf-8"))
    assert rep["scenario"] == "late-delivery" and rep["lang"] == lang and rep["seed"] == 1
    assert rep["outcome"] in expected
    agent = [t["text"] for t in rep["turns"] if t["speaker"] == "agent"]
    customer = [t["text"] for t in rep["turns"] if t["speaker"] == "customer"]
    assert agent == lines[:len(agent)]
    assert len(rep["mood"]) == len(agent) and len(rep["replies"]) == len(customer)
    closing = rep["outcome"] in ("resolved", "escalated") and len(lines) > len(customer)
    assert len(agent) == len(customer) + closing  # one closing line after the customer ends, then no more
    assert [t["speaker"] for t in rep["turns"]] == (["agent", "customer"] * len(customer) + ["agent"] * closing)
    assert customer == [x["text"] for x in rep["replies"]]
    card = rep["scorecard"]
    items = {it["item_id"]: it for it in card["items"]}
    if rep["outcome"] == "resolved":
        assert rep["mood"][-1]["anger"] < rep["mood"][0]["anger"] and rep["mood"][-1]["progress"] >= 1
        assert items["apology"]["hit"] and items["acknowledgement"]["hit"] and items["next_step"]["hit"]
        assert not items["discouraged"]["hit"]
        if lang == "en":
            assert items["closing"]["hit"] and agent[-1] == lines[4]
    else:
        assert rep["mood"][-1]["anger"] > rep["mood"][0]["anger"]
        assert items["discouraged"]["hit"] and not items["next_step"]["hit"]
    assert "Scorecard" in r.stdout and "score" in r.stdout
    assert not [p for p in tmp_path.iterdir() if p.name != "out.json"]  # nothing half-written left


def test_same_seed_same_input_gives_identical_output(tmp_path):
    stdin = "\n".join(["Hello, Nordic Home.", "ok", "hmm", "What's your name?", "right"]) + "\n"
    runs = []
    for i in range(2):
        out = tmp_path / f"r{i}.json"
        r = coach("practice", "--text", "--scenario", "late-delivery", "--seed", "7", "--mute",
                  "--report-json", str(out), stdin=stdin)
        runs.append((r.stdout.replace(str(out), "OUT"), out.read_text("utf-8")))
    assert runs[0] == runs[1]


def test_end_of_input_is_unfinished_and_goodbye_ends_the_call(tmp_path):
    out = tmp_path / "o.json"
    r = coach("practice", "--text", "--scenario", "broken-product", "--lang", "fi", "--mute", "--report-json",
              str(out), stdin="Hei, Keittiökulma, Emma puhelimessa.\nSelvä.\n")
    rep = json.loads(out.read_text("utf-8"))
    assert r.returncode == 0 and rep["outcome"] == "unfinished" and len(rep["mood"]) == 2
    r = coach("practice", "--text", "--scenario", "broken-product", "--mute", "--report-json", str(out),
              stdin="Hello, Kitchen Corner.\nOkay, goodbye.\nThis is never read.\n")
    rep = json.loads(out.read_text("utf-8"))
    assert rep["outcome"] == "unfinished" and len(rep["mood"]) == 2
    assert rep["replies"][-1]["reason"] == "goodbye before resolution"


def test_no_audio_device_warns_once_and_continues(tmp_path):
    out = tmp_path / "o.json"
    r = coach("practice", "--text", "--scenario", "billing-double-charge", "--voice", "espeak",
              "--report-json", str(out), stdin="Hello, Kolibri Mobile, Sam speaking.\nI'm so sorry.\n",
              env={"PULSE_SERVER": "unix:/nonexistent/socket"})
    assert r.returncode == 0, r.stderr
    warnings = [ln for ln in r.stderr.splitlines() if "warning" in ln]
    assert len(warnings) == 1 and "no audio output" in warnings[0] and "Traceback" not in r.stderr
    assert len(json.loads(out.read_text("utf-8"))["replies"]) == 2


@pytest.mark.slow
def test_persona_speaks_into_a_pulseaudio_sink(pulse, tmp_path):
    """Not muted: the reply is synthesised with the persona's espeak voice and played through
    sounddevice into a null sink, whose monitor we record with parec."""
    sink = pulse.new_sink("persona")
    raw = tmp_path / "monitor.raw"
    with pulse.record_monitor(sink, raw):
        r = coach("practice", "--text", "--scenario", "broken-product", "--lang", "fi", "--voice", "espeak",
                  stdin="Hei, Keittiökulma, Emma puhelimessa.\n", env={"PULSE_SINK": sink})
        time.sleep(0.5)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr, r.stderr
    x = np.frombuffer(raw.read_bytes(), dtype=np.int16).astype(np.float32) / 32768
    loud = np.abs(x) > 0.02
    assert loud.sum() / 16000 > 2.0, f"only {loud.sum() / 16000:.2f} s of audible persona speech recorded"


def test_persona_voices_espeak_by_default_and_piper_for_english():
    from coach.persona.voice import persona_voice

    fi = load_scenario("missed-technician", "fi")
    v = persona_voice(fi)
    assert v.name == f"espeak:{fi.voice.espeak}" and v.rate == fi.voice.rate
    x, sr = v.synthesize("Haloo? Ootteko te siellä?")
    assert sr > 8000 and len(x) / sr > 0.5 and float(np.abs(x).max()) > 0.05
    en = load_scenario("late-delivery", "en")
    p = persona_voice(en, "piper")
    assert p.name.startswith("piper:") and "joe" in p.name
    x, sr = p.synthesize("Hello? Are you still there?")
    assert len(x) / sr > 0.5
