"""Scenarios: load a YAML file (validated, with line numbers) into frozen, per-language objects.

One file per scenario (``scenarios/<id>.yaml``) holds the shared mood, end conditions and
reactions, and one block per language under ``variants: {en: ..., fi: ...}``.
``load_scenario(id_or_path, lang)`` returns the :class:`Scenario` for one language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from coach.errors import InputError, ValidationError
from coach.paths import builtin_dir
from coach.persona.validate import validate
from coach.persona.yamlsrc import load_yaml

OUTCOMES = ("resolved", "escalated", "hung_up", "unfinished")


@dataclass(frozen=True)
class Reaction:
    anger: float = 0.0
    progress: int = 0
    decay: float = 1.0  # each repetition counts decay x the previous one
    after_s: float | None = None  # silence only


DEFAULT_REACTIONS: Mapping[str, Reaction] = MappingProxyType({
    "acknowledgement": Reaction(anger=-1.5, decay=0.5),
    "apology": Reaction(anger=-1.0, decay=0.5),
    "next_step": Reaction(anger=-1.5, progress=1, decay=0.7),
    "thanks": Reaction(anger=-0.5, decay=0.5),
    "discouraged": Reaction(anger=2.0),
    "calm_down": Reaction(anger=3.0),
    "non_apology": Reaction(anger=1.5),
    "interrupted": Reaction(anger=1.0),
    "silence": Reaction(anger=1.0, after_s=5.0),
    "neutral": Reaction(anger=0.5),
    "question": Reaction(anger=0.0),
    "repeat_question": Reaction(anger=1.0),
})


@dataclass(frozen=True)
class Voice:
    espeak: str | None = None
    piper: str | None = None
    rate: int | None = None


@dataclass(frozen=True)
class ScriptTurn:
    say: str
    interrupted: bool = False
    silence_s: float = 0.0


@dataclass(frozen=True)
class Script:
    name: str
    expect: str
    turns: tuple[ScriptTurn, ...]
    seed: int = 0


@dataclass(frozen=True)
class EndRules:
    resolved_max_anger: float
    escalated_anger: float
    hung_up_anger: float
    hung_up_turns: int
    resolved_min_progress: int = 1
    max_turns: int | None = None


@dataclass(frozen=True)
class Scenario:
    """One scenario in one language: everything the persona needs, nothing to parse later."""

    id: str
    lang: str
    title: str
    persona_name: str
    facts: Mapping[str, str]
    opening: tuple[str, ...]
    lines: Mapping[str, tuple[str, ...]]
    answers: Mapping[str, tuple[str, ...]]
    start_anger: float
    end: EndRules
    reactions: Mapping[str, Reaction] = field(default_factory=lambda: DEFAULT_REACTIONS)
    start_progress: int = 0
    voice: Voice = field(default_factory=Voice)
    temperament: str = ""
    intents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scripts: tuple[Script, ...] = ()
    languages: tuple[str, ...] = ()
    description: str = ""
    path: str | None = None


@dataclass(frozen=True)
class ScenarioFile:
    id: str
    path: str
    default_lang: str
    variants: Mapping[str, Scenario]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.variants)

    def get(self, lang: str | None = None) -> Scenario:
        lang = lang or self.default_lang
        if lang not in self.variants:
            raise InputError(f"scenario '{self.id}' has no '{lang}' variant (available: "
                             f"{', '.join(self.variants)})", self.path)
        return self.variants[lang]


def _freeze_lines(block: Mapping[str, Any] | None) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in (block or {}).items()})


def _build(data: dict, path: str) -> ScenarioFile:
    end = data["end"]
    rules = EndRules(
        resolved_max_anger=float(end["resolved"]["max_anger"]),
        resolved_min_progress=int(end["resolved"].get("min_progress", 1)),
        escalated_anger=float(end["escalated"]["anger"]),
        hung_up_anger=float(end["hung_up"]["anger"]),
        hung_up_turns=int(end["hung_up"]["turns"]),
        max_turns=end.get("max_turns"),
    )
    reactions = dict(DEFAULT_REACTIONS)
    for name, spec in (data.get("reactions") or {}).items():
        base = reactions[name]
        reactions[name] = Reaction(anger=float(spec.get("anger", base.anger)),
                                   progress=int(spec.get("progress", base.progress)),
                                   decay=float(spec.get("decay", base.decay)),
                                   after_s=spec.get("after_s", base.after_s))
    frozen_reactions = MappingProxyType(reactions)
    langs = tuple(data["variants"])
    variants: dict[str, Scenario] = {}
    for lang, var in data["variants"].items():
        persona = var["persona"]
        voice = persona.get("voice") or {}
        scripts = []
        for s in var.get("scripts") or []:
            turns = tuple(ScriptTurn(say=t) if isinstance(t, str) else
                          ScriptTurn(say=t["say"], interrupted=bool(t.get("interrupted", False)),
                                     silence_s=float(t.get("silence_s", 0.0)))
                          for t in s["turns"])
            scripts.append(Script(name=s["name"], expect=s["expect"], turns=turns, seed=int(s.get("seed", 0))))
        variants[lang] = Scenario(
            id=data["id"], lang=lang, title=var["title"], persona_name=persona["name"],
            facts=MappingProxyType({k: str(v) for k, v in var["facts"].items()}),
            opening=tuple(var["opening"]), lines=_freeze_lines(var["lines"]),
            answers=_freeze_lines(var.get("answers")), start_anger=float(data["mood"]["anger"]),
            start_progress=int(data["mood"].get("progress", 0)), end=rules, reactions=frozen_reactions,
            voice=Voice(espeak=voice.get("espeak"), piper=voice.get("piper"), rate=voice.get("rate")),
            temperament=persona.get("temperament", ""), intents=_freeze_lines(var.get("intents")),
            scripts=tuple(scripts), languages=langs, description=data.get("description", ""), path=path,
        )
    default = data.get("default_lang") or langs[0]
    return ScenarioFile(id=data["id"], path=path, default_lang=default, variants=MappingProxyType(variants))


def parse_scenario(text: str, path: str) -> ScenarioFile:
    """Parse and validate YAML text. Raises ValidationError with every issue."""
    data, lines, issues = load_yaml(text, path)
    if data is not None:
        issues = issues + validate(data, lines, path)
    if issues:
        issues.sort(key=lambda i: (i.line or 0, i.key or ""))
        raise ValidationError(issues, path)
    return _build(data, path)


def read_scenario_file(path: str | Path) -> ScenarioFile:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", p) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", p) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", p) from None
    return parse_scenario(text, str(p))


def scenarios_dir() -> Path:
    return builtin_dir("scenarios")


def builtin_ids() -> list[str]:
    d = scenarios_dir()
    return sorted(p.stem for p in d.glob("*.yaml")) if d.is_dir() else []


def _is_path(ref: str) -> bool:
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref or Path(ref).is_file()


def load_scenario_file(id_or_path: str | Path) -> ScenarioFile:
    ref = str(id_or_path)
    if _is_path(ref):
        return read_scenario_file(ref)
    path = scenarios_dir() / f"{ref}.yaml"
    if not path.is_file():
        raise InputError(f"unknown scenario '{ref}' (available: {', '.join(builtin_ids()) or 'none'})")
    return read_scenario_file(path)


def load_scenario(id_or_path: str | Path, lang: str | None = None) -> Scenario:
    """The scenario ``id_or_path`` (built-in id or YAML path) in ``lang`` (default: its own)."""
    return load_scenario_file(id_or_path).get(lang)
