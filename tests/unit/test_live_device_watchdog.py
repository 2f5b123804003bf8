"""DeviceTransport's watchdog, with a fake PortAudio stream (pure logic; the real device path
is exercised through PulseAudio in tests/integration/test_live_pulse.py)."""

from __future__ import annotations

import time

import numpy as np
import pytest

import coach.devices
from coach.devices import DeviceError
from coach.live import audio_io
from coach.live.audio_io import BLOCK, DeviceTransport, Player


class FakeStream:
    """A stream that is inactive from the start (``dies``) or delivers one block on start."""

    opened: list["FakeStream"] = []

    def __init__(self, dies: bool, callback):
        self.dies, self.callback, self.active = dies, callback, False
        FakeStream.opened.append(self)

    def start(self):
        self.active = not self.dies
        if self.active:
            mic = np.zeros((BLOCK, 1), np.float32)
            self.callback(mic, np.zeros((BLOCK, 1), np.float32), BLOCK, None, None)

    def stop(self):
        self.active = False

    def close(self):
        pass


@pytest.fixture
def fake_sd(monkeypatch):
    """sounddevice stand-in whose first ``deaths`` streams die before their first block."""
    FakeStream.opened = []
    state = {"deaths": 0}

    class SD:
        def Stream(self, callback, **kw):  # noqa: N802 - sounddevice's name
            dies = len(FakeStream.opened) < state["deaths"]
            return FakeStream(dies, callback)

    monkeypatch.setattr(coach.devices, "sd", lambda: SD())
    monkeypatch.setattr(coach.devices, "find_device", lambda name, kind="input": None)
    return state


@pytest.fixture
def started(fake_sd):
    """Factory: a DeviceTransport on the fake device whose first ``deaths`` streams die before
    their first block, started; stopped at teardown."""
    made: list[DeviceTransport] = []

    def start(deaths: int = 0) -> DeviceTransport:
        fake_sd["deaths"] = deaths
        made.append(DeviceTransport(Player()))
        made[-1].start()
        return made[-1]

    yield start
    for t in made:
        t.stop()


def test_stream_dead_before_first_block_is_reopened(started):
    t = started(deaths=1)
    t.check()  # dead before delivering: opened again, no error
    assert t.reopened == 1 and len(FakeStream.opened) == 2
    assert t.queue.get_nowait().mic.shape == (BLOCK,)  # the new stream delivers
    t.check()


def test_stream_that_keeps_dying_is_a_device_error(started):
    t = started(deaths=99)
    for _ in range(audio_io.MAX_REOPEN):
        t.check()
    with pytest.raises(DeviceError, match="stopped delivering"):
        t.check()
    assert len(FakeStream.opened) == audio_io.MAX_REOPEN + 1


def test_stream_dead_after_delivering_is_a_device_error_not_reopened(started):
    t = started()
    t._stream.active = False  # the device vanished mid-call
    with pytest.raises(DeviceError):
        t.check()
    assert t.reopened == 0


def test_silence_after_delivering_is_a_device_error(started):
    t = started()
    t.check()
    t._last_cb = time.monotonic() - 6.0  # 6 s without a callback from a live stream
    with pytest.raises(DeviceError):
        t.check()
