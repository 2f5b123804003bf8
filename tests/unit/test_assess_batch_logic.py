"""Batch discovery, output naming and the resume rule (files only, no models)."""

import os
import time
from pathlib import Path

from coach.assessment import agent_and_date, lang_from_name
from coach.batch import Job, discover, plan, up_to_date


def _touch(p: Path, text: str = "x") -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_discover_calls_companions_sessions_and_outputs(tmp_path):
    root = tmp_path / "in"
    _touch(root / "a.wav")
    _touch(root / "a.json")  # companion of a.wav: not a second call
    _touch(root / "b.json")
    _touch(root / "sub" / "c.vtt")
    _touch(root / "sub" / "c.srt")  # a different transcript, its own call
    _touch(root / "sess" / "session.wav")
    _touch(root / "sess" / "events.jsonl")
    _touch(root / ".hidden.json")
    _touch(root / "notes.md")
    _touch(root / "x.scorecard.json")
    _touch(root / "out" / "a.scorecard.json")
    _touch(root / "out" / "z.json")  # inside the output folder: skipped
    got = [str(rel) for _, rel in discover([root], root / "out")]
    assert got == ["a.wav", "b.json", "sess", "sub/c.srt", "sub/c.vtt"]
    # a session folder or a file given directly is one call
    assert [str(r) for _, r in discover([root / "sess", root / "b.json"])] == ["sess", "b.json"]


def test_plan_mirrors_folders_and_avoids_collisions(tmp_path):
    calls = [(Path("in/x.wav"), Path("x.wav")), (Path("in/x.json"), Path("x.json")),
             (Path("in/s/y.txt"), Path("s/y.txt")), (Path("sess1"), Path("sess1"))]
    jobs = plan(calls, tmp_path / "o")
    names = [os.path.relpath(j.json_out, tmp_path / "o") for j in jobs]
    assert names == ["x.scorecard.json", "x_json.scorecard.json", "s/y.scorecard.json", "sess1.scorecard.json"]
    assert jobs[2].html_out.endswith("s/y.report.html")


def test_resume_rule(tmp_path):
    inp = _touch(tmp_path / "c.json")
    rubric = _touch(tmp_path / "r.yaml")
    job = Job(str(inp), str(tmp_path / "o" / "c.scorecard.json"), str(tmp_path / "o" / "c.report.html"))
    assert not up_to_date(job, rubric)  # nothing yet
    time.sleep(0.02)
    _touch(Path(job.json_out))
    _touch(Path(job.html_out))
    assert up_to_date(job, rubric)
    os.utime(rubric, (time.time() + 5, time.time() + 5))
    assert not up_to_date(job, rubric)  # rubric changed since
    os.utime(rubric, (0, 0))
    os.utime(inp, (time.time() + 5, time.time() + 5))
    assert not up_to_date(job, rubric)  # input changed since
    os.utime(inp, (0, 0))
    Path(job.html_out).unlink()
    assert not up_to_date(job, rubric)  # a report is missing


def test_agent_date_and_language_from_file_names(tmp_path):
    p = _touch(tmp_path / "anna_2026-11-20_0931_fi.wav")
    assert agent_and_date(p) == ("anna", "2026-11-20")
    assert agent_and_date(p, agent="bo") == ("bo", "2026-11-20")
    assert agent_and_date(_touch(tmp_path / "jo.smith_20261102.json")) == ("jo.smith", "2026-11-02")
    agent, date = agent_and_date(_touch(tmp_path / "call.wav"))
    assert agent is None and len(date) == 10  # the file's date
    assert lang_from_name(p) == "fi" and lang_from_name(Path("x-en.flac")) == "en"
    assert lang_from_name(Path("fiona_2026-01-01.wav")) is None
