"""`coach assess` end to end through the CLI: single calls, batches with bad files, resuming,
a rubric that does not validate, worker processes, practice-session folders, mono + transcript.
Real rubric engine, metrics, SQLite; the audio cases use real tiny.en."""

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path

import jsonschema
import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "audio_samples"
SCHEMA = json.loads((REPO / "docs" / "scorecard.schema.json").read_text())


def coach(*args, cwd=None, env_db=None):
    env = dict(os.environ)
    if env_db:
        env["COACH_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "coach", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env=env)


def _calls(tmp_path) -> Path:
    d = tmp_path / "calls"
    (d / "week1").mkdir(parents=True)
    shutil.copy(SAMPLES / "transcripts" / "anna_2026-11-20_good_en.json", d / "week1")
    shutil.copy(SAMPLES / "transcripts" / "ben_2026-11-20_poor_en.json", d)
    (d / "week1" / "cara_2026-11-19_x_en.txt").write_text(
        "Agent: Hi, this is Cara. I'm so sorry about the delay.\nCustomer: Fine.\n")
    (d / "wrong_fields.json").write_text('{"lang": "en", "turns": [{"who": "agent", "text": "hi"}]}')
    (d / "unknown_speaker.json").write_text('{"lang": "en", "turns": [{"speaker": "robot", "text": "hi"}]}')
    (d / "empty_turn.json").write_text('{"lang": "en", "turns": [{"speaker": "agent", "text": ""}]}')
    (d / "corrupt.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage" + os.urandom(200))
    return d


def test_single_transcript_json_to_stdout(tmp_path):
    r = coach("assess", SAMPLES / "transcripts" / "anna_2026-11-20_good_en.json", "--json", "-",
              env_db=tmp_path / "h.db")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    jsonschema.validate(d, SCHEMA)
    assert d["meta"]["agent"] == "anna" and d["meta"]["date"] == "2026-11-20"
    assert d["meta"]["rubric_id"] == "complaint-handling" and d["meta"]["model"] is None
    apology = next(i for i in d["items"] if i["id"] == "apology")
    assert apology["passed"] and "sorry" in apology["evidence"][0]["text"].lower()


def test_single_call_outputs_and_errors(tmp_path):
    out = tmp_path / "r"
    r = coach("assess", SAMPLES / "transcripts" / "ben_2026-11-20_poor_en.json", "--html", out / "r.html",
              "--csv", out / "r.csv", "--json", out / "r.json", "--agent", "benny", env_db=tmp_path / "h.db")
    assert r.returncode == 0, r.stderr
    assert json.loads((out / "r.json").read_text())["meta"]["agent"] == "benny"
    assert "<svg" in (out / "r.html").read_text()
    assert next(csv.DictReader((out / "r.csv").open()))["agent"] == "benny"
    bad = tmp_path / "bad.json"
    bad.write_text('{"lang": "en", "turns": [{"speaker": "agent", "text": "hi", "start": 1}]}')
    r = coach("assess", bad, "--json", tmp_path / "bad-out.json", env_db=tmp_path / "h.db")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"coach: error: {bad}: turns[0]: give both start and end, or neither"
    assert not (tmp_path / "bad-out.json").exists()


def test_batch_reports_bad_files_and_goes_on(tmp_path):
    calls, out, db = _calls(tmp_path), tmp_path / "out", tmp_path / "h.db"
    r = coach("assess", calls, "--out", out, "--db", db)
    assert r.returncode == 1
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("coach: error:")]
    assert len(errors) == 4, r.stderr
    for name, problem in [("wrong_fields.json", "unknown field(s) who"),
                          ("unknown_speaker.json", "unknown speaker label 'robot'"),
                          ("empty_turn.json", "empty turn"), ("corrupt.wav", "")]:
        assert any(name in e and problem in e for e in errors), (name, errors)
    for rel in ("week1/anna_2026-11-20_good_en", "ben_2026-11-20_poor_en", "week1/cara_2026-11-19_x_en"):
        card = json.loads((out / f"{rel}.scorecard.json").read_text())
        jsonschema.validate(card, SCHEMA)
        assert (out / f"{rel}.report.html").is_file()
    assert not list(out.rglob("*wrong_fields*")) and not list(out.rglob(".*tmp"))
    rows = list(csv.DictReader((out / "summary.csv").open()))
    assert sorted(r["status"] for r in rows) == ["error"] * 4 + ["ok"] * 3
    html = (out / "summary.html").read_text()
    assert "corrupt.wav" in html and html.index("ben_2026-11-20_poor_en") < html.index("anna_2026-11-20_good_en")
    h = coach("history", "--db", db, "--json")
    assert sorted(json.loads(x)["agent"] for x in h.stdout.splitlines()) == ["anna", "ben", "cara"]


def test_batch_resumes_and_redoes_changed_inputs_and_rubric(tmp_path):
    calls = tmp_path / "calls"
    calls.mkdir()
    for n in ("anna_2026-11-20_good_en", "ben_2026-11-20_poor_en"):
        shutil.copy(SAMPLES / "transcripts" / f"{n}.json", calls)
    rubric = tmp_path / "my-rubric.yaml"
    shutil.copy(REPO / "rubrics" / "complaint-handling.yaml", rubric)
    out, db = tmp_path / "out", tmp_path / "h.db"
    args = ("assess", calls, "--out", out, "--db", db, "--rubric", rubric)
    assert coach(*args).returncode == 0
    r = coach(*args)
    assert r.returncode == 0 and "0 assessed, 2 unchanged" in r.stderr
    time.sleep(0.05)
    (calls / "ben_2026-11-20_poor_en.json").touch()
    r = coach(*args)
    assert "1 assessed, 1 unchanged" in r.stderr
    time.sleep(0.05)
    rubric.touch()
    r = coach(*args)
    assert "2 assessed, 0 unchanged" in r.stderr
    assert len(list(csv.DictReader((out / "summary.csv").open()))) == 2


def test_rubric_that_does_not_validate_stops_before_any_output(tmp_path):
    calls = _calls(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: X\nversion: 1\nlanguages: [en]\nitems:\n  - id: a\n    weight: lots\n")
    r = coach("assess", calls, "--out", tmp_path / "out", "--rubric", bad, "--db", tmp_path / "h.db")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert f"{bad}:" in r.stderr
    assert not (tmp_path / "out").exists()


def test_workers_processes_give_the_same_scores(tmp_path):
    calls = _calls(tmp_path)
    r1 = coach("assess", calls, "--out", tmp_path / "o1", "--no-store")
    r2 = coach("assess", calls, "--out", tmp_path / "o2", "--no-store", "--workers", "2")
    assert r1.returncode == r2.returncode == 1
    for p in (tmp_path / "o1").rglob("*.scorecard.json"):
        q = tmp_path / "o2" / p.relative_to(tmp_path / "o1")
        a, b = json.loads(p.read_text()), json.loads(q.read_text())
        assert a["score"] == b["score"] and a["items"] == b["items"]


def _stereo_session_wav(path: Path, sr=16000):
    """session.wav from the demo call (ch0 agent, ch1 customer), its header left as after a crash."""
    import soundfile as sf

    x, _ = sf.read(SAMPLES / "anna_2026-11-20_good_en.flac", dtype="int16", always_2d=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(x[: sr * 30].tobytes())
    raw = bytearray(path.read_bytes())
    raw[4:8] = b"\0\0\0\0"
    i = raw.index(b"data")
    raw[i + 4:i + 8] = b"\0\0\0\0"
    path.write_bytes(bytes(raw))


def test_practice_session_folder_uses_saved_transcripts_and_repairs_wav(tmp_path):
    s = tmp_path / "sessions" / "s1"
    s.mkdir(parents=True)
    _stereo_session_wav(s / "session.wav")
    turns = json.loads((SAMPLES / "transcripts" / "anna_2026-11-20_good_en.json").read_text())["turns"][:5]
    with (s / "events.jsonl").open("w") as f:
        f.write(json.dumps({"type": "session_start", "lang": "en", "scenario": "late-delivery"}) + "\n")
        for t in turns:
            kind = "final" if t["speaker"] == "agent" else "persona"
            f.write(json.dumps({"type": kind, "speaker": t["speaker"], "text": t["text"],
                                "start": t["start"], "end": t["end"]}) + "\n")
        f.write('{"type": "final", "speaker": "agent", "te')  # killed mid-line
    r = coach("assess", s, "--json", tmp_path / "s.json", "--html", tmp_path / "s.html", "--no-store")
    assert r.returncode == 0, r.stderr
    d = json.loads((tmp_path / "s.json").read_text())
    assert d["meta"]["input_kind"] == "session" and len(d["transcript"]["turns"]) == 5
    assert any("header was repaired" in n for n in d["meta"]["notes"])
    assert d["transcript"]["intervals"]["agent"] and d["metrics"]["timing_available"]
    with wave.open(str(s / "session.wav")) as w:
        assert w.getnframes() == 16000 * 30
    assert "data:audio/ogg;base64," in (tmp_path / "s.html").read_text()
    # a session folder inside a batch is one call
    r = coach("assess", tmp_path / "sessions", "--out", tmp_path / "o", "--no-store")
    assert r.returncode == 0 and (tmp_path / "o" / "s1.scorecard.json").is_file()


def test_session_without_events_is_transcribed(tmp_path):
    s = tmp_path / "s2"
    s.mkdir()
    _stereo_session_wav(s / "session.wav")
    r = coach("assess", s, "--json", "-", "--no-store")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["meta"]["model"] == "tiny.en"
    assert "frustrating" in " ".join(t["text"].lower() for t in d["transcript"]["turns"])


def test_mono_audio_with_a_transcript_beside_it(tmp_path, shared_dir):
    shutil.copy(shared_dir / "audio" / "jfk.flac", tmp_path / "jfk.flac")
    r = coach("assess", tmp_path / "jfk.flac", "--json", "-", "--no-store")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["metrics"]["talk_ratio"] is None and any("Mono recording" in n for n in d["meta"]["notes"])
    (tmp_path / "jfk.txt").write_text("Agent: And so, my fellow Americans, I'm so sorry about the wait.\n"
                                      "Customer: Ask what you can do for your country.\n")
    d = json.loads(coach("assess", tmp_path / "jfk.flac", "--json", "-", "--no-store").stdout)
    assert [t["speaker"] for t in d["transcript"]["turns"]] == ["agent", "customer"]
    assert any("jfk.txt" in n for n in d["meta"]["notes"])
    assert next(i for i in d["items"] if i["id"] == "apology")["passed"]


def test_demo_calls_from_audio_good_beats_poor():
    """The bundled demo calls, through the real audio pipeline: the good call passes the
    critical next-step item and outscores the poor one, whose long silence, interruption and
    "I don't know" are found."""
    from coach.assessment import AssessOptions, Assessor

    a = Assessor(AssessOptions())
    good = a.assess(SAMPLES / "anna_2026-11-20_good_en.flac").card
    poor = a.assess(SAMPLES / "ben_2026-11-20_poor_en.flac").card
    assert good.score >= 80 and not good.critical_failures
    assert poor.score < 40 and "next_step" in poor.critical_failures
    assert poor.item("discouraged").hit
    assert poor.metrics.interruptions >= 1 and poor.metrics.longest_silence_s > 7
    assert good.meta["agent"] == "anna" and poor.meta["date"] == "2026-11-20"
