"""History of assessed calls in an embedded SQLite database (stdlib sqlite3).

Location: ``--db PATH``, else ``$COACH_DB``, else ``<coach.paths.data_dir()>/history.sqlite3``.
One row per assessed input (re-assessing the same input with the same rubric replaces its row),
keyed by agent id and call date, with the score, each item's result and the scorecard JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from coach.errors import InputError
from coach.types import Scorecard

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    input TEXT NOT NULL,
    agent TEXT,
    date TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    lang TEXT,
    score REAL NOT NULL,
    critical_failures TEXT NOT NULL DEFAULT '',
    talk_ratio REAL,
    created TEXT NOT NULL,
    scorecard TEXT NOT NULL,
    UNIQUE (input, rubric_id)
);
CREATE TABLE IF NOT EXISTS items (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    title TEXT,
    passed INTEGER,           -- 1 passed, 0 failed, NULL not applicable
    PRIMARY KEY (call_id, item_id)
);
CREATE INDEX IF NOT EXISTS calls_agent_date ON calls(agent, date);
"""


def default_path() -> Path:
    env = os.environ.get("COACH_DB")
    if env:
        return Path(env)
    from coach.paths import data_dir

    return data_dir() / "history.sqlite3"


@dataclass(frozen=True)
class CallRow:
    id: int
    input: str
    agent: str | None
    date: str
    rubric_id: str
    rubric_version: str
    score: float
    critical_failures: str
    talk_ratio: float | None
    created: str


class Store:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = Path(path) if path else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"cannot open the history database: {exc}", self.path) from None
        except OSError as exc:
            raise InputError(f"cannot create the history database: {exc.strerror or exc}", self.path) from None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def add(self, card: Scorecard) -> int:
        """Insert (or replace) one assessed call; returns its row id. One transaction."""
        from coach.report.scorecard_json import scorecard_dict

        meta = card.meta
        m = card.metrics
        with self.db:
            self.db.execute("DELETE FROM calls WHERE input = ? AND rubric_id = ?",
                            (str(meta.get("input", "")), card.rubric_id))
            cur = self.db.execute(
                "INSERT INTO calls (input, agent, date, rubric_id, rubric_version, lang, score,"
                " critical_failures, talk_ratio, created, scorecard) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (str(meta.get("input", "")), meta.get("agent"), str(meta.get("date", "")), card.rubric_id,
                 str(card.rubric_version), card.lang, float(card.score), ",".join(card.critical_failures),
                 m.talk_ratio if m else None, str(meta.get("created", "")),
                 json.dumps(scorecard_dict(card), ensure_ascii=False)))
            call_id = int(cur.lastrowid)
            self.db.executemany(
                "INSERT INTO items (call_id, item_id, title, passed) VALUES (?,?,?,?)",
                [(call_id, it.item_id, it.title, None if not it.applicable else int(it.passed))
                 for it in card.items])
        return call_id

    def calls(self, agent: str | None = None, rubric_id: str | None = None) -> list[CallRow]:
        q = ("SELECT id, input, agent, date, rubric_id, rubric_version, score, critical_failures,"
             " talk_ratio, created FROM calls WHERE 1=1")
        args: list = []
        if agent is not None:
            q += " AND agent = ?"
            args.append(agent)
        if rubric_id is not None:
            q += " AND rubric_id = ?"
            args.append(rubric_id)
        q += " ORDER BY date, created, id"
        return [CallRow(*r) for r in self.db.execute(q, args)]

    def agents(self) -> list[tuple[str | None, int, float]]:
        return list(self.db.execute(
            "SELECT agent, COUNT(*), AVG(score) FROM calls GROUP BY agent ORDER BY agent"))

    def item_results(self, agent: str, rubric_id: str | None = None) -> Iterator[tuple[str, str, str, int | None]]:
        """(date, item_id, title, passed) for an agent's calls, in date order."""
        q = ("SELECT c.date, i.item_id, i.title, i.passed FROM items i JOIN calls c ON c.id = i.call_id"
             " WHERE c.agent = ?")
        args: list = [agent]
        if rubric_id:
            q += " AND c.rubric_id = ?"
            args.append(rubric_id)
        yield from self.db.execute(q + " ORDER BY c.date, c.created, c.id", args)

    def progress(self, agent: str, rubric_id: str | None = None) -> dict[str, list[tuple[str, float]]]:
        """Per date: the mean score (series ``score``) and each item's pass rate, in percent."""
        series: dict[str, dict[str, list[float]]] = {"score": {}}
        for row in self.calls(agent, rubric_id):
            series["score"].setdefault(row.date, []).append(row.score)
        for date, item_id, _title, passed in self.item_results(agent, rubric_id):
            if passed is None:
                continue
            series.setdefault(item_id, {}).setdefault(date, []).append(100.0 * passed)
        return {name: [(d, sum(v) / len(v)) for d, v in sorted(by_date.items())]
                for name, by_date in series.items() if by_date}
