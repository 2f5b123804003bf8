"""A scripted agent as a recording: for demos, CI and benchmarks without a microphone.

Agent lines are synthesised (espeak-ng) into one 16 kHz track. A line may contain pauses
inside the turn (``"My number is 4 5 7 | 0.7 | 8 9 2."``: "|"-separated parts, a number is a
pause in seconds) to exercise the end-of-turn policy. The gap after each line is planned so
the persona can answer: the persona (deterministic per seed) is run on the script in text, its
replies are rendered, and the gap is reply length + response allowance + the agent's own
reaction time. A line with ``barge_in_after_s`` instead starts that long after the reply
starts, i.e. the agent talks over the persona.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SR = 16000


@dataclass
class AgentLine:
    text: str  # "|"-separated parts; a numeric part is a pause in seconds
    reaction_s: float = 0.7  # agent's pause after the persona finishes
    barge_in_after_s: float | None = None  # talk over the persona this long after it starts

    def parts(self) -> list[str | float]:
        out: list[str | float] = []
        for p in self.text.split("|"):
            p = p.strip()
            if re.fullmatch(r"\d+(\.\d+)?", p):
                out.append(float(p))
            elif p:
                out.append(p)
        return out

    @property
    def words(self) -> str:
        return " ".join(p for p in self.parts() if isinstance(p, str))


@dataclass
class Track:
    samples: np.ndarray
    lines: list[dict] = field(default_factory=list)  # per line: text, start, end, pauses

    def write(self, wav: Path) -> None:
        from coach.audio import write_wav

        write_wav(wav, self.samples, SR)
        Path(str(wav) + ".json").write_text(json.dumps(self.lines, indent=1))


def say(renderer, line: AgentLine) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The line's audio and the (start, end) of pauses inside it (seconds from line start)."""
    chunks, pauses, n = [], [], 0
    for p in line.parts():
        if isinstance(p, float):
            pauses.append((n / SR, n / SR + p))
            chunks.append(np.zeros(int(p * SR), np.float32))
        else:
            a = trim(renderer.render(p))
            chunks.append(a)
        n += len(chunks[-1])
    return np.concatenate(chunks) if chunks else np.zeros(0, np.float32), pauses


def trim(x: np.ndarray, threshold: float = 0.004) -> np.ndarray:
    idx = np.flatnonzero(np.abs(x) > threshold)
    return x[idx[0]: idx[-1] + 1] if len(idx) else x


def build_track(lines: list[AgentLine], agent_renderer, persona=None, rubric=None,
                persona_renderer=None, response_allowance_s: float = 0.6,
                lead_s: float = 1.0, tail_s: float = 1.0) -> Track:
    """Render the agent's side of a call; gaps leave room for the persona's (planned) replies."""
    out = [np.zeros(int(lead_s * SR), np.float32)]
    info, t = [], lead_s
    reply_s = 0.0
    for i, line in enumerate(lines):
        if i > 0:
            if line.barge_in_after_s is not None:
                gap = response_allowance_s + line.barge_in_after_s
            else:
                gap = response_allowance_s + reply_s + line.reaction_s
            out.append(np.zeros(int(gap * SR), np.float32))
            t += gap
        audio, pauses = say(agent_renderer, line)
        out.append(audio)
        info.append({"index": i, "text": line.words, "start": round(t, 3),
                     "end": round(t + len(audio) / SR, 3),
                     "pauses": [(round(t + a, 3), round(t + b, 3)) for a, b in pauses],
                     "barge_in": line.barge_in_after_s is not None})
        t += len(audio) / SR
        reply_s = 2.0
        if persona is not None and persona_renderer is not None:
            findings = rubric.match(line.words, i) if rubric is not None else []
            r = persona.reply(line.words, findings, {"interrupted": False, "silence_s": 0.0})
            reply_s = len(persona_renderer.render(r.text)) / SR if r.text else 0.0
            info[-1]["planned_reply"] = r.text
            info[-1]["planned_reply_s"] = round(reply_s, 3)
    out.append(np.zeros(int((tail_s + response_allowance_s + reply_s) * SR), np.float32))
    return Track(np.concatenate(out).astype(np.float32), info)


def with_pauses(text: str, pause_s: float = 0.7) -> str:
    """Insert a pause inside the turn after the first " and " (as people do mid-sentence)."""
    i = text.find(" and ")
    if i < 0:
        return text
    return text[: i + 4] + f" | {pause_s} | " + text[i + 5:]


def scenario_track(scenario: str, lang: str = "en", seed: int = 0, script: int = 0,
                   pauses: bool = True, barge_in: dict[int, float] | None = None,
                   agent_rate: int = 175) -> Track:
    """The agent's side of one of a scenario's own test scripts (0 = the good agent), planned
    against the persona with ``seed``; ``barge_in`` maps line index -> seconds into the reply."""
    from coach.live.engines import PersonaAdapter, Renderer, RubricAdapter

    persona = PersonaAdapter.load(scenario, lang, seed)
    try:
        rubric = RubricAdapter(persona.rubric_id, persona.lang)
    except Exception:  # noqa: BLE001 - plan without findings when no rubric is installed
        rubric = None
    sc = persona.scenario
    turns = [t.say for t in sc.scripts[script].turns]
    barge_in = barge_in or {}
    lines = [AgentLine(with_pauses(t) if pauses and i % 2 == 1 else t,
                       barge_in_after_s=barge_in.get(i)) for i, t in enumerate(turns)]
    engine, rate = persona.voice_settings
    return build_track(lines, Renderer(persona.lang, rate=agent_rate), persona, rubric,
                       Renderer(persona.lang, engine=engine, rate=rate))


# A good-agent call for the late-delivery scenario, with pauses inside turns and two barge-ins.
LATE_DELIVERY_GOOD = [
    AgentLine("Hello, thank you for calling Nordic Home, this is Anna speaking. How can I help you today?"),
    AgentLine("I am so sorry about that, I completely understand how frustrating it is to take a day off for nothing."),
    AgentLine("Could I have your order number, please?"),
    AgentLine("Thank you. Let me check. | 0.7 | The order number is N H | 0.6 | 4 8 2 1 3, is that right?"),
    AgentLine("I can see the delivery was missed and | 0.7 | nobody called you. That should not have happened."),
    AgentLine("I will book a new delivery for Thursday morning, and I will call you by 3 pm today to confirm the time."),
    AgentLine("Is there anything else I can help you with today?"),
    AgentLine("Thank you for your patience, Mark. Have a good day."),
]


__all__ = ["AgentLine", "Track", "build_track", "say", "scenario_track", "with_pauses",
           "LATE_DELIVERY_GOOD"]
