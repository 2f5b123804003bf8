"""`coach scenario list/show/validate` through click (no rubric needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coach.commands.scenario import scenario
from coach.persona.scenario import builtin_ids, load_scenario


def run(*args):
    return CliRunner().invoke(scenario, list(args), standalone_mode=False)


def test_list_json_has_every_builtin():
    r = run("list", "--json")
    assert r.exit_code == 0 and r.return_value == 0
    rows = json.loads(r.output)
    assert [x["id"] for x in rows] == builtin_ids()
    assert all(x["languages"] == ["en", "fi"] for x in rows)


def test_show_text_and_json():
    r = run("show", "rude-customer", "--lang", "fi")
    assert r.return_value == 0
    assert "Kari Heikkinen" in r.output and "PW-66120" in r.output and "Opening lines" in r.output
    assert "{" not in r.output.split("Opening lines:")[1].split("Mood:")[0]  # placeholders filled in
    d = json.loads(run("show", "late-delivery", "--json").output)
    assert d["id"] == "late-delivery" and d["lang"] == "en" and d["facts"]["order_number"] == "NH-48213"
    assert d["end"]["escalated_anger"] == 10 and d["reactions"]["calm_down"]["anger"] == 3


def test_validate_ok_and_bad(tmp_path):
    path = load_scenario("late-delivery").path
    r = run("validate", path)
    assert r.return_value == 0 and "ok (late-delivery; en, fi; 6 scripts)" in r.output and "note" not in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nmood: {anger: 3}\n", "utf-8")
    r = run("validate", str(bad), path)
    assert r.return_value == 1
    text = r.output  # click >= 8.2: stdout and stderr interleaved
    assert f"{bad}:1: id: must be lower-case letters" in text
    assert "missing required field 'end'" in text and "missing required field 'variants'" in text


def test_validate_notes_missing_scripts(tmp_path):
    text = Path(load_scenario("broken-product").path).read_text("utf-8")
    f = tmp_path / "no-scripts.yaml"
    f.write_text(_strip_scripts(text), "utf-8")
    r = run("validate", str(f))
    assert r.return_value == 0
    assert "note: the 'en' variant has no good-agent script" in r.output
    assert "note: the 'fi' variant has no poor-agent script" in r.output


def _strip_scripts(text: str) -> str:
    out, skipping = [], False
    for line in text.splitlines():
        if line == "    scripts:":
            skipping = True
            continue
        if skipping and (line.startswith("      ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"
