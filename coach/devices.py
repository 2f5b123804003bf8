"""Sound devices through sounddevice (PortAudio): list, pick by name, play, record, stream.

Without a sound card, PortAudio still sees PulseAudio through ALSA's ``pulse`` device (and
``default``). Which PulseAudio sink/source that device uses is chosen by the ``PULSE_SINK`` /
``PULSE_SOURCE`` environment variables, read each time a stream is opened (see docs/speech.md);
:func:`pulse_route` sets them for one stream.

Errors: PortAudio missing (OSError on import) or no device at all -> :class:`DeviceError` with
one clear line.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from coach.envvars import temp_env
from coach.errors import DeviceError

_lock = threading.Lock()


_alsa_handler = None


def _quiet_alsa() -> None:
    """Silence alsa-lib's stderr chatter ("underrun occurred" from the pulse plugin on a busy
    machine); PortAudio still reports real errors as exceptions/status flags."""
    global _alsa_handler
    if _alsa_handler is not None or os.environ.get("COACH_ALSA_VERBOSE"):
        return
    try:
        import ctypes
        import ctypes.util

        lib = ctypes.cdll.LoadLibrary(ctypes.util.find_library("asound") or "libasound.so.2")
        proto = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                                 ctypes.c_int, ctypes.c_char_p)
        _alsa_handler = proto(lambda *args: None)
        lib.snd_lib_error_set_handler(_alsa_handler)
    except (OSError, AttributeError):
        _alsa_handler = False


def sd():
    """The sounddevice module, or DeviceError when PortAudio is missing."""
    try:
        import sounddevice
    except OSError as exc:
        raise DeviceError(f"PortAudio is not available ({exc}); install it with: "
                          "apt-get install libportaudio2") from exc
    _quiet_alsa()
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    hostapi: str
    max_input_channels: int
    max_output_channels: int
    default_samplerate: float
    default_input: bool = False
    default_output: bool = False

    @property
    def kinds(self) -> str:
        k = []
        if self.max_input_channels:
            k.append("in")
        if self.max_output_channels:
            k.append("out")
        return "/".join(k)


def refresh_devices() -> None:
    """Re-scan devices (PortAudio only enumerates them at initialisation)."""
    s = sd()
    with _lock:
        try:
            s._terminate()
            s._initialize()
        except Exception as exc:  # noqa: BLE001
            raise DeviceError(f"cannot re-initialise PortAudio: {exc}") from exc


def list_devices() -> list[DeviceInfo]:
    s = sd()
    try:
        devs = s.query_devices()
        apis = s.query_hostapis()
    except Exception as exc:  # noqa: BLE001 - PortAudioError and friends
        raise DeviceError(f"cannot query audio devices: {exc}") from exc
    try:
        din, dout = s.default.device
    except Exception:  # noqa: BLE001
        din = dout = -1
    out = []
    for d in devs:
        out.append(DeviceInfo(
            index=int(d["index"]), name=str(d["name"]),
            hostapi=str(apis[d["hostapi"]]["name"]) if d["hostapi"] < len(apis) else "?",
            max_input_channels=int(d["max_input_channels"]),
            max_output_channels=int(d["max_output_channels"]),
            default_samplerate=float(d["default_samplerate"]),
            default_input=int(d["index"]) == din, default_output=int(d["index"]) == dout))
    if not out:
        raise DeviceError("no audio devices found (no sound card and no PulseAudio server; "
                          "start one with: pulseaudio -D --exit-idle-time=-1)")
    return out


def find_device(name: str | int | None, kind: str = "input") -> int | None:
    """Index of the first device whose name contains ``name`` (case-insensitive) and that can
    do ``kind`` ("input"/"output"). None -> PortAudio's default. An int is taken as an index."""
    if name is None or name == "":
        return None
    devs = list_devices()
    key = "max_input_channels" if kind == "input" else "max_output_channels"
    if isinstance(name, int) or (isinstance(name, str) and name.isdigit()):
        idx = int(name)
        for d in devs:
            if d.index == idx and getattr(d, key) > 0:
                return idx
        raise DeviceError(f"no {kind} device with index {idx} (see: coach devices)")
    exact = [d for d in devs if d.name.lower() == str(name).lower() and getattr(d, key) > 0]
    if exact:
        return exact[0].index
    hits = [d for d in devs if str(name).lower() in d.name.lower() and getattr(d, key) > 0]
    if not hits:
        raise DeviceError(f"no {kind} device matches '{name}' (see: coach devices)")
    return hits[0].index


@contextlib.contextmanager
def pulse_route(sink: str | None = None, source: str | None = None) -> Iterator[None]:
    """Route streams opened inside the block (on ALSA's ``pulse``/``default`` device) to a
    PulseAudio sink / from a source by name. Process-wide env: open streams one at a time."""
    with temp_env(PULSE_SINK=sink or None, PULSE_SOURCE=source or None):
        yield


def _as_frames(samples: np.ndarray) -> np.ndarray:
    a = np.asarray(samples, dtype=np.float32)
    if a.ndim == 1:
        return a[:, None]
    return np.ascontiguousarray(a.T)  # (channels, n) -> (n, channels)


def play(samples: np.ndarray, sr: int, device: str | int | None = None,
         blocking: bool = True, latency: str | float = 0.2) -> None:
    """Play (channels, n) or (n,) float32 samples on an output device.

    ``latency`` 0.2 s by default: measured (with the earlier callback stream) through ALSA's
    pulse device on a loaded 2-core machine, "low" gave audible gaps (underruns) and sounddevice's default "high" lost audio;
    0.1-0.3 s played every sample. The end is padded with ``latency`` s of silence so the tail
    drains before the stream closes.

    The samples are written to a blocking stream, not handed to ``sounddevice.play`` (a
    callback stream). Measured through ALSA's pulse plugin on a null sink whose monitor was
    recorded with 50 ms latency: callback streams with periods of 46-50 ms (e.g. latency 0.2 s
    at 22.05 kHz) often underran at once, and every recovery restarts the PulseAudio stream with
    one period buffered (its prebuf), which underruns again: the callback is called back to
    back with "output underflow" and the whole clip is consumed in ~0.1 s without a sound (and
    ``sounddevice.play`` drops that status). Periods of 58 ms or more, and blocking writes with
    latencies "low" to 0.2 s (2-50 ms periods) played every sample in every run.

    Raises DeviceError when the device took the audio much faster than real time (it was
    dropped, not played) instead of returning as if it had been heard. ``blocking=False``
    plays from a background thread; its errors are not reported.
    """
    s = sd()
    dev = find_device(device, "output")
    frames = _as_frames(samples)
    pad = int(sr * latency) if isinstance(latency, (int, float)) else int(sr * 0.1)
    frames = np.concatenate([frames, np.zeros((pad, frames.shape[1]), np.float32)])
    where = device or "the default device"
    if not blocking:
        threading.Thread(target=_write_all, args=(s, frames, int(sr), dev, latency, where),
                         name="coach-play", daemon=True).start()
        return
    _write_all(s, frames, int(sr), dev, latency, where)


_CHUNK = 1024  # frames per blocking write


def _write_all(s, frames: np.ndarray, sr: int, dev, latency, where: str) -> None:
    underruns = 0
    try:
        with s.OutputStream(samplerate=sr, channels=frames.shape[1], dtype="float32",
                            device=dev, latency=latency) as stream:
            t0 = time.monotonic()
            for i in range(0, len(frames), _CHUNK):
                underruns += bool(stream.write(frames[i:i + _CHUNK]))
            elapsed = time.monotonic() - t0
            buffered = float(stream.latency or 0.0)
    except s.PortAudioError as exc:
        raise DeviceError(f"cannot play on {where}: {exc}") from exc
    # the writes return once the rest fits in the device buffer: real playback takes at least
    # (duration - buffer); far less means the device discarded the audio
    expected = len(frames) / sr - buffered
    if expected > 0.25 and elapsed < 0.5 * expected:
        raise DeviceError(f"the sound was dropped, not played: {where} took {len(frames) / sr:.1f} s "
                          f"of audio in {elapsed:.2f} s ({underruns} underruns)")


def record(seconds: float, sr: int = 16000, channels: int = 1,
           device: str | int | None = None) -> np.ndarray:
    """Record ``seconds`` from an input device; returns (channels, n) float32."""
    s = sd()
    dev = find_device(device, "input")
    try:
        data = s.rec(int(round(seconds * sr)), samplerate=int(sr), channels=channels,
                     dtype="float32", device=dev, blocking=True)
    except s.PortAudioError as exc:
        raise DeviceError(f"cannot record from {device or 'the default device'}: {exc}") from exc
    return np.ascontiguousarray(data.T)


def open_input(callback: Callable[[np.ndarray], None], sr: int = 16000, channels: int = 1,
               device: str | int | None = None, blocksize: int = 0):
    """An unstarted ``sounddevice.InputStream`` calling ``callback(block)`` with (channels, n)
    float32 blocks. Use as a context manager (``with open_input(cb) as stream: ...``)."""
    s = sd()
    dev = find_device(device, "input")

    def _cb(indata, frames, time, status):  # noqa: ARG001 - PortAudio signature
        # copy: PortAudio reuses its buffer after the callback returns (a (n, 1) -> (1, n)
        # transpose is already contiguous, so ascontiguousarray would return a view)
        callback(np.array(indata.T, dtype=np.float32, copy=True))

    try:
        return s.InputStream(samplerate=int(sr), channels=channels, dtype="float32", device=dev,
                             blocksize=blocksize, callback=_cb)
    except s.PortAudioError as exc:
        raise DeviceError(f"cannot open input {device or 'default'}: {exc}") from exc


def open_output(sr: int, channels: int = 1, device: str | int | None = None,
                blocksize: int = 0, callback=None, latency: str | float = 0.2):
    """An unstarted ``sounddevice.OutputStream`` (float32); pass ``callback`` for callback mode,
    otherwise write (n, channels) blocks with ``stream.write`` (``with`` starts and stops it).
    See :func:`play` for the latency default."""
    s = sd()
    dev = find_device(device, "output")
    try:
        return s.OutputStream(samplerate=int(sr), channels=channels, dtype="float32", device=dev,
                              blocksize=blocksize, callback=callback, latency=latency)
    except s.PortAudioError as exc:
        raise DeviceError(f"cannot open output {device or 'default'}: {exc}") from exc
