"""Benchmark: VAD + conversation metrics on long stereo calls.

Figures printed:
* a 10-minute stereo call (file on disk -> Silero VAD per channel -> metrics), median of runs,
  for a clean recording (digital silence between turns: the energy gate skips it), the same with
  a -50 dBFS noise floor (nothing to skip: every window goes through the model), and with the
  gate switched off; target < 3 s on 2 cores;
* a 1-hour stereo call streamed in 30 s blocks: peak RSS growth (target: does not grow with the
  audio; the audio itself would be 439 MiB as 16 kHz float32) and time.

The calls are real espeak-ng speech (tests/callgen.py) repeated with short silences.

    .venv/bin/python benchmarks/metrics.py [--runs 3] [--hour-minutes 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import callgen  # noqa: E402

from coach import vad  # noqa: E402
from coach.metrics import from_intervals  # noqa: E402


def time_call(path: Path, settings: vad.VadSettings, runs: int) -> tuple[float, float, dict]:
    """Median wall time and CPU time (all threads) of file -> VAD -> metrics."""
    times, cpu, m = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        iv = vad.channel_intervals(path, settings)
        m = from_intervals(iv[0], iv[1])
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu), m.as_dict()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--hour-minutes", type=float, default=60.0, help="length of the long call")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} CPU cores, load {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    print("(wall time depends on what else runs; CPU time is the work itself, both channels, all"
          " threads: on an idle 2-core machine wall is about CPU / 1-2)")
    call, design = callgen.support_call()
    clean = call.render()
    noisy = call.render(noise_dbfs=-50.0)
    vad.speech_intervals(clean[0][:16000])  # load the model once (~0.1 s) outside the timings
    with tempfile.TemporaryDirectory(prefix="coach-metrics-bench-") as d:
        d = Path(d)
        clean10, reps = callgen.write_long(d / "clean10.wav", clean, 600.0)
        noisy10, _ = callgen.write_long(d / "noisy10.wav", noisy, 600.0)
        tel10, _ = callgen.write_long(d / "tel10.wav", noisy, 600.0, sr=8000, subtype="ULAW")
        print(f"10-minute stereo call: {reps} x a {clean.shape[1] / 16000:.0f} s espeak-ng call + 4 s gaps")
        rows = [
            ("clean, energy gate on (default)", clean10, vad.METRICS),
            ("-50 dBFS noise floor, gate on", noisy10, vad.METRICS),
            ("8 kHz mu-law + noise, gate on", tel10, vad.METRICS),
            ("clean, gate off (every window)", clean10, replace(vad.METRICS, energy_gate_dbfs=None)),
        ]
        for label, path, settings in rows:
            secs, cpu, m = time_call(path, settings, args.runs)
            ok = "OK" if secs < 3.0 else "OVER"
            print(f"  {label:32s} wall {secs:5.2f} s ({600 / secs:4.0f}x real time, target < 3 s: "
                  f"{ok:4s}) CPU {cpu:5.2f} s  talk_ratio={m['talk_ratio']} "
                  f"interruptions={m['interruptions']}")

        minutes = args.hour_minutes
        warm, _ = callgen.write_long(d / "warm.wav", noisy, 70.0)
        t = time.perf_counter()
        long_path, reps = callgen.write_long(d / "hour.wav", noisy, minutes * 60)
        size = long_path.stat().st_size / 2**20
        print(f"{minutes:.0f}-minute stereo call ({size:.0f} MiB WAV on disk, -50 dBFS noise floor; "
              f"written in {time.perf_counter() - t:.1f} s)")
        out = subprocess.run([sys.executable, "-c", callgen.MEMORY_PROBE, str(warm), str(long_path)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        audio_mib = minutes * 60 * 16000 * 2 * 4 / 2**20
        print(f"  VAD + metrics: {r['seconds']:.1f} s wall; peak RSS {r['peak_mib']:.0f} MiB, growth over "
              f"the warmed-up process {r['growth_mib']:.1f} MiB (the audio as float32 would be "
              f"{audio_mib:.0f} MiB)")
        print(f"  load now {os.getloadavg()[0]:.2f}; intervals per channel {r['intervals']}, interruptions {r['interruptions']} "
              f"(designed: {reps * design['interruptions']}+), talk_ratio {r['talk_ratio']}")


if __name__ == "__main__":
    main()
