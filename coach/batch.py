"""Assess many calls: find them, score each (worker processes or Ray), write, summarise.

* Discovery: INPUT files and folders, recursively. A practice-session folder is one call; an
  audio file is a call; a transcript file is a call unless an audio file of the same name sits
  beside it (then it is that audio's companion, see coach.assessment). Hidden files, our own
  outputs (``*.scorecard.json``, ``*.report.html``, ``summary.*``) and the output folder are
  skipped.
* Output: ``OUT/<relative path>/<name>.scorecard.json`` and ``.report.html`` per call (atomic).
* Resumable: a call whose scorecard is newer than its input and the rubric file is skipped and
  its existing scorecard is used for the summary.
* Workers: ``--workers N`` processes (spawned) that each build one Assessor, so each loads the
  speech model once. A failing call is reported on one line and the rest go on.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from coach.assessment import AssessOptions, Assessor, companion
from coach.errors import CoachError
from coach.transcript_io import AUDIO_SUFFIXES, TRANSCRIPT_SUFFIXES, is_session_dir
from coach.types import Scorecard

OUTPUT_SUFFIXES = (".scorecard.json", ".report.html")


@dataclass(frozen=True)
class Job:
    input: str
    json_out: str
    html_out: str | None


@dataclass
class Outcome:
    input: str
    ok: bool
    error: str | None = None
    card: Scorecard | None = None
    json_out: str | None = None
    html_out: str | None = None
    seconds: float = 0.0
    skipped: bool = False
    audio_s: float | None = None


def _is_output(p: Path) -> bool:
    n = p.name
    return n.endswith(OUTPUT_SUFFIXES) or n in {"summary.csv", "summary.html", "summary.json"}


def discover(inputs: Iterable[str | os.PathLike], out_dir: str | os.PathLike | None = None
             ) -> list[tuple[Path, Path]]:
    """(call path, path relative to its INPUT root) for every call, in a stable order."""
    out = Path(out_dir).resolve() if out_dir else None
    found: list[tuple[Path, Path]] = []
    seen: set[Path] = set()

    def add(p: Path, rel: Path) -> None:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            found.append((p, rel))

    for raw in inputs:
        root = Path(raw)
        if not root.is_dir() or is_session_dir(root):
            add(root, Path(root.name))  # a missing/odd file is reported when assessed
            continue
        first = len(found)
        for dirpath, dirnames, filenames in os.walk(root):
            d = Path(dirpath)
            dirnames[:] = sorted(x for x in dirnames if not x.startswith(".")
                                 and (out is None or (d / x).resolve() != out))
            for x in list(dirnames):
                if is_session_dir(d / x):
                    add(d / x, (d / x).relative_to(root))
                    dirnames.remove(x)
            for name in sorted(filenames):
                p = d / name
                suffix = p.suffix.lower()
                if name.startswith(".") or _is_output(p):
                    continue
                if suffix in AUDIO_SUFFIXES:
                    add(p, p.relative_to(root))
                elif suffix in TRANSCRIPT_SUFFIXES and companion(p, AUDIO_SUFFIXES) is None:
                    add(p, p.relative_to(root))
        found[first:] = sorted(found[first:], key=lambda c: c[1].as_posix())
    return found


def plan(calls: list[tuple[Path, Path]], out_dir: str | os.PathLike, html: bool = True) -> list[Job]:
    """Output paths per call; names that would collide get the input's suffix added."""
    out = Path(out_dir)
    jobs, used = [], set()
    for path, rel in calls:
        base = out / rel.parent / rel.stem if rel.suffix else out / rel
        if base in used:
            base = base.with_name(f"{base.name}{rel.suffix.replace('.', '_')}")
        used.add(base)
        jobs.append(Job(str(path), f"{base}.scorecard.json", f"{base}.report.html" if html else None))
    return jobs


def _mtime(p: Path) -> float:
    if p.is_dir():
        return max([_mtime(c) for c in p.iterdir()] + [p.stat().st_mtime])
    return p.stat().st_mtime


def up_to_date(job: Job, rubric_file: Path | None) -> bool:
    out = Path(job.json_out)
    try:
        t = out.stat().st_mtime
        newest = _mtime(Path(job.input))
        if rubric_file is not None and rubric_file.is_file():
            newest = max(newest, rubric_file.stat().st_mtime)
        if job.html_out and not Path(job.html_out).is_file():
            return False
    except OSError:
        return False
    return t > newest


def rubric_file(rubric) -> Path | None:
    p = getattr(rubric, "path", None)
    if p:
        return Path(p)
    from coach.paths import builtin_dir

    cand = builtin_dir("rubrics") / f"{rubric.id}.yaml"
    return cand if cand.is_file() else None


# ------------------------------------------------------------------ one call (any process)

def run_job(assessor: Assessor, job: Job) -> Outcome:
    from coach.report import write_html, write_json

    t0 = time.perf_counter()
    try:
        res = assessor.assess(job.input)
        write_json(res.card, job.json_out)
        if job.html_out:
            write_html(res.card, job.html_out, audio=res.audio)
        dur = res.card.transcript.duration if res.card.transcript else None
        return Outcome(job.input, True, card=res.card, json_out=job.json_out, html_out=job.html_out,
                       seconds=time.perf_counter() - t0,
                       audio_s=dur if res.card.meta.get("input_kind") == "audio" else None)
    except CoachError as exc:
        msg = exc.message if exc.path else str(exc)
        return Outcome(job.input, False, error=msg, seconds=time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - one bad call must not stop the batch
        return Outcome(job.input, False, error=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - t0)


_worker: Assessor | None = None


def _init_worker(opts: AssessOptions) -> None:
    global _worker
    _worker = Assessor(opts)
    if opts.model:  # load the speech model now, once per worker
        _worker.transcriber(opts.lang or "en")


def _work(job: Job) -> Outcome:
    assert _worker is not None
    return run_job(_worker, job)


def run_local(jobs: list[Job], opts: AssessOptions, workers: int, rubric=None,
              on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    done: list[Outcome] = []
    if workers <= 1 or len(jobs) <= 1:
        assessor = Assessor(opts, rubric=rubric)
        for job in jobs:
            o = run_job(assessor, job)
            done.append(o)
            if on_done:
                on_done(o)
        return done
    import multiprocessing as mp

    ctx = mp.get_context("spawn")  # never fork a process with model threads
    # each worker's model gets its share of the cores; spawned children inherit the environment
    os.environ.setdefault("COACH_CPU_THREADS", str(max(1, (os.cpu_count() or 1) // workers)))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(opts,)) as pool:
        futs = {pool.submit(_work, job): job for job in jobs}
        for fut in as_completed(futs):
            try:
                o = fut.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died
                o = Outcome(futs[fut].input, False, error=f"worker failed: {type(exc).__name__}: {exc}")
            done.append(o)
            if on_done:
                on_done(o)
    return done


def run_ray(jobs: list[Job], opts: AssessOptions, address: str | None = None,
            on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    from coach.ray_engine import run as ray_run

    return ray_run(jobs, opts, address=address, on_done=on_done)
