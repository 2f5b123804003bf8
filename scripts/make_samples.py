#!/usr/bin/env python3
"""Generate the demo calls in audio_samples/: short stereo calls, agent left, customer right.

Voices come from espeak-ng (agent en-us / customer en-gb at a different pitch; Finnish with the
fi voice at two pitches). Each call is written as 16 kHz FLAC plus its exact transcript
(``audio_samples/transcripts/<name>.json``: the lines and the times they were placed at).
Deterministic: the same espeak-ng gives the same files.

    .venv/bin/python scripts/make_samples.py [--out audio_samples]

File names follow ``<agent>_<YYYY-MM-DD>_<what>_<lang>.flac`` so that ``coach assess`` reads the
agent id, the date and the language from them.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

SR = 16000

# (speaker, gap, text): gap = seconds after the previous line ended; a string "+S" instead starts
# the line S seconds after the previous line *started* (talking over it: an interruption)
CALLS: dict[str, dict] = {
    "anna_2026-11-20_good_en": {
        "lang": "en", "voices": {"agent": ("en-us", 45, 165), "customer": ("en-gb", 70, 170)},
        "lines": [
            ("agent", 0.4, "Hello, thank you for calling Northwind Parcels, my name is Anna. How can I help you today?"),
            ("customer", 0.6, "Hi. My parcel was supposed to arrive last Tuesday and it still hasn't come. "
                              "I've waited at home two days for it and nobody answers my emails."),
            ("agent", 0.9, "Thank you for telling me, and I completely understand how frustrating that is. "
                           "I'm really sorry for the delay and for the wait at home."),
            ("customer", 0.5, "So where is it?"),
            ("agent", 1.0, "Could you give me the tracking number, please?"),
            ("customer", 0.7, "It's N W four four two one."),
            ("agent", 1.4, "Thanks. I can see it is at the local depot. I'll book it on tomorrow's first "
                           "van, so it arrives before twelve noon, and I'll email you the tracking link today."),
            ("customer", 0.6, "Okay, that's good. Thank you."),
            ("agent", 0.7, "Is there anything else I can help you with?"),
            ("customer", 0.5, "No, that's all."),
            ("agent", 0.5, "Thanks for your patience, and have a good day."),
        ],
    },
    "ben_2026-11-20_poor_en": {
        "lang": "en", "voices": {"agent": ("en-us", 30, 185), "customer": ("en-gb-x-rp", 75, 165)},
        "lines": [
            ("agent", 0.4, "Northwind."),
            ("customer", 0.6, "Hi, my parcel is a week late and I'm really fed up. I've called three times "
                              "already and every time I'm told something different."),
            ("agent", 0.3, "Yeah, parcels are late sometimes, there are lots of reasons for that, the depots are "
                           "busy this time of year and the drivers have long routes, and then there is the "
                           "weather, and the system doesn't always update the tracking, so it's hard to say."),
            ("customer", 0.5, "But where is my parcel?"),
            ("agent", 8.5, "I don't know."),
            ("customer", 0.4, "You don't know? I have waited a whole week, I took two days off work, and "
                              "nobody can tell me anything at all about"),
            ("agent", "+2.2", "Look, we'll look into it at some point. Maybe call back later."),
            ("customer", 0.6, "This is useless."),
        ],
    },
    "sanna_2026-11-21_good_fi": {
        "lang": "fi", "voices": {"agent": ("fi", 55, 150), "customer": ("fi", 25, 155)},
        "lines": [
            ("agent", 0.4, "Hyvää päivää, Pohjolan Paketti, Sanna puhelimessa. Kuinka voin auttaa?"),
            ("customer", 0.6, "Pakettini piti tulla viime viikolla, mutta se ei ole vieläkään tullut. "
                              "Olen odottanut kotona kaksi päivää."),
            ("agent", 0.9, "Kiitos, että kerroit tästä. Ymmärrän hyvin, että tämä harmittaa. "
                           "Pahoittelen viivästystä."),
            ("customer", 0.5, "Missä paketti on?"),
            ("agent", 1.2, "Paketti on paikallisessa varastossa. Lähetän sen huomenna aamulla, "
                           "ja se on perillä ennen kahtatoista."),
            ("customer", 0.6, "Hyvä, kiitos."),
            ("agent", 0.6, "Voinko auttaa vielä jossakin muussa? Kiitos soitostasi ja hyvää päivänjatkoa."),
        ],
    },
}


def speak(text: str, voice: str, pitch: int, speed: int) -> np.ndarray:
    wav = subprocess.run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "--stdout", text],
                         check=True, capture_output=True).stdout
    x, sr = sf.read(io.BytesIO(wav), dtype="float32")
    if x.ndim > 1:
        x = x.mean(axis=1)
    if sr != SR:
        from scipy.signal import resample_poly

        g = np.gcd(sr, SR)
        x = resample_poly(x, SR // g, sr // g).astype(np.float32)
    nz = np.flatnonzero(np.abs(x) > 1e-3)  # trim espeak's leading/trailing silence
    return x[nz[0]:nz[-1] + 1] if nz.size else x


def build(spec: dict) -> tuple[np.ndarray, list[dict]]:
    parts, turns, prev_start, prev_end = [], [], 0.0, 0.0
    for speaker, gap, text in spec["lines"]:
        voice, pitch, speed = spec["voices"][speaker]
        x = 0.6 * speak(text, voice, pitch, speed) / 0.9
        start = prev_start + float(gap[1:]) if isinstance(gap, str) else max(0.0, prev_end + gap)
        prev_start = start
        end = start + x.size / SR
        parts.append((0 if speaker == "agent" else 1, int(round(start * SR)), x))
        turns.append({"speaker": speaker, "text": text, "start": round(start, 3), "end": round(end, 3)})
        prev_end = max(prev_end, end)
    n = int((prev_end + 0.6) * SR)
    out = np.zeros((n, 2), dtype=np.float32)
    for ch, a, x in parts:
        out[a:a + x.size, ch] += x
    return np.clip(out, -1, 1), turns


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "audio_samples"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    (out / "transcripts").mkdir(parents=True, exist_ok=True)
    for name, spec in CALLS.items():
        audio, turns = build(spec)
        sf.write(out / f"{name}.flac", audio, SR, format="FLAC", subtype="PCM_16")
        (out / "transcripts" / f"{name}.json").write_text(
            json.dumps({"lang": spec["lang"], "turns": turns}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
        print(f"{name}.flac: {audio.shape[0] / SR:.1f} s, {(out / f'{name}.flac').stat().st_size / 1e6:.2f} MB",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
