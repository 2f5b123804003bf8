"""Rubric speed and accuracy figures for the README.

    .venv/bin/python benchmarks/rubric.py [--n 10000] [--semantic]

1. Speed: scores N distinct agent utterances (English and Finnish, clean and ASR-style, built
   from the dev set with varied openers and endings so no cache helps) against the built-in
   complaint-handling rubric with ``match_text`` on one core. Target: 10,000 in < 1 s. Reports
   CPU time (process_time) and wall time; the machine is shared, so wall time is pessimistic.
   The hot modules run compiled when the install built them (setup.py, Cython; listed in the
   figures as ``compiled_modules``); the same run is repeated in a subprocess with
   ``COACH_PURE_PYTHON=1`` for the pure-Python figure (``--no-pure`` skips it).
2. Accuracy: per-item precision/recall/F1 on tests/data/rubric_dev.jsonl, per language.
   With --semantic, also the figures with the optional embedding layer (coach.rubric.semantic).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coach.rubric import load_rubric, match_text  # noqa: E402
from coach.rubric.evaluate import evaluate, read_rows  # noqa: E402

OPENERS = {"en": ["", "okay ", "Right, ", "um ", "so ", "Well, ", "yeah ", "Honestly, ", "Look, ", "Alright. "],
           "fi": ["", "joo ", "Okei, ", "öö ", "no ", "Niin, ", "tota ", "Selvä. ", "Kuulkaa, ", "Hmm, "]}
ENDINGS = {"en": ["", " Thanks.", " Okay?", " for order {n}", " on account {n}", " Bye now."],
           "fi": ["", " Kiitos.", " Okei?", " tilaukselle {n}", " asiakasnumerolle {n}", " Kuulemiin."]}


def utterances(n: int) -> list[tuple[str, str]]:
    rows = read_rows(REPO / "tests/data/rubric_dev.jsonl")
    out = []
    i = 0
    while len(out) < n:
        r = rows[i % len(rows)]
        k = i // len(rows)
        lang = r.lang
        text = OPENERS[lang][k % 10] + r.text + ENDINGS[lang][(k // 10 + i) % 6].format(n=1000 + i)
        out.append((text, lang))
        i += 1
    return out


def bench_speed(n: int) -> dict:
    from coach.rubric import prefilter
    from coach.rubric.normalize import _norm_cached

    rub = load_rubric("complaint-handling")
    for lang in rub.languages:
        rub.compiled(lang)  # compile outside the timing: patterns are compiled once per process
    data = utterances(n)
    assert len(set(data)) == n, "utterances must be distinct"
    runs: dict[bool, list] = {True: [], False: []}
    found = {}
    for _ in range(3):  # best of 3: the machine is shared, the minimum is the least disturbed run
        for enabled in (True, False):  # interleaved, so both see the same machine load
            prefilter.ENABLED = enabled
            _norm_cached.cache_clear()
            prefilter.doc_keys.cache_clear()
            t0, c0 = time.perf_counter(), time.process_time()
            hits = 0
            for text, lang in data:
                hits += len(match_text(text, rub, lang))
            runs[enabled].append((time.process_time() - c0, time.perf_counter() - t0))
            found[enabled] = hits
    prefilter.ENABLED = True
    assert found[True] == found[False], "the prefilter changed a result"
    # for information: a long-running scorer could gc.freeze() after loading, so the cyclic GC
    # no longer walks the loaded rubric and regexes on every full collection (coach does not)
    import gc

    gc.collect()
    gc.freeze()
    frozen = []
    for _ in range(2):
        _norm_cached.cache_clear()
        prefilter.doc_keys.cache_clear()
        c0 = time.process_time()
        for text, lang in data:
            match_text(text, rub, lang)
        frozen.append(time.process_time() - c0)
    gc.unfreeze()
    cpu, wall = min(runs[True])
    return {"utterances": n, "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "cpu_s_runs": [round(r[0], 3) for r in runs[True]],
            "cpu_s_without_prefilter": round(min(runs[False])[0], 3),
            "cpu_s_gc_frozen": round(min(frozen), 3),
            "per_utterance_us": round(cpu / n * 1e6, 1), "findings": found[True],
            "load_avg_1min": round(os.getloadavg()[0], 2)}


def reference_loop_s() -> float:
    """CPU seconds for a fixed pure-Python loop (10^7 additions, best of 3), printed with the
    figures for information. It shows a slow CPU but not contention for caches and memory on the
    shared VMs, which slows the rubric far more: on 2026-11-22 the same commit measured
    0.97-1.04 s in the afternoon and 1.59 s in the evening, with this loop at ~0.40 s then."""
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        s = 0
        for i in range(10_000_000):
            s += i
        best = min(best, time.process_time() - t0)
    return round(best, 3)


def accuracy(semantic: bool = False) -> dict:
    rub = load_rubric("complaint-handling")
    rows = read_rows(REPO / "tests/data/rubric_dev.jsonl")
    if semantic:
        from coach.rubric.semantic import evaluate_with_semantic
        return evaluate_with_semantic(rub, rows).as_json()
    return evaluate(rub, rows).as_json()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--semantic", action="store_true", help="also report the optional semantic layer")
    ap.add_argument("--no-pure", action="store_true", help="skip the pure-Python run (compiled modules only)")
    ap.add_argument("--speed-only", action="store_true", help=argparse.SUPPRESS)  # (the pure-Python subprocess)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.speed_only:
        print(json.dumps(bench_speed(args.n)))
        return
    ref = reference_loop_s()
    speed = bench_speed(args.n)
    speed["reference_loop_s"] = ref
    from coach.rubric import _compiled

    speed["compiled_modules"] = _compiled.in_use()
    if speed["compiled_modules"] and not args.no_pure:
        env = dict(os.environ, COACH_PURE_PYTHON="1")
        out = subprocess.run([sys.executable, __file__, "--speed-only", "--n", str(args.n)], env=env,
                             capture_output=True, text=True, check=True).stdout
        speed["cpu_s_pure_python"] = json.loads(out.strip().splitlines()[-1])["cpu_s"]
    mode = (f"compiled modules {', '.join(speed['compiled_modules'])}" if speed["compiled_modules"] else
            "pure Python (no compiled modules)")
    if "cpu_s_pure_python" in speed:
        mode += f"; pure Python {speed['cpu_s_pure_python']:.3f} s"
    print(f"rubric speed: {speed['utterances']} utterances against complaint-handling in "
          f"{speed['cpu_s']:.3f} s CPU ({speed['wall_s']:.3f} s wall), {speed['per_utterance_us']} us each "
          f"(target < 1 s) on 1 core; best of 3 runs {speed['cpu_s_runs']} (the first run also compiles the "
          f"regexes of the token dispatch); without the prefilter {speed['cpu_s_without_prefilter']:.3f} s; "
          f"after gc.freeze() {speed['cpu_s_gc_frozen']:.3f} s; "
          f"load average {speed['load_avg_1min']}; machine reference (pure-Python loop of 10^7 "
          f"additions) {ref:.3f} s; {mode}")
    figs = {"speed": speed, "dev_f1": accuracy()}
    if args.semantic:
        figs["dev_f1_semantic"] = accuracy(semantic=True)
    for key in [k for k in figs if k.startswith("dev_f1")]:
        print(f"{key} (tests/data/rubric_dev.jsonl):")
        for lang, items in figs[key]["by_lang"].items():
            print(f"  {lang}: " + ", ".join(f"{i} {m['f1']:.3f} (P {m['precision']:.2f} R {m['recall']:.2f}, n={m['support']})"
                                          for i, m in items.items()))
    print(json.dumps(figs))


if __name__ == "__main__":
    main()
