"""Typed practice: ``coach practice --text``. You type (or pipe) the agent's turns; the persona
answers in text and, unless ``--mute``, aloud; at the end the scorecard is shown.

The call is inbound: your first line is the greeting, then the customer states the problem.
The session ends at end of input, when the customer ends the call, or when you say goodbye.
Same seed + same input lines -> the same output and report (without ``--llm``).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, TextIO

from rich.console import Console
from rich.table import Table

from coach.errors import InputError
from coach.persona.engine import Persona, Reply
from coach.persona.scenario import Scenario, load_scenario
from coach.types import Transcript, Turn, to_dict


@dataclass
class TypedResult:
    scenario: Scenario
    seed: int
    outcome: str
    turns: list[Turn] = field(default_factory=list)
    replies: list[dict] = field(default_factory=list)
    moods: list[dict] = field(default_factory=list)
    scorecard: Any = None

    def report(self) -> dict:
        return {
            "scenario": self.scenario.id, "lang": self.scenario.lang, "seed": self.seed,
            "title": self.scenario.title, "persona": self.scenario.persona_name,
            "outcome": self.outcome,
            "turns": [{"speaker": t.speaker, "text": t.text} for t in self.turns],
            "replies": self.replies, "mood": self.moods,
            "scorecard": to_dict(self.scorecard) if self.scorecard is not None else None,
        }


class _Speaker:
    """Speaks the persona's lines; on any audio problem warns once and goes quiet."""

    def __init__(self, scenario: Scenario, engine: str | None, err: Console):
        self._err = err
        self._voice = None
        try:
            from coach.persona.voice import persona_voice

            self._voice = persona_voice(scenario, engine)
        except Exception as exc:  # noqa: BLE001 - never crash typed practice over audio
            self._warn(exc)

    def _warn(self, exc: BaseException) -> None:
        msg = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        self._err.print(f"coach: warning: no audio output ({msg}); continuing text-only", markup=False)
        self._voice = None

    def say(self, text: str) -> None:
        if self._voice is None or not text:
            return
        try:
            from coach import devices

            samples, sr = self._voice.synthesize(text)
            devices.play(samples, sr, blocking=True)
        except Exception as exc:  # noqa: BLE001
            self._warn(exc)


def _lines(stream: TextIO, interactive: bool, console: Console) -> Iterator[str]:
    while True:
        if interactive:
            try:
                line = console.input("[bold cyan]You:[/] ")
            except (EOFError, KeyboardInterrupt):  # Ctrl-D / Ctrl-C end the call: show the scorecard
                console.print()
                return
        else:
            line = stream.readline()
            if not line:
                return
        line = line.strip()
        if line or interactive:  # interactive: an empty Enter may finish the closing line
            yield line


def _metrics(transcript: Transcript):
    try:
        from coach.metrics import compute
    except ImportError:
        return None
    return compute(transcript)


def show_scorecard(console: Console, card: Any, outcome: str) -> None:
    table = Table(title=f"Scorecard – {card.rubric_id} (score {card.score:.0f}/100, outcome: {outcome})")
    table.add_column("item")
    table.add_column("result", justify="center")
    table.add_column("evidence / feedback")
    for it in card.items:
        if not it.applicable:
            mark = "n/a"
        else:
            mark = "[green]✓[/]" if it.passed else "[red]✗[/]"
        evidence = "; ".join(f"“{f.text}”" for f in it.findings[:2])
        if it.passed:
            note = "" if it.bad else evidence
        elif it.bad:  # a bad item was hit: show what was said, then the advice
            note = " – ".join(x for x in (evidence, it.feedback) if x)
        else:
            note = it.feedback or ""
        table.add_row(it.title, mark, note or "")
    console.print(table)
    if card.critical_failures:
        console.print(f"[red]Critical:[/] {', '.join(card.critical_failures)}")


def run_session(scenario: Scenario, seed: int, lines: Iterator[str], console: Console, *, rubric: Any,
                echo: bool, speaker: _Speaker | None = None, phraser: Any = None) -> TypedResult:
    """The conversation itself (no scoring): feed agent lines, print and speak the replies."""
    from coach.rubric import match_text

    persona = Persona(scenario, seed=seed, rubric=rubric, llm=phraser)
    result = TypedResult(scenario=scenario, seed=seed, outcome="unfinished")
    who = scenario.persona_name
    for line in lines:
        if not line:
            continue
        if echo:
            console.print(f"[bold cyan]You:[/] {line}", highlight=False)
        findings = match_text(line, rubric, scenario.lang)
        reply: Reply = persona.respond(line, findings)
        text = reply.text
        entry: dict[str, Any] = {"text": text, "scripted": reply.scripted or text, "reason": reply.reason,
                                 "outcome": reply.outcome}
        if reply.llm is not None:
            entry["llm"] = reply.llm
        result.turns.append(Turn("agent", line))
        result.moods.append({"anger": reply.mood.anger, "progress": reply.mood.progress})
        if text:
            result.turns.append(Turn("customer", text))
        result.replies.append(entry)
        console.print(f"[bold magenta]{who}[/] [dim]({_mood_note(reply, scenario.lang)})[/]: {text}",
                      highlight=False)
        if speaker is not None:
            speaker.say(text)
        if reply.ended:
            result.outcome = reply.outcome
            if reply.outcome in CLOSABLE:
                _closing(lines, console, echo, scenario.lang, result, reply)
            break
        if "goodbye" in reply.behaviours:
            break
    return result


# After the customer thanks you (or asks for a manager) you get one last line: the closing
# ("anything else? have a nice day") or the transfer. A customer who hung up is gone.
CLOSABLE = ("resolved", "escalated")
_CLOSE_HINT = {"en": "(The customer is ending the call: one last line to close, or Enter to finish.)",
               "fi": "(Asiakas lopettaa puhelun: vielä yksi repliikki lopetukseen, tai Enter.)"}


def _closing(lines: Iterator[str], console: Console, echo: bool, lang: str, result: TypedResult,
             reply: Reply) -> None:
    if not echo:  # interactive
        console.print(_CLOSE_HINT.get(lang, _CLOSE_HINT["en"]), style="dim", highlight=False)
    line = next(lines, None)
    if not line:
        return
    if echo:
        console.print(f"[bold cyan]You:[/] {line}", highlight=False)
    result.turns.append(Turn("agent", line))
    result.moods.append({"anger": reply.mood.anger, "progress": reply.mood.progress})


_MOVERS = ("acknowledgement", "apology", "next_step", "thanks", "discouraged", "calm_down", "non_apology",
           "interrupted", "silence")


def _mood_note(reply: Reply, lang: str) -> str:
    """"angry, anger 9; +2 discouraged": what moved the mood, so the trainee sees why."""
    note = f"{reply.mood.label(lang)}, anger {reply.mood.anger:g}"
    if reply.delta:
        why = [b for b in reply.behaviours if b in _MOVERS]
        if "calm_down" in why and "discouraged" in why:
            why.remove("discouraged")
        if not why and reply.questions:
            why = ["asked again"]
        note += f"; {reply.delta:+g} {', '.join(why) or 'nothing new'}"
    return note


_INTRO = {"en": "you are the agent; {name} is calling. Greet the customer.",
          "fi": "olet asiakaspalvelija; {name} soittaa. Tervehdi asiakasta."}
_CTRL_D = {"en": "(Ctrl-D or Ctrl-C ends the call.)", "fi": "(Ctrl-D tai Ctrl-C lopettaa puhelun.)"}


def run_typed(opts) -> int:
    """Entry point for ``coach practice --text`` (``opts``: coach.commands.practice.PracticeOptions)."""
    from coach.rubric import load_rubric, score

    scenario = load_scenario(opts.scenario, opts.lang)
    rubric = load_rubric("complaint-handling")
    console = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    phraser = None
    if opts.llm:
        from coach.persona.llm import Phraser

        phraser = Phraser(opts.llm)
        phraser.load()
    speaker = None if opts.mute else _Speaker(scenario, opts.voice, err)
    interactive = sys.stdin.isatty()
    intro = _INTRO.get(scenario.lang, _INTRO["en"])
    console.print(f"[bold]{scenario.title}[/] – " + intro.format(name=scenario.persona_name)
                  + (f" {_CTRL_D.get(scenario.lang, _CTRL_D['en'])}" if interactive else ""), highlight=False)
    result = run_session(scenario, opts.seed, _lines(sys.stdin, interactive, console), console,
                         rubric=rubric, echo=not interactive, speaker=speaker, phraser=phraser)
    transcript = Transcript(turns=tuple(result.turns), lang=scenario.lang, source="practice:text",
                            meta={"scenario": scenario.id, "seed": opts.seed, "outcome": result.outcome})
    result.scorecard = score(transcript, rubric, _metrics(transcript))
    console.print()
    show_scorecard(console, result.scorecard, result.outcome)
    if opts.report_json:
        from coach.report.files import atomic_write_text

        try:
            atomic_write_text(opts.report_json, json.dumps(result.report(), ensure_ascii=False, indent=2) + "\n")
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", opts.report_json) from None
        if str(opts.report_json) != "-":
            console.print(f"Report: {opts.report_json}", highlight=False)
    return 0
