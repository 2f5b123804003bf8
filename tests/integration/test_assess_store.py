"""History store on a real SQLite file; `coach history` and `coach progress` through the CLI."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit"))
from assess_cards import make_card  # noqa: E402

from coach.store import Store, default_path  # noqa: E402

pytestmark = pytest.mark.integration


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True, env=env)


def _fill(db):
    with Store(db) as s:
        s.add(make_card(score=50, agent="anna", date="2026-11-01", input_="a1.json", hit_next=False))
        s.add(make_card(score=70, agent="anna", date="2026-11-08", input_="a2.json"))
        s.add(make_card(score=90, agent="anna", date="2026-11-15", input_="a3.json"))
        s.add(make_card(score=30, agent="bo", date="2026-11-15", input_="b1.json", hit_next=False))
        s.add(make_card(score=95, agent="anna", date="2026-11-15", input_="a3.json"))  # re-assessed


def test_store_keys_by_agent_and_date(tmp_path):
    db = tmp_path / "h.sqlite3"
    _fill(db)
    with Store(db) as s:
        rows = s.calls("anna")
        assert [(r.date, r.score) for r in rows] == [("2026-11-01", 50), ("2026-11-08", 70), ("2026-11-15", 95)]
        assert [a for a, *_ in s.agents()] == ["anna", "bo"]
        prog = s.progress("anna")
        assert prog["score"] == [("2026-11-01", 50.0), ("2026-11-08", 70.0), ("2026-11-15", 95.0)]
        assert prog["next_step"] == [("2026-11-01", 0.0), ("2026-11-08", 100.0), ("2026-11-15", 100.0)]
        assert "closing" not in prog  # never applicable
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 4 * 6  # replaced row's items gone
    stored = json.loads(con.execute("SELECT scorecard FROM calls WHERE input='b1.json'").fetchone()[0])
    assert stored["critical_failures"] == ["next_step"]


def test_location_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("COACH_DB")
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "history.sqlite3"


def test_corrupt_database_is_a_clear_error(tmp_path):
    db = tmp_path / "bad.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    r = run("history", "--db", str(db))
    assert r.returncode == 1 and "cannot open the history database" in r.stderr and "Traceback" not in r.stderr


def test_history_and_progress_commands(tmp_path):
    db = tmp_path / "h.sqlite3"
    _fill(db)
    r = run("history", "--db", str(db), "--json")
    assert r.returncode == 0
    assert len([json.loads(x) for x in r.stdout.splitlines()]) == 4
    r = run("history", "--db", str(db), "--agent", "bo")
    assert r.returncode == 0 and "b1.json" in r.stdout and "a1.json" not in r.stdout
    out = tmp_path / "p.html"
    r = run("progress", "--agent", "anna", "--html", str(out), "--db", str(db))
    assert r.returncode == 0, r.stderr
    html = out.read_text()
    assert "<svg" in html and "Say what happens next and when" in html and "a3.json" in html
    r = run("progress", "--agent", "nobody", "--html", str(tmp_path / "n.html"), "--db", str(db))
    assert r.returncode == 1 and "no assessed calls for agent 'nobody'" in r.stderr
    assert not (tmp_path / "n.html").exists()
