"""A PulseAudio server with private null sinks, so tests can use real sounddevice without a card.

Usage (see the ``pulse`` fixture in tests/conftest.py)::

    sink = pulse.new_sink("speaker")          # unique name, e.g. coach_t12345_1_speaker
    with pulse.route(sink=sink):               # ALSA "pulse" device plays into that sink
        coach.devices.play(x, 16000, device="pulse")
    with pulse.route(source=pulse.monitor(sink)):   # ... and records what the sink plays
        stream = coach.devices.open_input(cb, device="pulse")

Routing: PortAudio sees PulseAudio only as ALSA's ``pulse``/``default`` devices. libpulse reads
``PULSE_SINK``/``PULSE_SOURCE`` each time a stream is opened, so setting them around the stream
construction routes that stream (``pactl set-default-sink`` would change it for everyone using
the shared server, including other test processes).

The server: if ``pactl info`` fails, ``pulseaudio -D --exit-idle-time=-1`` is started (as root it
runs in per-user mode with a warning). It is left running (other test processes may share it);
only the sinks loaded here are unloaded at teardown.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import time


class PulseError(RuntimeError):
    pass


def _pactl(*args: str, timeout: float = 10.0) -> subprocess.CompletedProcess:
    return subprocess.run(["pactl", *args], capture_output=True, text=True, timeout=timeout)


def server_running() -> bool:
    if not shutil.which("pactl"):
        return False
    try:
        return _pactl("info", timeout=5).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def start_server(wait: float = 15.0) -> bool:
    """Start a PulseAudio daemon if none answers. Returns True if this call started it."""
    if server_running():
        return False
    exe = shutil.which("pulseaudio")
    if not exe:
        raise PulseError("pulseaudio is not installed (apt-get install pulseaudio)")
    r = subprocess.run([exe, "-D", "--exit-idle-time=-1"], capture_output=True, text=True,
                       timeout=30)
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server_running():
            return True
        time.sleep(0.2)
    raise PulseError(f"pulseaudio did not start: {r.stderr.strip()[-300:]}")


class Pulse:
    """Null sinks owned by this process; call :meth:`close` to unload them."""

    def __init__(self) -> None:
        self.started_server = start_server()
        self._modules: dict[str, int] = {}
        self._n = itertools.count(1)
        _refresh_portaudio()

    def new_sink(self, hint: str = "sink", rate: int = 48000, channels: int = 2) -> str:
        name = f"coach_t{os.getpid()}_{next(self._n)}_{hint}"
        r = _pactl("load-module", "module-null-sink", f"sink_name={name}",
                   f"rate={rate}", f"channels={channels}",
                   f"sink_properties=device.description={name}")
        if r.returncode != 0:
            raise PulseError(f"cannot load module-null-sink: {r.stderr.strip()}")
        self._modules[name] = int(r.stdout.strip())
        return name

    @staticmethod
    def monitor(sink: str) -> str:
        return f"{sink}.monitor"

    @staticmethod
    @contextlib.contextmanager
    def record_monitor(sink: str, path, latency_ms: int = 50, first_samples_s: float = 10.0):
        """Record ``sink``'s monitor (16 kHz mono s16le) into ``path`` with parec while the
        block runs; returns once parec delivers samples (an idle monitor takes 1.5-2.3 s), and
        yields the open file (flush it to read what has arrived)."""
        from pathlib import Path

        path = Path(path)
        with open(path, "wb") as f:
            rec = subprocess.Popen(["parec", f"--device={sink}.monitor", "--format=s16le", "--rate=16000",
                                    "--channels=1", f"--latency-msec={latency_ms}"], stdout=f)
            try:
                deadline = time.monotonic() + first_samples_s
                while path.stat().st_size < 3200 and time.monotonic() < deadline:
                    time.sleep(0.05)
                if path.stat().st_size < 3200:
                    raise PulseError("parec delivered no samples from the monitor")
                yield f
            finally:
                rec.terminate()
                rec.wait(timeout=10)

    def sinks(self) -> list[str]:
        return list(self._modules)

    @staticmethod
    def route(sink: str | None = None, source: str | None = None):
        """Context manager: streams opened inside go to ``sink`` / come from ``source``."""
        from coach.devices import pulse_route

        return pulse_route(sink=sink, source=source)

    def unload(self, sink: str) -> None:
        mod = self._modules.pop(sink, None)
        if mod is not None:
            _pactl("unload-module", str(mod))

    def close(self) -> None:
        for sink in list(self._modules):
            with contextlib.suppress(Exception):
                self.unload(sink)


def _refresh_portaudio() -> None:
    """PortAudio lists devices when initialised; re-scan if sounddevice was imported before the
    server ran (the ALSA ``pulse`` device is only listed while a server answers)."""
    if "sounddevice" in sys.modules:
        from coach.devices import refresh_devices

        refresh_devices()
