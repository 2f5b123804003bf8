"""Where audio enters and leaves the loop: a player for the persona and two transports.

Every transport delivers :class:`Block` objects: the agent's microphone samples and the
persona samples that were played *at the same time*, so the recorder can write both channels
sample-aligned. The persona audio comes from :class:`Player`, which is pulled exactly once per
block (from the device callback, or from the WAV pacing thread).

* :class:`WavTransport` streams a recording as the microphone at real-time pace (or as fast as
  the loop consumes it with ``realtime=False``: the "simulated clock" used by soak tests).
* :class:`DeviceTransport` opens a sounddevice stream: full duplex (microphone + speaker) or
  input only when the persona's audio goes to a file (``--output-wav``). Overflows are counted.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coach.errors import DeviceError

SR = 16000
BLOCK = 512  # 32 ms


@dataclass
class Block:
    index: int  # block number; samples [index*BLOCK, (index+1)*BLOCK)
    mic: np.ndarray
    out: np.ndarray
    played: list = field(default_factory=list)  # (utterance id, "start"|"end"|"stop", offset)
    last: bool = False  # the input has ended


class Player:
    """The persona's voice: one utterance at a time, pulled block by block; stoppable."""

    def __init__(self):
        self._lock = threading.Lock()
        self._audio: np.ndarray | None = None
        self._pos = 0
        self._id = 0
        self._stop = False
        self.utterance = 0  # id of the last started utterance

    def start(self, audio: np.ndarray) -> int:
        with self._lock:
            self._id += 1
            self._audio = np.asarray(audio, np.float32).reshape(-1)
            self._pos = 0
            self._stop = False
            self.utterance = self._id
            return self._id

    def stop(self) -> None:
        with self._lock:
            if self._audio is not None:
                self._stop = True

    @property
    def sounding(self) -> bool:
        """The current utterance has handed samples to the output: it will be heard even if
        stopped now (the output buffer plays them)."""
        with self._lock:
            return self._audio is not None and self._pos > 0

    @property
    def active(self) -> bool:
        with self._lock:
            return self._audio is not None

    def pull(self, n: int) -> tuple[np.ndarray, list]:
        out = np.zeros(n, np.float32)
        events: list = []
        with self._lock:
            a = self._audio
            if a is None:
                return out, events
            if self._stop:
                events.append((self._id, "stop", 0, self._pos))
                self._audio = None
                return out, events
            if self._pos == 0:
                events.append((self._id, "start", 0, 0))
            k = min(n, len(a) - self._pos)
            out[:k] = a[self._pos:self._pos + k]
            self._pos += k
            if self._pos >= len(a):
                events.append((self._id, "end", k, self._pos))
                self._audio = None
        return out, events


class WavTransport:
    """A recording played as the microphone; the persona's audio is captured, not played."""

    def __init__(self, path: Path, player: Player, realtime: bool = True, tail_s: float = 0.0):
        from coach.live.engines import load_mono16k

        self.samples = load_mono16k(path)
        self.player = player
        self.realtime = realtime
        self.tail = int(tail_s * SR)
        self.overflows = 0
        self.queue: queue.Queue[Block] = queue.Queue(maxsize=0 if realtime else 1)
        self._thread: threading.Thread | None = None
        self._halt = threading.Event()
        self.duration = len(self.samples) / SR

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="wav-source", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        x = self.samples
        total = len(x) + self.tail
        t0 = time.perf_counter()
        i = 0
        pending: tuple[np.ndarray, list] = (np.zeros(BLOCK, np.float32), [])
        while not self._halt.is_set() and i * BLOCK < total:
            if self.realtime:
                due = t0 + (i + 1) * BLOCK / SR  # a block is available once it has "happened"
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            mic = np.zeros(BLOCK, np.float32)
            seg = x[i * BLOCK:(i + 1) * BLOCK]
            mic[:len(seg)] = seg
            # what the player hands out now is heard during the *next* block (a one-block output
            # buffer, as with a sound card), so the recording never shows a reply earlier than
            # it could have been played
            out, played = pending
            pending = self.player.pull(BLOCK)
            last = (i + 1) * BLOCK >= total
            blk = Block(i, mic, out, played, last)
            while not self._halt.is_set():
                try:
                    self.queue.put(blk, timeout=0.1)
                    break
                except queue.Full:
                    continue
            i += 1

    def stop(self) -> None:
        self._halt.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


STARTUP_GRACE_S = 20.0  # how long a device may take to deliver its first block
MAX_REOPEN = 2  # times a stream that died before its first block is opened again


class DeviceTransport:
    """Microphone (and speaker) through sounddevice. Duplex keeps both channels aligned."""

    def __init__(self, player: Player, input_device=None, output_device=None, play: bool = True):
        self.player = player
        self.play = play
        self.input_device, self.output_device = input_device, output_device
        self.queue: queue.Queue[Block] = queue.Queue()
        self.overflows = 0
        self.underflows = 0
        self.error: str | None = None
        self._i = 0
        self._stream = None
        self._last_cb = time.monotonic()
        self._delivered = False  # the device has delivered its first block
        self.reopened = 0  # times the stream was opened again after dying before its first block

    def _callback(self, indata, outdata, frames, time_info, status):  # noqa: ARG002
        if status:
            if status.input_overflow:
                self.overflows += 1
            if getattr(status, "output_underflow", False):
                self.underflows += 1
        self._last_cb = time.monotonic()
        self._delivered = True
        mic = np.array(indata[:, 0], np.float32)
        out, played = self.player.pull(frames)
        if outdata is not None:
            outdata[:, 0] = out
        self.queue.put(Block(self._i, mic, out, played))
        self._i += 1

    def start(self) -> None:
        from coach.devices import find_device, sd

        s = sd()
        self._quiet_stderr()
        try:
            din = find_device(self.input_device, "input")
            if self.play:
                dout = find_device(self.output_device, "output")
                self._stream = s.Stream(samplerate=SR, blocksize=BLOCK, channels=(1, 1),
                                        dtype="float32", device=(din, dout),
                                        callback=self._callback, latency="low")
            else:
                self._stream = s.InputStream(
                    samplerate=SR, blocksize=BLOCK, channels=1, dtype="float32", device=din,
                    latency="low",
                    callback=lambda i, f, t, st: self._callback(i, None, f, t, st))
            # reset before start: the first callback may come before start() returns
            self._last_cb = time.monotonic()
            self._delivered = False
            self._stream.start()
        except DeviceError:
            raise
        except Exception as exc:  # noqa: BLE001 - PortAudioError, ValueError...
            raise DeviceError(f"cannot open the audio device: {exc}") from exc

    def check(self) -> None:
        """Raise DeviceError when the stream died or stopped delivering (device vanished)."""
        st = self._stream
        if st is None:
            return
        if not st.active and not self._delivered and self.reopened < MAX_REOPEN:
            # the stream stopped before its first block: PortAudio's ALSA layer gives up when an
            # xrun at start cannot be recovered (seen through ALSA's pulse plugin on a loaded
            # machine); open it again rather than end the call before it began
            self.reopened += 1
            self.stop()
            self.start()
            return
        # a device may take a while to deliver its first block (an idle PulseAudio monitor was
        # seen to take over 5 s on a loaded machine); once it delivers, 5 s of silence means gone
        limit = 5.0 if self._delivered else STARTUP_GRACE_S
        if not st.active or time.monotonic() - self._last_cb > limit:
            raise DeviceError("the audio device stopped delivering sound (unplugged or vanished?)")

    def stop(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._stream = None
        self._restore_stderr()

    # PortAudio's ALSA layer prints C-level diagnostics (xruns, a vanished device) straight to
    # file descriptor 2; they are caught while the stream runs and only non-PortAudio lines are
    # passed on afterwards, so a device problem ends in one clear line.
    _NOISE = ("Expression '", "ALSA lib ", "PaAlsaStream", "Cannot connect to server")

    def _quiet_stderr(self) -> None:
        import os
        import sys
        import tempfile

        try:
            sys.stderr.flush()
            self._saved_fd = os.dup(2)
            self._capture = tempfile.TemporaryFile()
            os.dup2(self._capture.fileno(), 2)
        except OSError:  # pragma: no cover - no fd 2
            self._saved_fd = None

    def _restore_stderr(self) -> None:
        import os
        import sys

        fd = getattr(self, "_saved_fd", None)
        if fd is None:
            return
        self._saved_fd = None
        sys.stderr.flush()
        os.dup2(fd, 2)
        os.close(fd)
        self._capture.seek(0)
        text = self._capture.read().decode("utf-8", "replace")
        self._capture.close()
        keep = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith(self._NOISE)]
        if keep:
            print("\n".join(keep), file=sys.stderr)


__all__ = ["Block", "Player", "WavTransport", "DeviceTransport", "BLOCK", "SR"]
