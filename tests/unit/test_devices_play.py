"""coach.devices.play without a sound card: a fake sounddevice whose stream either plays at real
time or swallows the audio at once (what ALSA's pulse plugin did in an underrun cascade)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from coach import devices
from coach.errors import DeviceError


class FakeStream:
    def __init__(self, sd, samplerate, channels, dtype, device, latency):
        assert dtype == "float32"
        self.sd, self.sr, self.latency = sd, samplerate, float(latency)
        self.written = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.sd.streams.append(self)

    def write(self, block):
        assert block.ndim == 2 and block.dtype == np.float32
        self.written += len(block)
        if self.sd.realtime:  # block until all but the device buffer has been played
            behind = self.written / self.sr - self.latency - (time.monotonic() - self.sd.t0)
            if behind > 0:
                time.sleep(behind)
            return False
        return True  # underflow reported, nothing waited for: the audio went nowhere


class FakeSD:
    class PortAudioError(Exception):
        pass

    def __init__(self, realtime: bool):
        self.realtime = realtime
        self.streams: list[FakeStream] = []
        self.t0 = 0.0

    def OutputStream(self, **kw):  # noqa: N802 - sounddevice's name
        self.t0 = time.monotonic()
        return FakeStream(self, **kw)


@pytest.fixture
def fake(monkeypatch):
    def make(realtime: bool) -> FakeSD:
        sd = FakeSD(realtime)
        monkeypatch.setattr(devices, "sd", lambda: sd)
        monkeypatch.setattr(devices, "find_device", lambda name, kind="output": None)
        return sd

    return make


def test_audio_played_at_real_time_passes_and_is_padded(fake):
    sd = fake(realtime=True)
    x = np.zeros(8000, np.float32)  # 1 s at 8 kHz
    t = time.monotonic()
    devices.play(x, 8000, latency=0.2)
    assert sd.streams[0].written == 8000 + 1600  # 0.2 s of silence after the sound
    assert time.monotonic() - t >= 0.9


def test_audio_swallowed_at_once_is_an_error_not_silence(fake):
    fake(realtime=False)
    with pytest.raises(DeviceError, match=r"dropped, not played: the default device took 3\.2 s of audio"):
        devices.play(np.zeros(3 * 8000, np.float32), 8000, latency=0.2)


def test_very_short_sounds_are_not_judged(fake):
    fake(realtime=False)
    devices.play(np.zeros(800, np.float32), 8000, latency=0.2)  # 0.3 s: shorter than can be told


def test_portaudio_error_is_one_device_error(fake, monkeypatch):
    sd = fake(realtime=True)

    def broken(**kw):
        raise sd.PortAudioError("Device unavailable")

    monkeypatch.setattr(sd, "OutputStream", broken)
    with pytest.raises(DeviceError, match="cannot play on pulse: Device unavailable"):
        devices.play(np.zeros(8000, np.float32), 8000, device="pulse")
