"""Bad rubric files: every problem reported at once, each with file:line and key."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from coach.errors import InputError, ValidationError
from coach.rubric import load_rubric, validate_file
from coach.rubric.schema import json_schema

GOOD = """\
id: mini
title: Mini
version: 1
languages: [en, fi]
items:
  - id: apology
    check:
      kind: regex.v1
      patterns: {en: ['sorry'], fi: ['anteeksi']}
"""


def write(tmp_path: Path, text: str, name: str = "r.yaml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def issues(path: Path) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        validate_file(path)
    return exc.value.lines()


def test_good_rubric_loads(tmp_path):
    rub = validate_file(write(tmp_path, GOOD))
    assert rub.id == "mini" and rub.version == "1" and [i.id for i in rub.items] == ["apology"]


@pytest.mark.parametrize("text,line,key,fragment", [
    (GOOD.replace("title: Mini", "title: Mini\ncolour: red"), 3, "colour", "unknown key"),
    (GOOD.replace("languages: [en, fi]", "languages: [en, sv]"), 4, "languages", "unknown language 'sv'"),
    (GOOD.replace("['sorry']", "['(sorry']"), 9, "patterns", "bad regular expression"),
    (GOOD.replace("    check:", "    weight: heavy\n    check:"), 7, "weight", "valid number"),
    (GOOD.replace("kind: regex.v1", "kind: nosuch.v1"), 8, "kind", "unknown check kind"),
    (GOOD.replace("['sorry']", "['{nosuch} sorry']"), 9, "patterns", "unknown vocabulary {nosuch}"),
    (GOOD.replace("['sorry']", "['sorry (?:\\w+ ){1,3} for']"), 9, "patterns", "two spaces in a row"),
    (GOOD.replace("['sorry']", "['so  sorry']"), 9, "patterns", "two spaces in a row"),
    (GOOD.replace("['sorry']", "['(?:it|the (?:\\w+ ){1,2}) is sorry']"), 9, "patterns", "two spaces in a row"),
    (GOOD.replace("      patterns:", "      bogus: 1\n      patterns:"), 9, "bogus", "unknown key"),
    (GOOD + "  - id: apology\n    check: {kind: regex.v1, patterns: ['x']}\n", 10, "id", "duplicate item id"),
    (GOOD.replace("patterns: {en:", "patterns: {sv: ['x'], en:"), 9, "sv", "unknown language 'sv'"),
    ("id: x\ntitle: X\nversion: 1\nlanguages: [en]\nitems: []\n", 5, "items", "empty rubric"),
    ("id: x\n  bad: [\n", 2, None, "malformed YAML"),
    ("id: a\nid: b\n", 2, "id", "duplicate key"),
    ("", 1, None, "empty rubric"),
    ("- just\n- a list\n", 1, None, "must be a mapping"),
    (GOOD.replace("version: 1\n", ""), 1, "version", "required key is missing"),
])
def test_each_bad_input_names_file_line_and_key(tmp_path, text, line, key, fragment):
    p = write(tmp_path, text)
    lines = issues(p)
    want = f"{p}:{line}:" + (f" {key}:" if key else "")
    assert any(x.startswith(want) and fragment in x for x in lines), lines


def test_every_error_is_reported_at_once(tmp_path):
    text = (GOOD.replace("title: Mini", "title: Mini\ncolour: red")
            .replace("languages: [en, fi]", "languages: [en, sv]")
            .replace("['sorry']", "['(sorry']")
            + "  - id: apology\n    check: {kind: nosuch.v1}\n")
    lines = issues(write(tmp_path, text))
    assert len(lines) >= 5, lines
    for fragment in ("unknown key", "unknown language", "bad regular expression", "duplicate item id", "unknown check kind"):
        assert any(fragment in x for x in lines), (fragment, lines)
    # sorted by line
    nums = [int(x.split(":")[1]) for x in lines]
    assert nums == sorted(nums)


def test_unknown_metric_and_bad_nested_check(tmp_path):
    text = GOOD + (
        "  - id: talk\n    check: {kind: metric_threshold.v1, metric: talkativeness, value: 0.5}\n"
        "  - id: combo\n    check:\n      kind: all_of.v1\n      checks:\n        - {kind: regex.v1, patterns: ['(x']}\n")
    lines = issues(write(tmp_path, text))
    assert any(":11: metric: unknown metric 'talkativeness'" in x for x in lines), lines
    assert any(":16: patterns: bad regular expression" in x for x in lines), lines


def test_unknown_rubric_name_is_an_input_error():
    with pytest.raises(InputError):
        load_rubric("no-such-rubric")


def test_builtin_rubrics_validate_against_the_committed_json_schema():
    here = Path(__file__).resolve().parents[2]
    schema = json.loads((here / "coach/rubric/rubric.schema.json").read_text())
    assert schema == json.loads(json.dumps(json_schema())), "regenerate: python -m coach.rubric.schema_gen"
    for p in sorted((here / "rubrics").glob("*.yaml")):
        jsonschema.validate(yaml.safe_load(p.read_text()), schema)
    bad = yaml.safe_load(GOOD.replace("kind: regex.v1", "kind: regex.v1\n      colour: red"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_a_branch_ending_in_a_space_at_the_end_is_reported(tmp_path):
    """'i will (?:personally |make sure )' can never match 'I will personally': the match would have
    to end with a space, and every pattern ends at a word boundary."""
    from coach.rubric.patterns import CompileContext

    ctx = CompileContext("en")
    ctx.compile(["i will (?:personally |make sure )", "(?:x|y) (?:in |for )?"], ("patterns",))
    assert len(ctx.issues) == 2 and all("ends with a space" in i.message for i in ctx.issues)
    ctx = CompileContext("en")
    ps = ctx.compile(["i will (?:personally|make sure)", "sorry (?:\\w+ ){0,2}for", "(?:in|for)(?: sinne)?"], ("patterns",))
    assert not ctx.issues and ps.search("i will personally")
