"""Real sounddevice (PortAudio -> ALSA "pulse" -> PulseAudio null sinks), no sound card."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from speech_media import best_lag, envelope_corr

from coach import audio, devices, stt
from coach.wer import words

pytestmark = [pytest.mark.integration, pytest.mark.slow]
SR = 16000


class Recorder:
    """An input stream on a sink's monitor that collects blocks once it delivers samples."""

    def __init__(self, pulse, source: str):
        self.blocks: list[np.ndarray] = []
        self.first = threading.Event()
        with pulse.route(source=source):
            self.stream = devices.open_input(self._cb, sr=SR, channels=1, device="pulse")
        self.stream.start()

    def _cb(self, block):
        self.blocks.append(block)
        self.first.set()

    def wait_ready(self, timeout: float = 6.0) -> float:
        t = time.monotonic()
        assert self.first.wait(timeout), "the input stream delivered no samples"
        return time.monotonic() - t

    def stop(self) -> np.ndarray:
        self.stream.stop()
        self.stream.close()
        return np.concatenate(self.blocks, axis=1)[0] if self.blocks else np.zeros(0)


def _probe() -> np.ndarray:
    t = np.arange(SR) / SR
    chirp = 0.3 * np.sin(2 * np.pi * (300 + 450 * t) * t) * np.hanning(SR)
    beeps = 0.2 * np.sign(np.sin(2 * np.pi * 200 * t[: SR // 2]))
    return np.concatenate([chirp, np.zeros(SR // 4), beeps]).astype(np.float32)


def test_play_into_sink_and_record_its_monitor(pulse):
    sink = pulse.new_sink("loop")
    rec = Recorder(pulse, pulse.monitor(sink))
    rec.wait_ready()
    sig = _probe()
    with pulse.route(sink=sink):
        devices.play(sig, SR, device="pulse")
    time.sleep(0.5)
    got = rec.stop()
    lag = best_lag(got, sig)
    assert lag >= 0, lag
    seg = got[lag: lag + len(sig)]
    assert len(seg) == len(sig), "recording ended before the played sound"
    assert np.corrcoef(seg, sig)[0, 1] > 0.9
    level = np.sqrt(np.mean(seg ** 2)) / np.sqrt(np.mean(sig ** 2))
    assert 0.7 < level < 1.4  # same loudness (within ~3 dB)


def test_streams_are_routed_to_the_named_sink_only(pulse):
    a, b = pulse.new_sink("a"), pulse.new_sink("b")
    rec_a = Recorder(pulse, pulse.monitor(a))
    rec_b = Recorder(pulse, pulse.monitor(b))
    rec_a.wait_ready()
    rec_b.wait_ready()
    sig = _probe()
    with pulse.route(sink=a):
        devices.play(sig, SR, device="pulse")
    time.sleep(0.5)
    got_a, got_b = rec_a.stop(), rec_b.stop()
    assert np.abs(got_a).max() > 0.15
    assert np.abs(got_b).max() < 1e-3, "sound leaked into the other sink"


def test_speech_played_and_recorded_is_still_understood(pulse, shared_dir):
    sink = pulse.new_sink("speech")
    speech = audio.load(shared_dir / "audio" / "stereo_diarization.wav", sr=SR).samples[0]
    rec = Recorder(pulse, pulse.monitor(sink))
    rec.wait_ready()
    with pulse.route(sink=sink):
        devices.play(speech, SR, device="pulse")
    time.sleep(0.4)
    got = rec.stop()
    lag = best_lag(got, speech)
    assert envelope_corr(speech, got[max(lag, 0):], SR) > 0.9
    segs = stt.load_transcriber("tiny.en").transcribe(got, stt.LIVE)
    heard = set(words(" ".join(s.text for s in segs)))
    assert {"confused", "complaint", "wizard", "curtain"} <= heard, heard


def test_find_device_by_name(pulse):
    pulse.new_sink("find")
    idx = devices.find_device("pulse", "output")
    assert isinstance(idx, int) and devices.find_device("PULSE", "input") == idx
    assert devices.find_device(None) is None
    from coach.errors import DeviceError

    with pytest.raises(DeviceError, match="no input device matches 'no-such-mic'"):
        devices.find_device("no-such-mic", "input")


def test_blocking_record_and_output_stream(pulse):
    """``devices.record`` (sd.rec) captures what an ``open_output`` stream writes to the sink."""
    sink = pulse.new_sink("rec")
    sig = _probe()
    result = {}

    def rec():
        with pulse.route(source=pulse.monitor(sink)):
            result["x"] = devices.record(6.0, sr=SR, channels=1, device="pulse")

    th = threading.Thread(target=rec)
    th.start()
    time.sleep(3.0)  # the monitor needs up to ~2.3 s before it delivers samples
    with pulse.route(sink=sink):
        out = devices.open_output(SR, channels=1, device="pulse")
    with out:
        out.write(np.concatenate([sig, np.zeros(SR // 2, np.float32)])[:, None])
    th.join(timeout=15)
    got = result["x"]
    assert got.shape[0] == 1 and got.shape[1] == 6 * SR
    lag = best_lag(got[0], sig)
    seg = got[0][lag: lag + len(sig)]
    assert len(seg) == len(sig) and np.corrcoef(seg, sig)[0, 1] > 0.9
