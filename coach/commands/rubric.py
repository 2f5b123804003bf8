"""`coach rubric`: list, validate, test, explain and evaluate rubrics."""

from __future__ import annotations

import json
import sys

import click


@click.group("rubric")
def rubric() -> None:
    """List, validate, test, explain and evaluate rubrics (YAML, English + Finnish)."""


@rubric.command("list")
def list_cmd() -> None:
    """Built-in rubrics and the registered check kinds."""
    from coach.rubric import builtin_names, load_rubric
    from coach.rubric.registry import REGISTRY

    for name in builtin_names():
        rub = load_rubric(name)
        click.echo(f"{rub.id:24} v{rub.version:6} {','.join(rub.languages):6} {len(rub.items):2} items  {rub.title('en')}")
    click.echo("check kinds: " + ", ".join(REGISTRY.names()))
    for err in REGISTRY.errors:
        click.echo(f"warning: {err}", err=True)


@rubric.command("validate")
@click.argument("files", nargs=-1, required=True)
def validate_cmd(files: tuple[str, ...]) -> int:
    """Validate rubric files; prints every problem as file:line: key: message."""
    from coach.errors import ValidationError
    from coach.rubric.model import resolve, validate_file

    bad = 0
    for f in files:
        try:
            rub = validate_file(resolve(f))
        except ValidationError as exc:
            bad += 1
            for line in exc.lines():
                click.echo(f"coach: error: {line}", err=True)
            continue
        click.echo(f"{f}: ok ({rub.id} v{rub.version}, {len(rub.items)} items, {', '.join(rub.languages)})")
    return 1 if bad else 0


def run_examples(rub) -> tuple[int, list[str]]:
    """Run every inline example; returns (number run, failure lines)."""
    from coach.rubric.engine import match_text
    from coach.rubric.model import text_for  # noqa: F401

    total, failures = 0, []
    for it in rub.items:
        for lang, ex in it.examples.items():
            langs = rub.languages if lang == "any" else [lang]
            for lg in langs:
                for text, want in [(t, True) for t in ex.match] + [(t, False) for t in ex.no_match]:
                    total += 1
                    got = any(f.item_id == it.id for f in match_text(text, rub, lg, speaker=it.speaker if it.speaker != "any" else "agent"))
                    if got != want:
                        failures.append(f"{it.id} [{lg}] expected {'match' if want else 'no match'}: {text!r}")
    return total, failures


@rubric.command("test")
@click.argument("files", nargs=-1, required=True)
def test_cmd(files: tuple[str, ...]) -> int:
    """Run the inline examples of rubric files; exit 1 on any failure."""
    from coach.rubric import load_rubric

    failed = 0
    for f in files:
        rub = load_rubric(f)
        total, failures = run_examples(rub)
        for line in failures:
            click.echo(f"FAIL {f}: {line}")
        click.echo(f"{f}: {total - len(failures)}/{total} examples pass")
        failed += len(failures)
    return 1 if failed else 0


@rubric.command("explain")
@click.argument("rubric_name")
@click.argument("text")
@click.option("--lang", type=click.Choice(["en", "fi"]), default="en", show_default=True)
@click.option("--brief", is_flag=True, help="Only the matches, not the near misses.")
def explain_cmd(rubric_name: str, text: str, lang: str, brief: bool) -> None:
    """Which item matched which words, and why (and what vetoed a near miss)."""
    from coach.rubric.explain import explain

    for line in explain(text, rubric_name, lang, verbose=not brief):
        click.echo(line)


@rubric.command("eval")
@click.argument("rubric_name")
@click.argument("data")
@click.option("--json", "as_json", is_flag=True, help="Print only the figures as JSON.")
@click.option("--misses/--no-misses", default=True, help="List the misclassified lines.")
@click.option("--semantic", is_flag=True, help="Add the optional embedding layer (English; needs the 'semantic' extra).")
def eval_cmd(rubric_name: str, data: str, as_json: bool, misses: bool, semantic: bool) -> None:
    """Precision, recall, F1 and support per item on labelled JSON lines."""
    from coach.rubric import load_rubric
    from coach.rubric.evaluate import evaluate, read_rows

    rub = load_rubric(rubric_name)
    if semantic:
        from coach.rubric.semantic import evaluate_with_semantic
        res = evaluate_with_semantic(rub, read_rows(data))
    else:
        res = evaluate(rub, read_rows(data))
    if as_json:
        json.dump(res.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    fig = res.as_json()

    def table(title: str, rows: dict) -> None:
        click.echo(f"{title}")
        click.echo(f"  {'item':18} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}")
        for iid, m in rows.items():
            click.echo(f"  {iid:18} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} {m['support']:8d}")

    table(f"{rub.id} on {data}: overall", fig["items"])
    for lang, rows in fig["by_lang"].items():
        table(f"language {lang}", rows)
    if misses:
        click.echo(f"misses ({len(res.misses)}):")
        for m in res.misses:
            click.echo(f"  line {m['line']} [{m['lang']}] expected {m['expected']} got {m['got']}: {m['text']}")


COMMANDS = [rubric]
