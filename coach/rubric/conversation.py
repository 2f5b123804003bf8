"""Built-in check kinds without patterns of their own: ``metric_threshold.v1`` (a conversation
metric against a threshold) and ``item.v1`` (another rubric's compiled item check, reused as is).
Registered with the pattern kinds by :func:`coach.rubric.checks.register`."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from coach.rubric.registry import StrictParams as _Params
from coach.rubric.patterns import CompileContext, PatternIssue


@dataclass(frozen=True)
class MetricResult:
    applicable: bool
    hit: bool
    why: str


# ----------------------------------------------------------------------- metric_threshold.v1
_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt, "==": operator.eq, "!=": operator.ne}


class MetricParams(_Params):
    metric: str = Field(..., description="a field of coach.types.Metrics, e.g. talk_ratio")
    op: Literal["<=", "<", ">=", ">", "==", "!="] = "<="
    value: float


class MetricCheck:
    level = "conversation"

    def __init__(self, p: MetricParams):
        self.p = p

    def evaluate(self, metrics: Any) -> MetricResult:
        v = getattr(metrics, self.p.metric, None) if metrics is not None else None
        if v is None:
            return MetricResult(False, False, f"{self.p.metric} unknown: not applicable")
        ok = _OPS[self.p.op](float(v), self.p.value)
        return MetricResult(True, ok, f"{self.p.metric} = {float(v):.3g} ({'meets' if ok else 'fails'} {self.p.op} {self.p.value:g})")


def build_metric(p: MetricParams, ctx: CompileContext, loc: tuple = ()) -> MetricCheck:
    """A conversation metric compared with a threshold; not applicable when the metric is None."""
    from dataclasses import fields

    from coach.types import Metrics

    names = {f.name for f in fields(Metrics)}
    if p.metric not in names:
        ctx.issues.append(PatternIssue(loc + ("metric",), f"unknown metric {p.metric!r} (known: {', '.join(sorted(names))})"))
    return MetricCheck(p)


# ------------------------------------------------------------------------------------ item.v1
class ItemRefParams(_Params):
    rubric: str = Field(..., description="built-in rubric name or path")
    item: str


def build_item_ref(p: ItemRefParams, ctx: CompileContext, loc: tuple = ()):
    """Reuse another rubric's item check (e.g. 7xK 'kohtaa' reuses complaint-handling acknowledgement)."""
    try:
        from coach.rubric.model import load_rubric

        rub = load_rubric(p.rubric)
        return rub.compiled(ctx.lang).checks[p.item]
    except KeyError:
        ctx.issues.append(PatternIssue(loc + ("item",), f"rubric {p.rubric!r} has no item {p.item!r}"))
    except Exception as exc:  # noqa: BLE001 - reported as a validation issue
        ctx.issues.append(PatternIssue(loc + ("rubric",), f"cannot load rubric {p.rubric!r}: {exc}"))
    return None
