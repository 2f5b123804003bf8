"""Synthetic stereo calls with known timing, for the metrics tests and benchmark.

Each utterance is spoken by real espeak-ng (``coach.tts.get_voice``, else the ``espeak-ng``
command), trimmed of leading and trailing silence so that the interval where it is placed is the
true speech, and mixed into its party's channel (0 = agent, 1 = customer) at a chosen time.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coach.types import Interval

SR = 16000
TRIM_DBFS = -40.0  # samples quieter than this at the ends of a clip are silence


def _resample(x: np.ndarray, sr_in: int, sr_out: int) -> np.ndarray:
    if sr_in == sr_out:
        return x.astype(np.float32)
    try:
        from coach.audio import resample

        return np.asarray(resample(x, sr_in, sr_out), dtype=np.float32)
    except ImportError:
        n = int(round(len(x) * sr_out / sr_in))
        return np.interp(np.arange(n) * sr_in / sr_out, np.arange(len(x)), x).astype(np.float32)


def _espeak_cli(text: str, lang: str) -> tuple[np.ndarray, int]:
    import soundfile as sf

    exe = shutil.which("espeak-ng")
    if exe is None:
        raise RuntimeError("espeak-ng is not installed")
    voice = {"en": "en-us", "fi": "fi"}.get(lang, lang)
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "clip.wav"
        subprocess.run([exe, "-v", voice, "-w", str(out), text], check=True, capture_output=True)
        x, sr = sf.read(out, dtype="float32")
    return x, sr


@functools.lru_cache(maxsize=512)
def speech(text: str, lang: str = "en") -> np.ndarray:
    """``text`` spoken by espeak-ng at 16 kHz, leading/trailing silence trimmed (read-only)."""
    try:
        from coach.tts import get_voice

        x, sr = get_voice(lang, engine="espeak").synthesize(text)
    except ImportError:
        x, sr = _espeak_cli(text, lang)
    x = _resample(np.asarray(x, dtype=np.float32), sr, SR)
    loud = np.flatnonzero(np.abs(x) > 10 ** (TRIM_DBFS / 20))
    if not loud.size:
        raise RuntimeError(f"espeak-ng produced silence for {text!r}")
    x = x[loud[0] : loud[-1] + 1].copy()
    x.setflags(write=False)
    return x


@dataclass
class Call:
    """A stereo call being put together: ``say`` places speech, ``truth`` has the intervals."""

    lang: str = "en"
    placed: list[tuple[int, float, np.ndarray]] = field(default_factory=list)
    truth: dict[int, list[Interval]] = field(default_factory=lambda: {0: [], 1: []})

    def say(self, channel: int, text: str, at: float) -> Interval:
        return self.place(channel, speech(text, self.lang), at)

    def place(self, channel: int, x: np.ndarray, at: float) -> Interval:
        """Put 16 kHz samples ``x`` (already trimmed) in ``channel`` at ``at`` seconds."""
        start = round(at * SR) / SR
        iv = Interval(start, start + len(x) / SR)
        self.placed.append((channel, start, x))
        self.truth[channel].append(iv)
        return iv

    @property
    def end(self) -> float:
        return max((iv.end for ivs in self.truth.values() for iv in ivs), default=0.0)

    def render(self, tail_s: float = 1.0, noise_dbfs: float | None = None, seed: int = 0) -> np.ndarray:
        """(2, n) float32 at 16 kHz; optional white noise floor on both channels."""
        n = int(np.ceil((self.end + tail_s) * SR))
        out = np.zeros((2, n), dtype=np.float32)
        for ch, start, x in self.placed:
            i = int(round(start * SR))
            out[ch, i : i + len(x)] += x
        if noise_dbfs is not None:
            rng = np.random.default_rng(seed)
            out += (rng.standard_normal(out.shape) * 10 ** (noise_dbfs / 20)).astype(np.float32)
        np.clip(out, -1.0, 1.0, out=out)
        return out

    def intervals(self) -> dict[int, list[Interval]]:
        return {ch: sorted(ivs, key=lambda iv: iv.start) for ch, ivs in self.truth.items()}


def recorded(path: Path) -> np.ndarray:
    """A recorded clip (any rate/channels) as 16 kHz mono, leading/trailing silence trimmed."""
    import soundfile as sf

    x, sr = sf.read(str(path), dtype="float32", always_2d=True)
    x = _resample(x.mean(axis=1), sr, SR)
    loud = np.flatnonzero(np.abs(x) > 10 ** (TRIM_DBFS / 20))
    return x[loud[0] : loud[-1] + 1].copy()


def write(path: Path, samples: np.ndarray, sr: int = SR, subtype: str = "PCM_16") -> Path:
    """Write (channels, n) samples at 16 kHz as WAV, resampled to ``sr`` first if needed."""
    import soundfile as sf

    if sr != SR:
        samples = np.stack([_resample(ch, SR, sr) for ch in samples])
    sf.write(str(path), np.clip(samples, -1, 1).T, sr, subtype=subtype, format="WAV")
    return path


# ---------------------------------------------------------------- the reference scenario
AGENT, CUSTOMER = 0, 1


def support_call(lang: str = "en", offset: float = 0.5) -> tuple[Call, dict]:
    """A one-minute support call with pauses, backchannels, an interruption and a long hold.

    Returns the call and what it contains by design (for the tests' exact assertions).
    """
    c = Call(lang=lang)
    say = c.say
    a = say(AGENT, "Thank you for calling the service desk, how can I help you today?", offset)
    # the customer's story: three sentences with own pauses under two seconds
    s1 = say(CUSTOMER, "I ordered a washing machine three weeks ago and it still has not arrived", a.end + 0.6)
    say(AGENT, "mm hmm", s1.end + 0.2)  # a backchannel in the customer's pause
    s2 = say(CUSTOMER, "The tracking page has said out for delivery since Monday", s1.end + 1.2)
    s3 = say(CUSTOMER, "Nobody has called me and I took two days off work to wait for it", s2.end + 0.8)
    # the agent answers after 1.5 s of patience
    a2 = say(AGENT, "I am so sorry about this, that sounds really frustrating", s3.end + 1.5)
    a3 = say(AGENT, "Let me check the order for you right now", a2.end + 0.9)
    c2 = say(CUSTOMER, "It is order number four four one one", a3.end + 0.7)
    # the customer goes on; the agent talks over them 2 s in: an interruption
    c3 = say(CUSTOMER, "And honestly I am thinking about cancelling the whole thing because of this", c2.end + 0.5)
    a4 = say(AGENT, "Please wait, I can see the order here", c3.start + 2.0)
    # a hold: seven seconds of silence
    m1 = say(AGENT, "The delivery failed because the address was missing the flat number", max(c3.end, a4.end) + 7.0)
    say(CUSTOMER, "okay", m1.end + 0.3)  # backchannel in the agent's pause
    m2 = say(AGENT, "I have corrected it and booked a new delivery for tomorrow between eight and twelve", m1.end + 0.9)
    m3 = say(AGENT, "You will get a text message with the phone number of the driver in the morning", m2.end + 1.0)
    c4 = say(CUSTOMER, "Tomorrow morning is fine, thank you", m3.end + 0.4)
    a5 = say(AGENT, "Is there anything else I can help you with", c4.end + 0.6)
    c5 = say(CUSTOMER, "No that is all, thank you very much for your help", a5.end + 0.5)
    # the agent starts 0.2 s into the customer's words: too early to be an interruption
    say(AGENT, "Thank you for calling, goodbye", c5.start + 0.2)
    design = {"interruptions": 1, "long_silences": 1, "hold_start": max(c3.end, a4.end)}
    return c, design


# ---------------------------------------------------------------- long calls on disk
def write_long(path: Path, call: np.ndarray, seconds: float, gap_s: float = 4.0,
               sr: int = SR, subtype: str = "PCM_16") -> tuple[Path, int]:
    """Write a long stereo file: ``call`` repeated with ``gap_s`` of silence, block by block
    (memory: one repetition). Returns the path and how many whole repetitions it holds."""
    import soundfile as sf

    if sr != SR:
        call = np.stack([_resample(ch, SR, sr) for ch in call])
    gap = np.zeros((call.shape[0], int(gap_s * sr)), dtype=np.float32)
    unit = np.concatenate([call, gap], axis=1)
    total = int(seconds * sr)
    reps, written = 0, 0
    with sf.SoundFile(str(path), "w", samplerate=sr, channels=call.shape[0], subtype=subtype,
                      format="WAV") as f:
        while written < total:
            part = unit[:, : total - written]
            f.write(np.clip(part, -1, 1).T)
            written += part.shape[1]
            reps += part.shape[1] == unit.shape[1]
    return path, reps


# Run in a fresh interpreter: peak RSS growth while streaming a file through VAD + metrics,
# measured after a warm-up on a short file that already uses full-size blocks.
MEMORY_PROBE = r"""
import json, resource, sys, time
from coach import vad
from coach.metrics import from_intervals
warm, path = sys.argv[1], sys.argv[2]
vad.channel_intervals(warm)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
iv = vad.channel_intervals(path)
m = from_intervals(iv.get(0, []), iv.get(1, []))
secs = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_mib": base / 1024, "peak_mib": peak / 1024,
                  "growth_mib": (peak - base) / 1024, "seconds": secs,
                  "intervals": [len(iv.get(0, [])), len(iv.get(1, []))],
                  "interruptions": m.interruptions, "talk_ratio": m.talk_ratio}))
"""
