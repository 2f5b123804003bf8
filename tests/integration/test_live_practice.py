"""`coach practice` voice loop end to end on a scripted agent recording (real tiny.en,
real espeak-ng, real persona and rubric): recording, transcript, scorecard, crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from coach.live.recorder import read_events, read_session_wav
from coach.wer import edit_distance, words

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
COACH = [sys.executable, "-m", "coach"]


@pytest.fixture(scope="module")
def agent_wav(tmp_path_factory):
    from coach.live.script import scenario_track

    track = scenario_track("late-delivery", "en", seed=0, agent_rate=160)
    path = tmp_path_factory.mktemp("agent") / "agent.wav"
    track.write(path)
    return path, track


def _practice(wav, folder, env_extra=None, **kw):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.Popen(COACH + ["practice", "--scenario", "late-delivery", "--input-wav", str(wav),
                                     "--record", str(folder), "--no-screen"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=REPO, **kw)


def _check_session(folder: Path, track) -> list[dict]:
    x, sr = read_session_wav(folder / "session.wav")
    assert sr == 16000 and x.shape[0] == 2
    events = list(read_events(folder / "events.jsonl"))
    agent = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    cust = [e for e in events if e["type"] == "turn" and e["speaker"] == "customer"]
    end = [e for e in events if e["type"] == "session_end"][-1]
    # a cut-off (the persona answered inside a pause) splits one scripted line into two turns,
    # and so does a late turn end (the decode came back after the agent had paused long enough
    # and already gone on: the first part becomes its own turn, with no reply)
    late = [e for e in events if e["type"] == "late_turn_end"]
    assert len(agent) == len(track.lines) + end["cutoffs"] + len(late), [a["text"] for a in agent]
    assert len(late) <= 1
    assert end["cutoffs"] <= 2  # tiny.en on espeak speech mishears some mid-turn pauses
    said = " ".join(a["text"] for a in agent)
    script = " ".join(line["text"] for line in track.lines)
    assert edit_distance(words(script), words(said)) / len(words(script)) < 0.3, said
    assert cust and all(c["text"] for c in cust)
    # channel 1 carries the persona exactly where its turns are; channel 0 the agent's lines
    for c in cust:
        a, b = int(c["start"] * sr), int(c["end"] * sr)
        assert np.abs(x[1, a:b]).max() > 0.05
        assert np.abs(x[1, max(0, a - 800):a - 1]).max() < 1e-3  # silent just before it starts
    starts = [t["start"] for t in agent]
    for line in track.lines:  # every scripted line starts a turn where it was spoken
        assert min(abs(s - line["start"]) for s in starts) < 0.3, line
    return events


@pytest.mark.slow
def test_cli_practice_realtime_writes_everything(agent_wav, tmp_path):
    wav, track = agent_wav
    folder = tmp_path / "s"
    p = _practice(wav, folder)
    out, err = p.communicate(timeout=240)
    assert p.returncode == 0, err
    events = _check_session(folder, track)
    end = [e for e in events if e["type"] == "session_end"][-1]
    assert end["outcome"] in ("resolved", None), end  # a good agent: nobody hangs up
    assert end["overflows"] == 0
    card = json.loads((folder / "scorecard.json").read_text())
    assert card["score"] > 50
    assert (folder / "report.html").stat().st_size > 10_000
    assert "Customer:" in out and "report" in out


def test_cli_practice_simulated_clock(agent_wav, tmp_path):
    wav, track = agent_wav
    folder = tmp_path / "s"
    p = _practice(wav, folder, {"COACH_LIVE_CLOCK": "simulated"})
    out, err = p.communicate(timeout=240)
    assert p.returncode == 0, err
    _check_session(folder, track)
    assert (folder / "scorecard.json").is_file()


def _wait_for(folder: Path, what, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        ev = folder / "events.jsonl"
        if ev.is_file() and any(what(e) for e in read_events(ev)):
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting in {folder}")


@pytest.mark.slow
def test_kill_9_keeps_everything_up_to_the_last_second(agent_wav, tmp_path):
    wav, _ = agent_wav
    folder = tmp_path / "s"
    p = _practice(wav, folder)
    _wait_for(folder, lambda e: e["type"] == "turn" and e["speaker"] == "customer")
    started = [e for e in read_events(folder / "events.jsonl") if e["type"] == "session_start"]
    time.sleep(1.5)
    n_events = len(list(read_events(folder / "events.jsonl")))
    last_t = max(e["t"] for e in read_events(folder / "events.jsonl"))
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=10)
    assert started
    x, sr = read_session_wav(folder / "session.wav")  # repairs the header
    assert x.shape[1] / sr >= last_t - 1.0  # audio up to (at least) the last second
    assert len(list(read_events(folder / "events.jsonl"))) >= n_events
    # the assessment reads the crashed folder
    r = subprocess.run(COACH + ["assess", str(folder), "--json", str(tmp_path / "card.json")],
                       capture_output=True, text=True, cwd=REPO, timeout=180)
    assert r.returncode == 0, r.stderr
    card = json.loads((tmp_path / "card.json").read_text())
    assert card["transcript"]["turns"]


@pytest.mark.slow
def test_ctrl_c_ends_cleanly_with_report(agent_wav, tmp_path):
    wav, _ = agent_wav
    folder = tmp_path / "s"
    p = _practice(wav, folder)
    _wait_for(folder, lambda e: e["type"] == "turn" and e["speaker"] == "customer")
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err
    end = [e for e in read_events(folder / "events.jsonl") if e["type"] == "session_end"]
    assert end and end[0]["reason"] == "stopped by the user"
    assert (folder / "scorecard.json").is_file()


def test_barge_in_stops_persona_and_keeps_only_what_was_heard(tmp_path):
    """The agent talks over the persona 1 s into a reply: the persona stops within 300 ms (in
    the recording) and its transcript turn holds only the words played."""
    from coach.commands.practice import PracticeOptions
    from coach.live.screen import PlainView
    from coach.live.script import scenario_track
    from coach.live.session import run_session
    import io

    track = scenario_track("late-delivery", "en", seed=0, agent_rate=160, pauses=False,
                           barge_in={1: 1.5})  # line 1 starts 1.5 s into the opening complaint
    wav = tmp_path / "agent.wav"
    track.write(wav)
    opts = PracticeOptions(scenario="late-delivery", input_wav=wav, record=tmp_path / "s", screen=False)
    res = run_session(opts, realtime=False, view=PlainView(io.StringIO()))
    events = list(read_events(tmp_path / "s" / "events.jsonl"))
    stopped = [e for e in events if e["type"] == "persona_stopped"]
    assert stopped and res.barge_ins
    cut = [e for e in events if e["type"] == "turn" and e["speaker"] == "customer" and e["interrupted"]][0]
    assert cut["full_text"].startswith(cut["text"]) and len(cut["text"]) < len(cut["full_text"]) / 2
    # measured on the recording: agent onset on ch0 -> last persona sample on ch1
    x, sr = read_session_wav(tmp_path / "s" / "session.wav")
    onset = track.lines[1]["start"]
    persona = np.flatnonzero(np.abs(x[1, int(onset * sr) - sr:int(onset * sr) + sr]) > 0.004)
    stop_ms = (persona[-1] - sr) / sr * 1000
    assert 0 < stop_ms <= 300, stop_ms


def test_an_unreadable_input_recording_is_one_line_and_leaves_no_session_folder(tmp_path):
    bad = tmp_path / "agent.wav"
    bad.write_bytes(b"RIFF....not audio at all")
    folder = tmp_path / "s"
    r = subprocess.run(COACH + ["practice", "--scenario", "late-delivery", "--input-wav", str(bad),
                                "--record", str(folder), "--no-screen"],
                       capture_output=True, text=True, cwd=REPO, timeout=180)
    assert r.returncode != 0
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "agent.wav" in lines[0] and "Traceback" not in r.stderr, r.stderr
    assert not folder.exists()  # nothing half-written
