"""``coach.devices.play`` into a sink whose monitor is being recorded at low latency (as the
persona test's parec does): every run must play the whole sound at real time.

With sounddevice.play's callback stream (0.2 s latency at 22.05 kHz -> 50 ms ALSA periods) the
pulse plugin fell into an underrun cascade here in most runs: the clip was consumed in ~0.1 s
and nothing reached the sink, without an error."""

from __future__ import annotations

import time

import numpy as np
import pytest

from coach import devices

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SR = 22050  # espeak-ng's rate, the persona's voice


def test_play_is_heard_in_full_while_the_monitor_is_recorded_at_50_ms(pulse, tmp_path):
    sink = pulse.new_sink("lowlat")
    raw = tmp_path / "monitor.raw"
    tone = (0.3 * np.sin(2 * np.pi * 440 * np.arange(3 * SR) / SR)).astype(np.float32)
    runs = []
    with pulse.record_monitor(sink, raw) as f:
        for _ in range(3):
            start = raw.stat().st_size
            t = time.monotonic()
            with pulse.route(sink=sink):
                devices.play(tone, SR, device="pulse")
            took = time.monotonic() - t
            time.sleep(0.4)
            f.flush()
            runs.append((took, start, raw.stat().st_size))
    data = raw.read_bytes()
    for took, a, b in runs:
        x = np.frombuffer(data[a:b - (b - a) % 2], dtype=np.int16).astype(np.float32) / 32768
        loud = float((np.abs(x) > 0.02).sum()) / 16000  # a 0.3 sine is above 0.02 ~96 % of the time
        assert took > 2.6, f"play returned after {took:.2f} s for 3 s of audio"
        assert loud > 2.6, f"only {loud:.2f} s of the 3 s tone reached the sink (play took {took:.2f} s)"
