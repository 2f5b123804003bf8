"""Check kinds by versioned name (``regex.v1``, ``time_promise.v1``...), found via entry points.

A check kind is a pydantic model for its parameters plus a ``build(params, ctx)`` function that
returns a compiled check. Built-in kinds register through the same entry-point group as plugins
(``coach.checks``; pyproject declares ``builtin = "coach.rubric.checks:register"``). An entry
point names a callable that receives the :class:`Registry` and calls ``registry.register(...)``.

    def register(registry):
        registry.register("shout.v1", ShoutParams, build_shout, doc="...")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict

from coach.errors import CoachError

GROUP = "coach.checks"
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.v[0-9]+$")


class StrictParams(BaseModel):
    """A base for check parameters: an unknown key is an error (a misspelt option is reported
    by ``coach rubric validate`` instead of being ignored)."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class CheckKind:
    name: str
    params: type[BaseModel]
    build: Callable[[Any, Any], Any]
    doc: str = ""
    origin: str = "builtin"


@dataclass
class Registry:
    kinds: dict[str, CheckKind] = field(default_factory=dict)
    loaded: bool = False
    errors: list[str] = field(default_factory=list)
    _origin: str = "api"

    def register(self, name: str, params: type[BaseModel], build: Callable[[Any, Any], Any],
                 doc: str = "") -> CheckKind:
        if not NAME_RE.match(name):
            raise CoachError(f"check kind name {name!r} must look like 'name.v1'")
        if not (isinstance(params, type) and issubclass(params, BaseModel)):
            raise CoachError(f"check kind {name}: params must be a pydantic model class")
        kind = CheckKind(name, params, build, doc or (build.__doc__ or "").strip(), self._origin)
        self.kinds[name] = kind
        return kind

    def load(self, force: bool = False) -> None:
        """Discover every ``coach.checks`` entry point (once per process unless ``force``)."""
        if self.loaded and not force:
            return
        self.loaded = True
        eps = sorted(metadata.entry_points(group=GROUP), key=lambda e: (e.name != "builtin", e.name))
        if not any(e.name == "builtin" for e in eps):  # running from a tree without metadata
            from coach.rubric import checks
            self._origin = "builtin"
            checks.register(self)
        for ep in eps:
            self._origin = "builtin" if ep.name == "builtin" else f"{ep.name} ({ep.value})"
            try:
                ep.load()(self)
            except Exception as exc:  # noqa: BLE001 - a broken plugin must not break coach
                self.errors.append(f"entry point {ep.name} = {ep.value}: {type(exc).__name__}: {exc}")
        self._origin = "api"

    def get(self, name: str) -> CheckKind | None:
        self.load()
        return self.kinds.get(name)

    def names(self) -> list[str]:
        self.load()
        return sorted(self.kinds)


REGISTRY = Registry()


def register_check(name: str, params: type[BaseModel], build: Callable[[Any, Any], Any],
                   doc: str = "") -> CheckKind:
    """Register a check kind from Python code (tests, notebooks); plugins use entry points."""
    REGISTRY.load()
    return REGISTRY.register(name, params, build, doc)


def get_kind(name: str) -> CheckKind | None:
    return REGISTRY.get(name)


def kind_names() -> list[str]:
    return REGISTRY.names()
