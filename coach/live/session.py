"""``coach practice`` (voice): wire the stages together, run the call, save everything.

    source (mic | --input-wav) -> LiveLoop (VAD, turns, STT, rubric, persona, TTS) -> Player
    every block and event -> SessionRecorder (session.wav, events.jsonl) -> scorecard + report

``run_live(opts)`` is the CLI entry; ``run_session(...)`` is the same with knobs for tests and
benchmarks (simulated clock, injected components).
"""

from __future__ import annotations

import os
import queue
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coach.errors import CoachError, DeviceError, InputError
from coach.live.audio_io import BLOCK, SR, DeviceTransport, Player, WavTransport
from coach.live.loop import LiveLoop, LoopConfig
from coach.live.recorder import IncrementalWav, SessionRecorder, read_events
from coach.live.screen import PlainView, ScreenState


@dataclass
class SessionResult:
    folder: Path
    reason: str
    duration_s: float
    turns: int
    cutoffs: int
    barge_ins: list = field(default_factory=list)
    overflows: int = 0
    outcome: str | None = None
    scorecard: Path | None = None
    report: Path | None = None
    score: float | None = None
    error: str | None = None


def default_folder() -> Path:
    from coach.paths import data_dir

    return data_dir() / "sessions" / datetime.now().strftime("%Y%m%d-%H%M%S")


def run_live(opts) -> int:
    # COACH_LIVE_CLOCK=simulated: an --input-wav is consumed as fast as the loop allows, with
    # each decode charged its wall time in audio time (CI, soak tests); default is real time.
    realtime = os.environ.get("COACH_LIVE_CLOCK", "realtime") != "simulated" or not opts.input_wav
    result = run_session(opts, realtime=realtime)
    if result.error:
        raise DeviceError(f"{result.error} (the session so far is saved in {result.folder})")
    return 0


def run_session(opts, realtime: bool = True, view=None, components: dict | None = None,
                max_s: float | None = None, config: LoopConfig | None = None) -> SessionResult:
    """Run one call. ``components`` may supply ``decoder``, ``persona``, ``rubric``,
    ``renderer`` (tests); the rest are built from ``opts``."""
    comp = dict(components or {})
    from coach.live.engines import PersonaAdapter, Renderer, RubricAdapter, check_input_wav

    check_input_wav(opts.input_wav)
    persona = comp.get("persona") or PersonaAdapter.load(opts.scenario, opts.lang, opts.seed, opts.llm)
    lang = opts.lang or persona.lang
    warnings = []
    if "rubric" in comp:
        rubric = comp["rubric"]
    else:
        try:
            rubric = RubricAdapter(persona.rubric_id, lang)
        except CoachError as exc:  # the call still works; there is just no checklist/score
            rubric, _ = None, warnings.append(f"rubric unavailable: {exc}")
    if "renderer" in comp:
        renderer = comp["renderer"]
    else:
        voice, rate = persona.voice_settings
        engine = opts.voice or (voice if voice in ("espeak", "piper") else None)
        renderer = Renderer(lang, engine=engine, rate=rate)
    decoder = comp.get("decoder")
    if decoder is None:
        from coach.live.asr import LiveDecoder

        decoder = LiveDecoder(opts.model or ("tiny.en" if lang == "en" else "base"), lang)
        decoder.warm()
    renderer.render("Hello.")  # warm the synthesiser
    if rubric is not None and getattr(rubric, "rubric", None) is not None:
        from coach.rubric import warm

        warm(rubric.rubric, rubric.lang)  # the first turns are scored without compile delays
    player = Player()
    # the input is read before the session folder is made: an unreadable recording leaves nothing
    if opts.input_wav:
        transport = WavTransport(Path(opts.input_wav), player, realtime=realtime, tail_s=60.0)
        input_end = len(transport.samples)
    else:
        transport = DeviceTransport(player, opts.input_device, opts.output_device,
                                    play=opts.output_wav is None and not opts.mute)
        input_end = None
    folder = Path(opts.record) if opts.record else default_folder()
    rec = SessionRecorder(folder)
    out_wav = IncrementalWav(Path(opts.output_wav), channels=1) if opts.output_wav else None
    if view is None:
        view = _make_view(opts.screen)
    cfg = config or LoopConfig(lang=lang, realtime=realtime)
    cfg.lang = lang

    def emit(ev: dict) -> None:
        rec.event(ev)
        try:
            view.event(ev)
        except Exception:  # noqa: BLE001 - a display problem must never end the call
            pass

    loop = LiveLoop(decoder, persona, rubric, renderer, player, emit, cfg)
    emit({"t": 0.0, "type": "session_start", "scenario": opts.scenario, "lang": lang,
          "seed": opts.seed, "model": opts.model or "tiny.en", "sr": SR, "block": BLOCK,
          "channels": {"0": "agent", "1": "customer"},
          "input": str(opts.input_wav) if opts.input_wav else (opts.input_device or "default"),
          "started": datetime.now().isoformat(timespec="seconds")})
    for w in warnings:
        emit({"t": 0.0, "type": "warning", "message": w})
    items = rubric.items() if rubric is not None else []
    reason, error = "input ended", None
    last_tick = 0.0
    end_due: int | None = None
    try:
        transport.start()
        while True:
            try:
                blk = transport.queue.get(timeout=1.0)
            except queue.Empty:
                if isinstance(transport, DeviceTransport):
                    n = transport.reopened
                    transport.check()
                    if transport.reopened > n:
                        emit({"t": round(loop.now(), 3), "type": "warning",
                              "message": "the audio device stopped before delivering sound; "
                                         "opened it again"})
                continue
            rec.audio(blk.mic, blk.out)
            if out_wav is not None:
                out_wav.write(blk.out)
            loop.step(blk)
            now = time.monotonic()
            if now - last_tick > 0.12:
                last_tick = now
                view.tick(_snapshot(loop, items, opts.scenario))
            t = loop.t
            if loop.outcome and end_due is None and not player.active and loop.playing is None:
                end_due = t + int(0.5 * SR)
                reason = f"persona ended the call ({loop.outcome})"
            if end_due is not None and t >= end_due:
                break
            if input_end is not None and t >= input_end + loop.cfg.end_after_input_s * SR \
                    and not player.active and loop.playing is None and \
                    (loop.turn is None or t >= input_end + 15 * SR):
                reason = "input ended"
                break
            if max_s is not None and t >= max_s * SR:
                reason = "time limit"
                break
    except KeyboardInterrupt:
        reason = "stopped by the user"
    except DeviceError as exc:
        reason, error = "device error", str(exc)
    finally:
        transport.stop()
        loop.close()
    overflows = getattr(transport, "overflows", 0)
    summary = {"reason": reason, "duration_s": round(loop.now(), 3), "turns": loop.turn_count,
               "cutoffs": loop.cutoffs, "withdrawn_replies": loop.withdrawn,
               "barge_ins": len(loop.barge_ins),
               "barge_in_stop_ms": [round(b["stop_ms"], 1) for b in loop.barge_ins],
               "overflows": overflows, "outcome": loop.outcome,
               "response_s_internal": [round(x, 3) for x in loop.response_times]}
    if error:
        summary["error"] = error
    emit({"t": round(loop.now(), 3), "type": "session_end", **summary})
    rec.close()
    if out_wav is not None:
        out_wav.close()
    result = SessionResult(folder, reason, loop.now(), loop.turn_count, loop.cutoffs,
                           loop.barge_ins, overflows, loop.outcome, error=error)
    _finish(result, rubric, lang, summary)
    footer = f"session saved in {folder}" + (f"; report: {result.report}" if result.report else "")
    if result.score is not None:
        footer = f"score {result.score:.0f}/100 - " + footer
    view.close(footer)
    return result


def _finish(result: SessionResult, rubric, lang: str, summary: dict) -> None:
    from coach.live.finish import transcript_from_events, write_reports

    if rubric is None:
        return
    try:
        tr = transcript_from_events(read_events(result.folder / "events.jsonl"), lang,
                                    str(result.folder))
        from coach.live.finish import score_session

        card = score_session(tr, rubric)
        result.score = getattr(card, "score", None)
        result.scorecard, result.report = write_reports(result.folder, card, summary)
    except CoachError:
        raise
    except Exception as exc:  # noqa: BLE001 - the recording is safe; say why there is no report
        (result.folder / "report.error.txt").write_text(f"scoring failed: {exc!r}\n")


def _snapshot(loop: LiveLoop, items, scenario: str) -> ScreenState:
    a, c = loop.agent_talk, loop.customer_talk
    if loop._speech_since is not None:
        a += (loop.t - loop._speech_since) / SR
    mono = (loop.t - loop.turn.start) / SR if loop.turn is not None else 0.0
    partial = loop.turn.partial if loop.turn is not None else None
    return ScreenState(elapsed_s=loop.now(), mood=loop.mood,
                       talk_ratio=a / (a + c) if a + c > 0 else None, monologue_s=mono,
                       items=list(items), hits=dict(loop.hits),
                       partial=" ".join(x for x in (loop.turn.prefix, partial.committed) if x)
                       if partial else "",
                       tentative=partial.tentative if partial else "",
                       cutoffs=loop.cutoffs, barge_ins=len(loop.barge_ins), scenario=scenario)


def _make_view(screen: bool):
    if screen:
        import sys

        if sys.stdout.isatty():
            from coach.live.screen import RichView

            return RichView()
    return PlainView()


__all__ = ["run_live", "run_session", "SessionResult", "default_folder", "InputError"]
