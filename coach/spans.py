"""Time spans (start, end) in seconds: union, gaps, intersection, difference, fast look-ups."""

from __future__ import annotations

from bisect import bisect_left
from typing import Sequence

Span = tuple[float, float]


def union(spans: Sequence[Span]) -> list[Span]:
    """Sorted, overlapping or touching spans merged; empty spans dropped."""
    out: list[list[float]] = []
    for a, b in sorted((float(a), float(b)) for a, b in spans if b > a):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def join_gaps(spans: Sequence[Span], gap: float) -> list[Span]:
    """Union, then spans separated by less than ``gap`` joined."""
    out: list[list[float]] = []
    for a, b in union(spans):
        if out and a - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def total(spans: Sequence[Span]) -> float:
    return sum(b - a for a, b in spans)


def intersect(x: Sequence[Span], y: Sequence[Span]) -> list[Span]:
    """Intersection of two unions."""
    out, i, j = [], 0, 0
    while i < len(x) and j < len(y):
        a, b = max(x[i][0], y[j][0]), min(x[i][1], y[j][1])
        if b > a:
            out.append((a, b))
        if x[i][1] < y[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(x: Sequence[Span], y: Sequence[Span]) -> list[Span]:
    """Parts of union ``x`` not covered by union ``y``."""
    out: list[Span] = []
    j = 0
    for a, b in x:
        while j < len(y) and y[j][1] <= a:
            j += 1
        k, cur = j, a
        while k < len(y) and y[k][0] < b:
            if y[k][0] > cur:
                out.append((cur, y[k][0]))
            cur = max(cur, y[k][1])
            k += 1
        if cur < b:
            out.append((cur, b))
    return out


class Spans:
    """Sorted, disjoint spans with fast look-ups."""

    def __init__(self, spans: Sequence[Span]):
        self.spans = list(spans)
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def touches(self, a: float, b: float) -> bool:
        """Does any span touch [a, b]?"""
        k = bisect_left(self.ends, a)
        return k < len(self.spans) and self.spans[k][0] <= b

    def covered(self, a: float, b: float) -> float:
        """Seconds of [a, b] covered by the spans."""
        k = bisect_left(self.ends, a)
        got = 0.0
        while k < len(self.spans) and self.spans[k][0] < b:
            got += min(b, self.spans[k][1]) - max(a, self.spans[k][0])
            k += 1
        return got


__all__ = ["Span", "Spans", "union", "join_gaps", "total", "intersect", "subtract"]
