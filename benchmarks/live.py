"""Live loop benchmark: response time, cut-offs and barge-in stop time, from the recorded audio.

For each built-in scenario (English), the good-agent script is synthesised into an agent
track (espeak-ng) with mid-turn pauses of 0.6-0.8 s after "and" in every other line, and in
some calls the agent talks over the persona (barge-in). Each call runs through the same path
as ``coach practice --input-wav X --record DIR`` at real-time pace with tiny.en. Figures come
from ``session.wav`` (ch0 agent, ch1 persona as played), not from internal timestamps:

* response time: end of the agent's speech (last active 10 ms frame on ch0) -> first audible
  sample of the persona's reply on ch1;
* cut-off: the persona starts and the agent's speech starts again between 0.3 s before and
  1 s after the persona's first sample (the scripted barge-ins are not counted);
* barge-in stop time: the agent starts talking over the persona -> the persona's last sample.

    .venv/bin/python benchmarks/live.py [--scenarios a,b] [--out DIR] [--model tiny.en]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SR = 16000
FRAME = 160  # 10 ms
SCENARIOS = ["late-delivery", "billing-double-charge", "broadband-outage", "broken-product",
             "missed-technician", "rude-customer"]
BARGE_INS = {"billing-double-charge": {2: 1.5}, "broken-product": {3: 1.5},
             "missed-technician": {2: 2.0}}


def active_frames(x: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    n = len(x) // FRAME
    return np.abs(x[: n * FRAME].reshape(n, FRAME)).max(axis=1) > threshold


def regions(active: np.ndarray, join_gap_frames: int) -> list[tuple[int, int]]:
    """Runs of active frames (start, end) in frames, gaps shorter than join_gap joined."""
    idx = np.flatnonzero(active)
    if len(idx) == 0:
        return []
    out, s, e = [], idx[0], idx[0]
    for i in idx[1:]:
        if i - e > join_gap_frames:
            out.append((s, e + 1))
            s = i
        e = i
    out.append((s, e + 1))
    return out


def analyse(session_wav: Path, planned_barge_ins: list[float] = ()) -> dict:
    from coach.live.recorder import read_session_wav

    x, sr = read_session_wav(session_wav)
    agent, persona = x[0], x[1]
    a_act = active_frames(agent)
    p_regions = regions(active_frames(persona, 0.004), 50)  # persona replies (0.5 s gaps joined)
    responses, cutoffs, barge = [], [], []
    a_starts = regions(a_act, 10)  # agent speech, gaps under 0.1 s joined
    for ps, pe in p_regions:
        onset = ps * FRAME + int(np.flatnonzero(np.abs(persona[ps * FRAME:(ps + 1) * FRAME]) > 0.004)[0])
        before = np.flatnonzero(a_act[:ps])
        agent_active_at_onset = a_act[max(0, ps - 1):ps + 1].any()
        if len(before) and not agent_active_at_onset:
            agent_end = (before[-1] + 1) * FRAME
            responses.append((onset - agent_end) / sr)
        # does the agent start speaking again from 0.3 s before to 1 s after the onset? (the
        # live count's rule: the persona jumped in as the agent carried on)
        resumed = [s for s, _ in a_starts if ps - 30 <= s <= ps + 100]
        planned = any(0 <= b - onset / sr <= 2.5 for b in planned_barge_ins)
        if resumed and not planned:
            cutoffs.append({"persona_onset": onset / sr, "agent_resumed": resumed[0] * FRAME / sr})
        # barge-in: agent starts while the persona is playing; persona must stop
        inside = np.flatnonzero(a_act[ps + 1:pe])
        if len(inside):
            start = (ps + 1 + inside[0]) * FRAME
            if start / sr > onset / sr + 0.05:
                barge.append((pe * FRAME - start) / sr)
    return {"responses": responses, "cutoffs": cutoffs, "barge_stop": barge,
            "duration": x.shape[1] / sr}


def pct(v: list[float], q: float) -> float:
    return float(np.percentile(v, q)) if v else float("nan")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--simulated", action="store_true", help="simulated clock (faster, less faithful)")
    ap.add_argument("--fixed-waits", action="store_true",
                    help="do not adapt the wait after a complete sentence to the agent's pauses (for comparison)")
    args = ap.parse_args(argv)
    import io

    from coach.commands.practice import PracticeOptions
    from coach.live.loop import LoopConfig
    from coach.live.screen import PlainView
    from coach.live.script import scenario_track
    from coach.live.session import run_session

    out = args.out or Path(tempfile.mkdtemp(prefix="coach-live-bench-"))
    all_resp, all_cut, all_barge, internal, decode_ms, turns = [], [], [], [], [], 0
    live_cutoffs, withdrawn, overflows, kinds, late = 0, 0, 0, {}, []
    load0 = os.getloadavg()[0]
    t0 = time.time()
    for sc in args.scenarios.split(","):
        track = scenario_track(sc, "en", seed=args.seed, barge_in=BARGE_INS.get(sc))
        wav = out / f"{sc}.agent.wav"
        track.write(wav)
        folder = out / sc
        opts = PracticeOptions(scenario=sc, lang="en", seed=args.seed, input_wav=wav, record=folder,
                               model=args.model, screen=False)
        cfg = LoopConfig(realtime=not args.simulated, learn_pauses=not args.fixed_waits)
        res = run_session(opts, realtime=not args.simulated, view=PlainView(io.StringIO()), config=cfg)
        a = analyse(folder / "session.wav", [ln["start"] for ln in track.lines if ln["barge_in"]])
        events = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
        agent_turns = [e for e in events if e["type"] == "turn" and e["speaker"] == "agent"]
        for e in agent_turns:
            kinds[e["end_kind"]] = kinds.get(e["end_kind"], 0) + 1
            decode_ms.append(e["decode_ms"])
        turns += len(agent_turns)
        live_cutoffs += res.cutoffs
        withdrawn += sum(e.get("withdrawn_replies", 0) for e in events if e["type"] == "session_end")
        overflows += res.overflows
        internal += [e["response_s"] for e in events if e["type"] == "persona_start"]
        late += [max(0.0, e["silence_s"] - e["wait_s"]) for e in agent_turns
                 if e.get("answered", True)]
        all_resp += a["responses"]
        all_cut += a["cutoffs"]
        all_barge += a["barge_stop"]
        print(f"{sc:24s} agent turns {len(agent_turns):2d}  replies {len(a['responses']):2d}  "
              f"response p50 {pct(a['responses'], 50) * 1000:4.0f} ms  max "
              f"{max(a['responses'], default=float('nan')) * 1000:4.0f} ms  cut-offs {len(a['cutoffs'])}  "
              f"barge-in stop {[round(b * 1000) for b in a['barge_stop']]} ms  outcome {res.outcome}",
              flush=True)
    print()
    print(f"calls: {len(args.scenarios.split(','))}, agent turns: {turns}, persona replies measured: "
          f"{len(all_resp)}, wall time {time.time() - t0:.0f} s, model {args.model}, "
          f"{'simulated' if args.simulated else 'real-time'} clock, "
          f"{'fixed waits' if args.fixed_waits else 'wait after a complete sentence learnt from the agent'}")
    print(f"response time (audio, agent end -> persona first sample): p50 {pct(all_resp, 50) * 1000:.0f} ms, "
          f"p95 {pct(all_resp, 95) * 1000:.0f} ms, max {max(all_resp, default=0) * 1000:.0f} ms")
    print(f"cut-offs (persona starts, agent carries on within 1 s): {len(all_cut)} from audio, "
          f"{live_cutoffs} counted live; replies withdrawn before they were heard: {withdrawn}")
    print(f"barge-in stop time (agent starts over persona -> persona silent): "
          f"{[round(b * 1000) for b in all_barge]} ms, max {max(all_barge, default=0) * 1000:.0f} ms")
    print(f"final decode (tiny.en, 10 s window): p50 {pct(decode_ms, 50):.0f} ms, "
          f"p95 {pct(decode_ms, 95):.0f} ms; end-of-turn kinds {kinds}")
    print(f"turn committed after the end-of-turn wait by (decode not ready yet): p50 "
          f"{pct(late, 50) * 1000:.0f} ms, p95 {pct(late, 95) * 1000:.0f} ms")
    print(f"input overflows: {overflows}; load average at start/end: {load0:.1f} / "
          f"{os.getloadavg()[0]:.1f} (2 cores, shared); sessions in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
