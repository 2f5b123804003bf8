"""Run a scenario's embedded trainee scripts and check the outcome each must reach.

Used by ``coach scenario test``. Findings come from the real rubric engine
(``coach.rubric.match_text``) unless a ``findings`` function is passed (unit tests only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from coach.persona.engine import Events, Persona, Reply
from coach.persona.scenario import Scenario, Script

FindingsFn = Callable[[str, str], list]


@dataclass(frozen=True)
class ScriptResult:
    scenario: str
    lang: str
    script: str
    expect: str
    outcome: str  # resolved | escalated | hung_up | unfinished
    turns_used: int
    turns_total: int
    replies: tuple[Reply, ...]

    @property
    def passed(self) -> bool:
        return self.outcome == self.expect

    @property
    def problem(self) -> str | None:
        if not self.passed:
            last = self.replies[-1].mood.anger if self.replies else None
            return (f"expected {self.expect}, got {self.outcome} after {self.turns_used}/{self.turns_total} "
                    f"turns (anger {last})")
        if self.turns_used < self.turns_total:
            return f"ended after {self.turns_used} of {self.turns_total} turns"
        return None


def rubric_findings(rubric: Any = None) -> FindingsFn:
    """A findings function backed by the real rubric engine (complaint-handling by default)."""
    from coach.rubric import load_rubric, match_text

    rub = rubric if rubric is not None else load_rubric("complaint-handling")
    return lambda text, lang: list(match_text(text, rub, lang))


def run_script(scenario: Scenario, script: Script, findings: FindingsFn) -> ScriptResult:
    persona = Persona(scenario, seed=script.seed)
    replies: list[Reply] = []
    for turn in script.turns:
        reply = persona.respond(turn.say, findings(turn.say, scenario.lang),
                                Events(interrupted=turn.interrupted, silence_s=turn.silence_s))
        replies.append(reply)
        if reply.ended:
            break
    return ScriptResult(scenario=scenario.id, lang=scenario.lang, script=script.name, expect=script.expect,
                        outcome=persona.outcome or "unfinished", turns_used=len(replies),
                        turns_total=len(script.turns), replies=tuple(replies))


def run_all(scenario: Scenario, findings: FindingsFn) -> list[ScriptResult]:
    return [run_script(scenario, s, findings) for s in scenario.scripts]
