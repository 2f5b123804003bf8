"""Benchmark: speech to text (faster-whisper, CTranslate2 int8 on CPU) and text to speech.

Figures printed, per model (tiny.en, base), each model measured in its own process:
* model load time (WhisperModel construction; the faster_whisper import is shown apart);
* real-time factor (processing time / audio time) on a ~60 s input built from
  ../shared/audio/asr-reference.wav (51.9 s, 9 sentences) + 0.5 s + jfk.flac (63.4 s), with the
  BATCH (beam 5) and LIVE (beam 1) options, and the WER against the reference sentences;
* latency for a 3 s utterance with LIVE options (median of runs);
* peak memory (max RSS of the process);
* for base, the first-run assembly time into an empty cache.
Plus espeak-ng and Piper synthesis time per sentence.

    .venv/bin/python benchmarks/stt.py [--runs 5] [--models tiny.en,base]

The machine is shared: figures are pessimistic. Times are wall-clock medians.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "audio"


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _input_60s():
    import numpy as np

    from coach import audio

    a = audio.load(SHARED / "asr-reference.wav", sr=16000).mono()
    j = audio.load(SHARED / "jfk.flac", sr=16000).mono()
    x = np.concatenate([a, np.zeros(8000, np.float32), j]).astype(np.float32)  # 63.4 s
    refs = json.loads((SHARED / "asr-reference.utterances.json").read_text())
    ref = " ".join(u["text"] for u in refs["utterances"])
    ref += (" And so my fellow Americans, ask not what your country can do for you, ask what you"
            " can do for your country.")
    return x, ref


def child(model: str, runs: int) -> dict:
    """Measure one model in this (fresh) process and return the figures."""
    import numpy as np

    from coach import audio, models, stt
    from coach.wer import wer

    out: dict = {"model": model, "rss_start_mib": round(_rss_mib(), 1)}
    t = time.perf_counter()
    path = models.resolve_model(model)
    out["resolve_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    import faster_whisper  # noqa: F401

    out["import_s"] = round(time.perf_counter() - t, 3)
    loads = []
    for _ in range(max(1, runs // 2)):
        stt.clear_cache()
        t = time.perf_counter()
        tr = stt.load_transcriber(str(path), lang="en")
        loads.append(time.perf_counter() - t)
    out["load_s"] = round(statistics.median(loads), 3)
    x, ref = _input_60s()
    out["input_s"] = round(len(x) / 16000, 2)
    for name, opts in (("batch", stt.BATCH), ("live", stt.LIVE)):
        t, c = time.perf_counter(), time.process_time()
        segs = tr.transcribe(x, opts)
        dt = time.perf_counter() - t
        out[f"rtf_{name}"] = round(dt / (len(x) / 16000), 4)
        out[f"cpu_rtf_{name}"] = round((time.process_time() - c) / (len(x) / 16000), 4)
        out[f"wer_{name}"] = round(wer(ref, " ".join(s.text for s in segs)), 3)
    utt = audio.load(SHARED / "stereo_diarization.wav", sr=16000).samples[1][: 3 * 16000]
    utt = np.ascontiguousarray(utt)
    tr.transcribe(utt, stt.LIVE)  # warm
    lat, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        tr.transcribe(utt, stt.LIVE)
        lat.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out["latency_3s_median_s"] = round(statistics.median(lat), 3)
    out["cpu_3s_median_s"] = round(statistics.median(cpu), 3)
    out["latency_3s_max_s"] = round(max(lat), 3)
    out["peak_rss_mib"] = round(_rss_mib(), 1)
    return out


def tts_figures(runs: int) -> dict:
    from coach import tts

    text = "I am sorry about the broken phone. We will send a new one tomorrow."
    res = {}
    for label, kw in (("espeak_en", {"lang": "en"}), ("espeak_fi", {"lang": "fi"}),
                      ("piper_en", {"lang": "en", "engine": "piper"})):
        try:
            t = time.perf_counter()
            v = tts.get_voice(**kw)
            load = time.perf_counter() - t
        except Exception as exc:  # noqa: BLE001 - piper extra may be missing
            res[label] = f"unavailable: {exc}"
            continue
        times, dur = [], 0.0
        for _ in range(runs):
            t = time.perf_counter()
            x, sr = v.synthesize(text)
            times.append(time.perf_counter() - t)
            dur = len(x) / sr
        res[label] = {"load_s": round(load, 3), "synth_median_s": round(statistics.median(times), 4),
                      "audio_s": round(dur, 2)}
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--models", default="tiny.en,base")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return 0
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (shared)")
    for model in args.models.split(","):
        r = subprocess.run([sys.executable, __file__, "--child", model, "--runs", str(args.runs)],
                           capture_output=True, text=True, cwd=ROOT)
        if r.returncode != 0:
            print(f"{model}: FAILED\n{r.stderr[-2000:]}", file=sys.stderr)
            return 1
        f = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"[{model}] resolve {f['resolve_s']:.2f} s, import faster_whisper {f['import_s']:.2f} s,"
              f" load {f['load_s']:.2f} s")
        print(f"[{model}] {f['input_s']:.0f} s input: RTF batch (beam 5) {f['rtf_batch']:.3f}, "
              f"live (beam 1) {f['rtf_live']:.3f}; WER batch {f['wer_batch']:.3f}, "
              f"live {f['wer_live']:.3f}")
        print(f"[{model}] 3 s utterance, LIVE: median {f['latency_3s_median_s'] * 1000:.0f} ms, "
              f"max {f['latency_3s_max_s'] * 1000:.0f} ms over {args.runs} runs; CPU time "
              f"{f['cpu_3s_median_s'] * 1000:.0f} ms (all threads)")
        print(f"[{model}] CPU seconds per audio second (all threads, less sensitive to a busy "
              f"machine): batch {f['cpu_rtf_batch']:.3f}, live {f['cpu_rtf_live']:.3f}")
        print(f"[{model}] peak RSS {f['peak_rss_mib']:.0f} MiB (process start "
              f"{f['rss_start_mib']:.0f} MiB)")
    if "base" in args.models.split(","):
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            code = ("import time; t=time.perf_counter(); from coach import models; "
                    "models.resolve_model('base'); print(time.perf_counter()-t)")
            r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               env={**os.environ, "COACH_CACHE_DIR": tmp}, cwd=ROOT)
            if r.returncode == 0:
                print(f"[base] first-run assembly into an empty cache (concatenate 2 x 69 MiB, "
                      f"sha256, test load): {float(r.stdout.strip()):.2f} s")
            else:
                print(f"[base] assembly FAILED: {r.stderr[-500:]}", file=sys.stderr)
    for label, v in tts_figures(args.runs * 2).items():
        if isinstance(v, str):
            print(f"[tts {label}] {v}")
        else:
            print(f"[tts {label}] load {v['load_s'] * 1000:.0f} ms, synth {v['synth_median_s'] * 1000:.0f}"
                  f" ms for {v['audio_s']:.1f} s of speech")
    return 0


if __name__ == "__main__":
    sys.exit(main())
