"""The voice loop through the real sounddevice path: PulseAudio null sinks, no sound card.

The agent's recording is played into sink A (paplay); the practice session records from A's
monitor as its microphone and speaks into sink B, whose monitor we record (parecord). The
session must take turns, play the persona into B, and record both channels in session.wav.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from coach.live.recorder import read_events, read_session_wav

pytestmark = [pytest.mark.integration, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
WAV_BYTES_PER_SECOND = 2 * 2 * 16000  # session.wav: stereo 16-bit PCM at 16 kHz


class LiveCall:
    """A ``coach practice`` subprocess on two private null sinks: it records from ``mic_sink``'s
    monitor as its microphone and speaks into ``speaker``; it records into ``folder``."""

    def __init__(self, pulse, folder: Path, mic_hint: str, speaker_hint: str) -> None:
        self.mic_sink, self.speaker = pulse.new_sink(mic_hint), pulse.new_sink(speaker_hint)
        self.folder = folder
        env = {**os.environ, "PULSE_SINK": self.speaker,
               "PULSE_SOURCE": pulse.monitor(self.mic_sink)}
        self.session = subprocess.Popen(
            [sys.executable, "-m", "coach", "practice", "--scenario", "late-delivery",
             "--input-device", "pulse", "--output-device", "pulse", "--record", str(folder),
             "--no-screen"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO)

    def wait_recording(self, seconds: float, timeout: float = 60.0) -> None:
        """Wait until session.wav holds ``seconds`` of audio (the input stream delivers; an
        idle monitor takes ~2 s to start), failing at once if the session exits."""
        wav = self.folder / "session.wav"
        deadline = time.time() + timeout
        while time.time() < deadline:
            if wav.is_file() and wav.stat().st_size > 44 + seconds * WAV_BYTES_PER_SECOND:
                return
            assert self.session.poll() is None, self.session.stderr.read()
            time.sleep(0.2)

    def finish(self, timeout: float = 30.0) -> tuple[str, str]:
        """Wait for the session to end by itself; if it does not, stop it with Ctrl-C."""
        try:
            return self.session.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.session.send_signal(signal.SIGINT)
            return self.session.communicate(timeout=60)


@pytest.fixture
def live_call(pulse, tmp_path):
    """Factory: ``live_call(mic_hint, speaker_hint)`` starts a :class:`LiveCall` recording into
    ``tmp_path / "s"``; a session still running at teardown is killed."""
    calls: list[LiveCall] = []

    def start(mic_hint: str, speaker_hint: str) -> LiveCall:
        calls.append(LiveCall(pulse, tmp_path / "s", mic_hint, speaker_hint))
        return calls[-1]

    yield start
    for call in calls:
        if call.session.poll() is None:
            call.session.kill()
            call.session.wait(timeout=10)


def test_practice_through_pulseaudio_null_sinks(pulse, live_call, tmp_path):
    from coach.audio import load
    from coach.live.script import scenario_track

    track = scenario_track("late-delivery", "en", seed=0, agent_rate=160)
    agent_wav = tmp_path / "agent.wav"
    track.write(agent_wav)
    call = live_call("agentmic", "speaker")
    session, folder = call.session, call.folder
    heard = tmp_path / "speaker.wav"
    rec = subprocess.Popen(["parecord", f"--device={pulse.monitor(call.speaker)}", "--rate=16000",
                            "--channels=1", "--format=s16le", "--file-format=wav", str(heard)])
    try:
        call.wait_recording(1.0)
        subprocess.run(["paplay", f"--device={call.mic_sink}", str(agent_wav)], check=True,
                       timeout=180)
        out, err = call.finish()  # the persona ends a resolved call itself
    finally:  # (the live_call fixture kills a session still running)
        rec.send_signal(signal.SIGINT)
        rec.wait(timeout=10)
    assert session.returncode == 0, err
    events = list(read_events(folder / "events.jsonl"))
    agent = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
    cust = [e for e in events if e["type"] == "turn" and e["speaker"] == "customer"]
    assert len(agent) >= len(track.lines) - 1, [a["text"] for a in agent]
    assert len(cust) >= len(track.lines) - 1
    end = [e for e in events if e["type"] == "session_end"][-1]
    assert end["overflows"] == 0
    x, sr = read_session_wav(folder / "session.wav")
    assert np.abs(x[0]).max() > 0.05  # the microphone heard the agent
    for c in cust:  # channel 1 has the persona where its turns are
        a, b = int(c["start"] * sr), int(c["end"] * sr)
        assert np.abs(x[1, a:b]).max() > 0.05
    # the persona really came out of the speaker sink
    y = load(heard).samples.mean(axis=0)
    assert np.abs(y).max() > 0.05
    spoken = sum(c["end"] - c["start"] for c in cust)
    assert (np.abs(y) > 0.01).sum() / 16000 > 0.3 * spoken


def test_missing_device_one_line_and_session_saved(pulse, tmp_path):
    folder = tmp_path / "s"
    r = subprocess.run([sys.executable, "-m", "coach", "practice", "--scenario", "late-delivery",
                        "--input-device", "no-such-microphone-xyz", "--record", str(folder),
                        "--no-screen"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 1
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("coach: error:") and "no-such-microphone-xyz" in err[0]
    assert "Traceback" not in r.stderr
    end = [e for e in read_events(folder / "events.jsonl") if e["type"] == "session_end"]
    assert end and end[0]["reason"] == "device error"
    assert (folder / "session.wav").is_file()


def test_vanished_device_ends_call_and_keeps_session(pulse, live_call):
    call = live_call("vanishmic", "vanishspk")
    session, folder = call.session, call.folder
    call.wait_recording(2.0)
    pulse.unload(call.mic_sink)  # the microphone disappears mid-call
    pulse.unload(call.speaker)
    out, err = call.finish()  # or PulseAudio moved the stream to another source: Ctrl-C
    # either a clean one-line device error, or (if PulseAudio moved the stream to another
    # source) the call goes on; we stop it then - in both cases nothing is lost
    if session.returncode == 1:
        assert err.strip().count("\n") == 0 and err.startswith("coach: error:"), err
        assert "saved" in err
    x, sr = read_session_wav(folder / "session.wav")
    assert x.shape[1] / sr >= 2.0
    assert [e for e in read_events(folder / "events.jsonl") if e["type"] == "session_end"]
