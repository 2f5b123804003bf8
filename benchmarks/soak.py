"""Soak test of the live loop: memory over a long session, input overflows on a real device.

1. ``--minutes 30`` (default): a simulated-clock session (decodes are charged their wall time in
   audio time) fed with the late-delivery good-agent track repeated for 30 minutes of audio;
   the persona starts a fresh call whenever one ends, so the loop keeps working. RSS is sampled
   along the way; the figure is the growth after the first 5 minutes (should be ~0).
2. ``--device-minutes 10``: a real-time session through sounddevice and PulseAudio null sinks
   (agent track played into sink A with paplay, in a loop; persona into sink B) for N minutes;
   prints the input overflow count (target 0).

    .venv/bin/python benchmarks/soak.py [--minutes 30] [--device-minutes 0]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
SR = 16000


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class EndlessPersona:
    """The real persona, restarted with the next seed whenever a call would end."""

    def __init__(self, scenario: str, seed: int = 0):
        from coach.live.engines import PersonaAdapter

        self.scenario_id, self.seed = scenario, seed
        self.inner = PersonaAdapter.load(scenario, "en", seed)
        self.calls = 1

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def fork(self):
        clone = EndlessPersona.__new__(EndlessPersona)
        clone.scenario_id, clone.seed, clone.calls = self.scenario_id, self.seed, self.calls
        clone.inner = self.inner.fork()
        return clone

    def reply(self, text, findings, events):
        r = self.inner.reply(text, findings, events)
        if r.outcome is not None:
            from coach.live.engines import PersonaAdapter

            self.seed += 1
            self.calls += 1
            self.inner = PersonaAdapter.load(self.scenario_id, "en", self.seed)
            r.outcome = None
        return r


class MemoryView:
    def __init__(self, loop_ref):
        self.samples: list[tuple[float, float]] = []
        self._next = 0.0

    def event(self, ev):
        pass

    def tick(self, state):
        if state.elapsed_s >= self._next:
            self.samples.append((state.elapsed_s, rss_mb()))
            self._next += 30.0

    def close(self, footer=""):
        pass


def soak_memory(minutes: float, out: Path) -> None:
    from coach.commands.practice import PracticeOptions
    from coach.live.script import scenario_track
    from coach.live.session import run_session

    track = scenario_track("late-delivery", "en", seed=0)
    reps = int(np.ceil(minutes * 60 / (len(track.samples) / SR)))
    long = np.tile(track.samples, reps)[: int(minutes * 60 * SR)]
    wav = out / "soak-agent.wav"
    from coach.audio import write_wav

    write_wav(wav, long, SR)
    del long
    view = MemoryView(None)
    opts = PracticeOptions(scenario="late-delivery", lang="en", input_wav=wav, record=out / "soak",
                           screen=False)
    t0 = time.time()
    res = run_session(opts, realtime=False, view=view,
                      components={"persona": EndlessPersona("late-delivery")})
    wall = time.time() - t0
    s = view.samples
    base = [m for t, m in s if t >= 300][:1] or [s[0][1]]
    print(f"simulated session: {res.duration_s / 60:.1f} min of audio in {wall:.0f} s wall, "
          f"{res.turns} agent turns, cut-offs {res.cutoffs}, barge-ins {len(res.barge_ins)}")
    for t, m in s[:: max(1, len(s) // 12)]:
        print(f"  t={t / 60:5.1f} min  RSS {m:7.1f} MiB")
    print(f"RSS at 5 min {base[0]:.1f} MiB, at end {s[-1][1]:.1f} MiB, growth after 5 min "
          f"{s[-1][1] - base[0]:+.1f} MiB; session.wav {(out / 'soak' / 'session.wav').stat().st_size / 1e6:.0f} MB")


def soak_device(minutes: float, out: Path) -> None:
    import threading

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import pulse as P  # tests/pulse.py

    from coach.commands.practice import PracticeOptions
    from coach.live.screen import PlainView
    from coach.live.script import scenario_track
    from coach.live.session import run_session

    pa = P.Pulse()
    stop = threading.Event()
    try:
        track = scenario_track("late-delivery", "en", seed=0)
        agent_wav = out / "agent.wav"
        track.write(agent_wav)
        mic, spk = pa.new_sink("soakmic"), pa.new_sink("soakspk")

        def agent():
            time.sleep(3)
            while not stop.is_set():
                subprocess.run(["paplay", f"--device={mic}", str(agent_wav)], check=False)

        os.environ["PULSE_SINK"], os.environ["PULSE_SOURCE"] = spk, pa.monitor(mic)
        th = threading.Thread(target=agent, daemon=True)
        th.start()
        opts = PracticeOptions(scenario="late-delivery", lang="en", input_device="pulse",
                               output_device="pulse", record=out / "device", screen=False)
        res = run_session(opts, view=PlainView(io.StringIO()), max_s=minutes * 60,
                          components={"persona": EndlessPersona("late-delivery")})
        print(f"device session (sounddevice duplex stream, PulseAudio null sinks): "
              f"{res.duration_s / 60:.1f} min, {res.turns} agent turns, input overflows "
              f"{res.overflows}, end: {res.reason}")
    finally:
        stop.set()
        pa.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--device-minutes", type=float, default=0.0)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="coach-soak-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.minutes > 0:
        soak_memory(args.minutes, out)
    if args.device_minutes > 0:
        soak_device(args.device_minutes, out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
