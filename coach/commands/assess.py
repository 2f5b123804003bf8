"""`coach assess` (score calls and transcripts), `coach history`, `coach progress`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coach.errors import InputError

DEFAULT_OUT = "coach-out"


def _options(rubric, agent_channel, lang, agent, model):
    from coach.assessment import AssessOptions

    return AssessOptions(rubric=rubric, agent_channel=agent_channel, lang=lang, agent=agent, model=model)


def _echo_card(card) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    verdict = "red" if card.critical_failures or card.score < 60 else "yellow" if card.score < 80 else "green"
    con.print(f"[bold]{card.meta.get('input')}[/]  rubric {card.rubric_id} v{card.rubric_version}  "
              f"score [bold {verdict}]{card.score:.0f}/100[/]")
    t = Table(show_header=True, header_style="bold", box=None)
    t.add_column("")
    t.add_column("item")
    t.add_column("evidence / feedback", overflow="fold")
    for it in card.items:
        mark = "[dim]–[/]" if not it.applicable else "[green]✓[/]" if it.passed else "[red]✗[/]"
        ev = "; ".join(f"“{f.text}”" for f in it.findings[:2])
        if it.applicable and not it.passed and it.feedback:
            ev = (ev + "  " if ev else "") + f"[yellow]{it.feedback}[/]"
        t.add_row(mark, it.title + (" [red](critical)[/]" if it.critical else ""), ev)
    con.print(t)
    for n in card.meta.get("notes", ()):
        con.print(f"[yellow]note:[/] {n}")


def _open_store(db):
    from coach.store import Store

    return Store(db)


@click.command("assess")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--rubric", default="complaint-handling", show_default=True, help="Built-in rubric name or a YAML path.")
@click.option("--agent-channel", type=click.Choice(["left", "right"]), default="left", show_default=True,
              help="Which stereo channel is the agent.")
@click.option("--lang", type=click.Choice(["en", "fi"]), default=None, help="Language (default: the transcript's, else en).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help=f"Folder for one scorecard + report per call and the summary (batches default to ./{DEFAULT_OUT}).")
@click.option("--json", "json_out", help="Write the scorecard JSON here ('-' = stdout); for a batch, a JSON summary.")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), help="HTML report (batch: the summary page).")
@click.option("--csv", "csv_out", help="CSV: one row per call ('-' = stdout).")
@click.option("--agent", help="Agent id (default: from file names like <agent>_<YYYY-MM-DD>_*.wav).")
@click.option("--workers", type=click.IntRange(1, 256), default=1, show_default=True, help="Worker processes, each loading the model once.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True, help="Run a batch locally or as Ray tasks.")
@click.option("--address", help="Ray cluster address (with --engine ray; default: start a local Ray).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="History database (default $COACH_DB, else the user data folder).")
@click.option("--model", help="Speech model: tiny.en, base or a CTranslate2 Whisper folder (default: tiny.en for en, base for fi).")
@click.option("--no-store", is_flag=True, help="Do not record results in the history database.")
def assess(inputs, rubric, agent_channel, lang, out_dir, json_out, html_out, csv_out, agent, workers,
           engine, address, db, model, no_store):
    """Score recorded calls, transcripts (JSON, VTT, SRT, text) or practice-session folders.

    \b
    coach assess call.wav --html report.html
    coach assess call.json --json -
    coach assess calls/ --out out/ --workers 2
    """
    from coach.transcript_io import is_session_dir

    opts = _options(rubric, agent_channel, lang, agent, model)
    single = len(inputs) == 1 and (not inputs[0].is_dir() or is_session_dir(inputs[0])) and out_dir is None
    if engine == "ray" and single:
        engine = "local"
    if single:
        return _assess_one(inputs[0], opts, json_out, html_out, csv_out, db, no_store)
    from coach.commands._assess_batch import run_batch

    return run_batch(inputs, opts, out_dir or Path(DEFAULT_OUT), json_out, html_out, csv_out, workers,
                     engine, address, db, no_store)


def _assess_one(path: Path, opts, json_out, html_out, csv_out, db, no_store) -> int:
    from coach.assessment import Assessor
    from coach.report import write_csv, write_html, write_json

    res = Assessor(opts).assess(path)
    card = res.card
    if json_out:
        write_json(card, json_out)
    if html_out:
        write_html(card, html_out, audio=res.audio)
    if csv_out:
        write_csv([card], csv_out)
    if not no_store:
        with _open_store(db) as store:
            store.add(card)
    if not (json_out or html_out or csv_out):
        _echo_card(card)
    elif json_out != "-" and csv_out != "-":
        click.echo(f"{path}: score {card.score:.0f}/100" + "".join(
            f", {k} {v}" for k, v in (("json", json_out), ("html", html_out), ("csv", csv_out)) if v), err=True)
    return 0


@click.command("history")
@click.option("--agent", help="Only this agent's calls.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="History database (default $COACH_DB).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def history(agent, db, as_json):
    """List assessed calls from the history database, oldest first."""
    from rich.console import Console
    from rich.table import Table

    with _open_store(db) as store:
        rows = store.calls(agent)
    if as_json:
        for r in rows:
            click.echo(json.dumps(r.__dict__, ensure_ascii=False))
        return 0
    if not rows:
        click.echo(f"no assessed calls{' for agent ' + agent if agent else ''} in {store.path}", err=True)
        return 0
    t = Table(title=f"history ({store.path})", header_style="bold")
    for c in ("date", "agent", "score", "rubric", "critical", "input"):
        t.add_column(c, justify="right" if c == "score" else "left", overflow="fold")
    for r in rows:
        t.add_row(r.date, r.agent or "", f"{r.score:.0f}", f"{r.rubric_id} v{r.rubric_version}",
                  r.critical_failures, r.input)
    Console().print(t)
    return 0


@click.command("progress")
@click.option("--agent", required=True, help="Agent id.")
@click.option("--html", "html_out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Write the chart page here.")
@click.option("--rubric", help="Only calls scored with this rubric id.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="History database (default $COACH_DB).")
def progress(agent, html_out, rubric, db):
    """Chart an agent's score and each rubric item's pass rate over time (HTML)."""
    from coach.report.summary import write_progress_html

    with _open_store(db) as store:
        rows = store.calls(agent, rubric)
        if not rows:
            raise InputError(f"no assessed calls for agent {agent!r}", store.path)
        series = store.progress(agent, rubric)
        titles = {i: t for _, i, t, _ in store.item_results(agent, rubric)}
    write_progress_html(agent, series, rows, html_out, titles)
    click.echo(f"{len(rows)} calls of {agent}: {html_out}", err=True)
    return 0


COMMANDS = [assess, history, progress]
