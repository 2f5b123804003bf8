"""`coach scenario`: list, show, validate and test practice scenarios (coach.persona)."""

from __future__ import annotations

import json

import click


@click.group("scenario")
def scenario() -> None:
    """List, show, validate and test practice scenarios (scenarios/*.yaml)."""


@scenario.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(as_json: bool) -> int:
    """The built-in scenarios."""
    from rich.console import Console
    from rich.table import Table

    from coach.persona.scenario import builtin_ids, load_scenario_file

    rows = []
    for sid in builtin_ids():
        sf = load_scenario_file(sid)
        sc = sf.get()
        rows.append({"id": sid, "languages": list(sf.languages), "title": sc.title,
                     "persona": sc.persona_name, "anger": sc.start_anger})
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    table = Table(title="Scenarios (coach practice --scenario ID --lang en|fi)")
    table.add_column("id", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("title")
    table.add_column("anger", no_wrap=True)
    for r in rows:
        table.add_row(r["id"], ",".join(r["languages"]), f"{r['title']} ({r['persona']})", f"{r['anger']:g}/10")
    Console(highlight=False).print(table)
    return 0


def _scenario_dict(sc) -> dict:
    from coach.types import to_dict

    d = to_dict(sc)
    d.pop("path", None)
    return d


@scenario.command("show")
@click.argument("ref")
@click.option("--lang", type=click.Choice(["en", "fi"]), default=None, help="Variant (default: the scenario's).")
@click.option("--json", "as_json", is_flag=True, help="The whole scenario as JSON.")
def show_cmd(ref: str, lang: str | None, as_json: bool) -> int:
    """Show scenario REF (an id or a YAML file) in one language."""
    from rich.console import Console

    from coach.persona.scenario import load_scenario

    sc = load_scenario(ref, lang)
    if as_json:
        click.echo(json.dumps(_scenario_dict(sc), ensure_ascii=False, indent=2))
        return 0
    con = Console(highlight=False, soft_wrap=True)
    e = sc.end
    con.print(f"[bold]{sc.id}[/] ({sc.lang}; variants: {', '.join(sc.languages)}): {sc.title}")
    if sc.description:
        con.print(sc.description.strip())
    voice = ", ".join(f"{k} {v}" for k, v in (("espeak", sc.voice.espeak), ("piper", sc.voice.piper),
                                                  ("rate", sc.voice.rate)) if v)
    con.print(f"\n[bold]Customer:[/] {sc.persona_name} – {sc.temperament or 'no temperament given'}"
              f"{f' (voice: {voice})' if voice else ''}")
    con.print("[bold]Facts:[/]")
    for k, v in sc.facts.items():
        con.print(f"  {k}: {v}")
    con.print("[bold]Opening lines:[/]")
    for line in sc.opening:
        con.print(f"  - {line.format_map(dict(sc.facts))}")
    con.print(f"[bold]Mood:[/] anger starts at {sc.start_anger:g}/10. Resolved at anger <= {e.resolved_max_anger:g} "
              f"with {e.resolved_min_progress} concrete next step(s); escalates (asks for a manager) at "
              f"{e.escalated_anger:g}; hangs up after {e.hung_up_turns} turn(s) at >= {e.hung_up_anger:g}"
              f"{f'; gives up after {e.max_turns} turns' if e.max_turns else ''}.")
    con.print("[bold]Reactions:[/] " + ", ".join(
        f"{k} {r.anger:+g}" + (f" (progress +{r.progress})" if r.progress else "")
        for k, r in sc.reactions.items()))
    con.print(f"[bold]Answers to questions about:[/] {', '.join(sc.answers) or 'none'}")
    con.print("[bold]Scripts:[/] " + (", ".join(f"{s.name} -> {s.expect}" for s in sc.scripts) or "none"))
    return 0


@scenario.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate_cmd(files: tuple[str, ...]) -> int:
    """Check scenario FILES; every problem is reported as file:line: key: message."""
    from coach.errors import CoachError, ValidationError
    from coach.persona.scenario import read_scenario_file

    bad = 0
    for f in files:
        try:
            sf = read_scenario_file(f)
        except ValidationError as exc:
            bad += 1
            for line in exc.lines():
                click.echo(f"coach: error: {line}", err=True)
            continue
        except CoachError as exc:
            bad += 1
            click.echo(f"coach: error: {exc}", err=True)
            continue
        scripts = sum(len(v.scripts) for v in sf.variants.values())
        click.echo(f"{f}: ok ({sf.id}; {', '.join(sf.languages)}; {scripts} scripts)")
        for lg, sc in sf.variants.items():
            expects = {s.expect for s in sc.scripts}
            if "resolved" not in expects:
                click.echo(f"{f}: note: the '{lg}' variant has no good-agent script (expect: resolved)")
            if not expects & {"escalated", "hung_up"}:
                click.echo(f"{f}: note: the '{lg}' variant has no poor-agent script (expect: escalated or hung_up)")
    return 1 if bad else 0


@scenario.command("test")
@click.argument("refs", nargs=-1)
@click.option("--lang", type=click.Choice(["en", "fi"]), default=None, help="Only this language.")
@click.option("-v", "--verbose", is_flag=True, help="Print every turn of every script.")
def test_cmd(refs: tuple[str, ...], lang: str | None, verbose: bool) -> int:
    """Run the scripted trainee turns in scenario files or ids (default: all built-ins) and check
    that each reaches its expected outcome. Exit 1 on any failure."""
    from rich.console import Console
    from rich.table import Table

    from coach.persona.scenario import builtin_ids, load_scenario_file
    from coach.persona.scripts import rubric_findings, run_all

    con = Console(highlight=False, soft_wrap=True)
    findings = rubric_findings()
    table = Table(title="Scenario scripts")
    table.add_column("scenario", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("script", min_width=16)
    table.add_column("outcome (expected)", no_wrap=True)
    table.add_column("ok", no_wrap=True)
    problems: list[str] = []
    failed = total = 0
    for ref in refs or tuple(builtin_ids()):
        sf = load_scenario_file(ref)
        for lg, sc in sf.variants.items():
            if lang and lg != lang:
                continue
            if not sc.scripts:
                con.print(f"[yellow]{ref} ({lg}): no scripts[/]")
            for res in run_all(sc, findings):
                total += 1
                failed += not res.passed
                mark = "[green]PASS[/]" if res.passed else "[red]FAIL[/]"
                got = res.outcome if res.passed else f"{res.outcome} ({res.expect})"
                table.add_row(sf.id, lg, res.script, got, mark)
                if res.problem:
                    problems.append(f"{'FAIL' if not res.passed else 'note'}: {sf.id} ({lg}) {res.script}: {res.problem}")
                if verbose or not res.passed:
                    script = next(s for s in sc.scripts if s.name == res.script)
                    for turn, rep in zip(script.turns, res.replies):
                        con.print(f"  [cyan]agent:[/] {turn.say}")
                        con.print(f"  [magenta]customer[/] [dim](anger {rep.mood.anger:g}, {rep.reason}; "
                                  f"{', '.join(rep.behaviours) or '-'})[/]: {rep.text}")
    con.print(table)
    for line in problems:
        con.print(line)
    con.print(f"{total - failed}/{total} scripts reached their outcome.")
    return 1 if failed else 0


COMMANDS = [scenario]
