"""The session recorder: everything is written as it happens, so a crash loses at most ~1 s.

* ``session.wav``: stereo 16-bit PCM at 16 kHz, channel 0 the agent's microphone, channel 1 the
  persona as actually played, sample-aligned. Data is appended block by block; the RIFF header
  sizes are rewritten and the file flushed (and fsync'ed) about once a second.
* ``events.jsonl``: one JSON object per line (``t`` = seconds of session audio, ``type``, ...),
  flushed after every line.

After ``kill -9`` the header may be up to a second stale: :func:`repair_wav` fixes it in place
from the file length, and :func:`read_session_wav` / :func:`read_events` read what is there
(tolerating a half-written last frame or line).
"""

from __future__ import annotations

import json
import os
import struct
import time
from pathlib import Path
from typing import Any, Iterator

import numpy as np

SR = 16000
CHANNELS = 2
SAMPLE_BYTES = 2
HEADER_BYTES = 44


def _header(n_frames: int, channels: int = CHANNELS, sr: int = SR) -> bytes:
    data = n_frames * channels * SAMPLE_BYTES
    return b"RIFF" + struct.pack("<I", 36 + data) + b"WAVE" + b"fmt " + struct.pack(
        "<IHHIIHH", 16, 1, channels, sr, sr * channels * SAMPLE_BYTES, channels * SAMPLE_BYTES,
        8 * SAMPLE_BYTES) + b"data" + struct.pack("<I", data)


def to_pcm16(x: np.ndarray) -> np.ndarray:
    return (np.clip(np.asarray(x, np.float32), -1.0, 1.0) * 32767.0).astype("<i2")


class IncrementalWav:
    """Append-only stereo WAV whose header is kept (nearly) current."""

    def __init__(self, path: Path, channels: int = CHANNELS, sr: int = SR, sync_every_s: float = 1.0):
        self.path = Path(path)
        self.channels, self.sr = channels, sr
        self.frames = 0
        self._f = open(self.path, "wb")
        self._f.write(_header(0, channels, sr))
        self._f.flush()
        self._sync_every = int(sync_every_s * sr)
        self._since_sync = 0

    def write(self, *channels: np.ndarray) -> None:
        """Append one block: one array per channel, all the same length."""
        n = len(channels[0])
        inter = np.empty((n, self.channels), "<i2")
        for i, ch in enumerate(channels):
            inter[:, i] = to_pcm16(ch)
        self._f.write(inter.tobytes())
        self.frames += n
        self._since_sync += n
        if self._since_sync >= self._sync_every:
            self.sync()

    def sync(self) -> None:
        self._since_sync = 0
        pos = self._f.tell()
        self._f.seek(0)
        self._f.write(_header(self.frames, self.channels, self.sr))
        self._f.seek(pos)
        self._f.flush()
        try:
            os.fsync(self._f.fileno())
        except OSError:  # pragma: no cover - e.g. a pipe or exotic filesystem
            pass

    def close(self) -> None:
        if not self._f.closed:
            self.sync()
            self._f.close()


def repair_wav(path: str | os.PathLike) -> int:
    """Make the RIFF/data sizes of a PCM WAV written by :class:`IncrementalWav` match the file
    (drop a half-written last frame). Returns the number of frames. Safe on an intact file."""
    path = Path(path)
    with open(path, "r+b") as f:
        head = f.read(HEADER_BYTES)
        if len(head) < HEADER_BYTES or head[:4] != b"RIFF" or head[12:16] != b"fmt " \
                or head[36:40] != b"data":
            from coach.errors import AudioError

            raise AudioError("not a session WAV (unexpected header)", path)
        channels, _sr = struct.unpack("<HI", head[22:28])
        bits = struct.unpack("<H", head[34:36])[0]
        frame = channels * bits // 8
        size = os.fstat(f.fileno()).st_size
        frames = (size - HEADER_BYTES) // frame
        data = frames * frame
        if struct.unpack("<I", head[40:44])[0] != data or struct.unpack("<I", head[4:8])[0] != 36 + data:
            f.seek(4)
            f.write(struct.pack("<I", 36 + data))
            f.seek(40)
            f.write(struct.pack("<I", data))
        if size != HEADER_BYTES + data:
            f.truncate(HEADER_BYTES + data)
    return frames


def read_session_wav(path: str | os.PathLike, repair: bool = True) -> tuple[np.ndarray, int]:
    """Read a session WAV as float32 ``(channels, n)``, repairing a stale header first."""
    path = Path(path)
    if repair:
        try:
            repair_wav(path)
        except PermissionError:  # read-only copy: read the data without touching the file
            pass
    raw = path.read_bytes()
    channels, sr = struct.unpack("<HI", raw[22:28])
    data = np.frombuffer(raw[HEADER_BYTES:], "<i2")
    data = data[: len(data) // channels * channels]
    return (data.reshape(-1, channels).T.astype(np.float32) / 32768.0), sr


class EventLog:
    """``events.jsonl`` writer: one flushed line per event."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._f = open(self.path, "w", encoding="utf-8", buffering=1)
        self._last_sync = time.monotonic()

    def write(self, event: dict[str, Any]) -> None:
        if self._f.closed:
            return
        self._f.write(json.dumps(event, ensure_ascii=False, default=_jsonable) + "\n")
        self._f.flush()
        now = time.monotonic()
        if now - self._last_sync > 1.0:
            self._last_sync = now
            try:
                os.fsync(self._f.fileno())
            except OSError:  # pragma: no cover
                pass

    def close(self) -> None:
        if not self._f.closed:
            self._f.flush()
            self._f.close()


def _jsonable(obj: Any) -> Any:
    from coach.types import to_dict

    if hasattr(obj, "__dataclass_fields__"):
        return to_dict(obj)
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    return str(obj)


def read_events(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    """Events of a (possibly crashed) session; a half-written last line is skipped."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                continue


class SessionRecorder:
    """``DIR/session.wav`` + ``DIR/events.jsonl`` for one practice session."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.wav = IncrementalWav(self.folder / "session.wav")
        self.events = EventLog(self.folder / "events.jsonl")

    def audio(self, mic: np.ndarray, out: np.ndarray) -> None:
        self.wav.write(mic, out)

    def event(self, event: dict[str, Any]) -> None:
        self.events.write(event)

    def close(self) -> None:
        self.wav.close()
        self.events.close()


__all__ = ["IncrementalWav", "EventLog", "SessionRecorder", "repair_wav", "read_session_wav",
           "read_events", "to_pcm16"]
