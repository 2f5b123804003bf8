"""The batch half of `coach assess`: discover, skip unchanged, run, store, summarise."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from coach.errors import InputError


def run_batch(inputs, opts, out_dir: Path, json_out, html_out, csv_out, workers, engine, address,
              db, no_store) -> int:
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)

    from coach.batch import Outcome, discover, plan, rubric_file, run_local, run_ray, up_to_date
    from coach.report import write_csv, write_summary_html
    from coach.report.files import atomic_write_text
    from coach.report.scorecard_json import read_json
    from coach.rubric import load_rubric

    rubric = load_rubric(opts.rubric)  # a rubric that does not validate stops here, before any output
    calls = discover(inputs, out_dir)
    if not calls:
        raise InputError("no calls found (audio, transcripts or practice-session folders)",
                         ", ".join(map(str, inputs)))
    jobs = plan(calls, out_dir)
    rfile = rubric_file(rubric)
    outcomes: list[Outcome] = []
    todo = []
    for job in jobs:
        if up_to_date(job, rfile):
            try:
                card = read_json(job.json_out)
                if card.rubric_id == rubric.id:
                    outcomes.append(Outcome(job.input, True, card=card, json_out=job.json_out,
                                            html_out=job.html_out, skipped=True))
                    continue
            except Exception:  # noqa: BLE001 - unreadable old scorecard: assess again
                pass
        todo.append(job)

    store = None
    if not no_store:
        from coach.store import Store

        store = Store(db)
    err = Console(stderr=True, highlight=False)
    failed: list[Outcome] = []
    with Progress(SpinnerColumn(), TextColumn("[bold]assess[/]"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[last]}", style="dim"), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=err, transient=False,
                  disable=not err.is_terminal and not _force_progress()) as bar:
        task = bar.add_task("calls", total=len(todo), last="")

        def done(o: Outcome) -> None:
            outcomes.append(o)
            if o.ok and store is not None:
                store.add(o.card)
            if not o.ok:
                failed.append(o)
                bar.console.print(f"coach: error: {o.input}: {o.error}", markup=False, soft_wrap=True)
            bar.update(task, advance=1, last=Path(o.input).name[-40:])

        if todo:
            if engine == "ray":
                run_ray(todo, opts, address=address, on_done=done)
            else:
                run_local(todo, opts, workers, rubric=rubric, on_done=done)
    if store is not None:
        store.close()

    order = {j.input: i for i, j in enumerate(jobs)}
    outcomes.sort(key=lambda o: order.get(o.input, 0))
    ok = [o for o in outcomes if o.ok]
    summary_csv = csv_out or str(out_dir / "summary.csv")
    summary_html = html_out or out_dir / "summary.html"
    write_csv([o.card for o in ok], summary_csv, failures=[(o.input, o.error or "") for o in failed])
    write_summary_html(outcomes, summary_html, title=f"{len(outcomes)} calls · {', '.join(map(str, inputs))}")
    if json_out:
        rows = [{"input": o.input, "ok": o.ok, "error": o.error, "skipped": o.skipped,
                 "score": round(float(o.card.score), 1) if o.card else None,
                 "scorecard": o.json_out if o.ok else None, "report": o.html_out if o.ok else None}
                for o in outcomes]
        atomic_write_text(json_out, json.dumps({"calls": rows, "failed": len(failed)}, indent=2))
    skipped = sum(1 for o in outcomes if o.skipped)
    click.echo(f"{len(ok) - skipped} assessed, {skipped} unchanged (skipped), {len(failed)} failed"
               f" · summary: {summary_html} · {summary_csv}", err=True)
    return 1 if failed else 0


def _force_progress() -> bool:
    import os

    return bool(os.environ.get("COACH_PROGRESS")) and sys.stderr is not None
