"""`coach rubric list|validate|test|explain|eval` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import main

REPO = Path(__file__).resolve().parents[2]
RUBRICS = sorted(str(p) for p in (REPO / "rubrics").glob("*.yaml"))


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_shows_builtins_and_kinds(capsys):
    code, out, _ = run(capsys, "rubric", "list")
    assert code == 0
    assert "complaint-handling" in out and "positive-interaction" in out
    for kind in ("regex.v1", "phrase.v1", "all_of.v1", "any_of.v1", "time_promise.v1", "metric_threshold.v1"):
        assert kind in out


def test_validate_ok_and_every_error_with_file_line(capsys, tmp_path):
    code, out, _ = run(capsys, "rubric", "validate", *RUBRICS)
    assert code == 0 and out.count(": ok") == len(RUBRICS)
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: B\nversion: 1\nlanguages: [en, xx]\nitems:\n"
                   "  - id: a\n    check: {kind: regex.v1, patterns: ['(']}\n    colour: 1\n")
    code, out, err = run(capsys, "rubric", "validate", str(bad))
    assert code == 1
    assert f"{bad}:4: languages: unknown language 'xx'" in err
    assert f"{bad}:7: patterns: bad regular expression" in err
    assert f"{bad}:8: colour: unknown key" in err
    assert "Traceback" not in err


def test_rubric_test_passes_on_builtins_and_fails_on_a_wrong_example(capsys, tmp_path):
    code, out, _ = run(capsys, "rubric", "test", *RUBRICS)
    assert code == 0, out
    bad = tmp_path / "ex.yaml"
    bad.write_text("id: ex\ntitle: Ex\nversion: 1\nlanguages: [en]\nitems:\n  - id: a\n"
                   "    check: {kind: regex.v1, patterns: [sorry]}\n"
                   "    examples: {en: {match: ['so sorry', 'hello'], no_match: ['sorry again']}}\n")
    code, out, _ = run(capsys, "rubric", "test", str(bad))
    assert code == 1
    assert "FAIL" in out and "'hello'" in out and "'sorry again'" in out and "1/3 examples pass" in out


def test_explain_names_items_words_and_reasons(capsys):
    code, out, _ = run(capsys, "rubric", "explain", "complaint-handling", "Sorry, could you repeat that? I'll call you by 2 pm.")
    assert code == 0
    assert "next_step" in out and "I'll call you by 2 pm" in out
    assert "apology (Apologises): no match" in out and "dropped by trap" in out
    code, out, _ = run(capsys, "rubric", "explain", "complaint-handling", "Pahoittelen viivästystä", "--lang", "fi")
    assert "apology (Pahoittelee): MATCH" in out and "'Pahoittelen'" in out


def test_eval_prints_figures_and_json_shape(capsys, tmp_path):
    data = tmp_path / "d.jsonl"
    rows = [
        {"text": "I'm so sorry.", "lang": "en", "labels": ["apology"]},
        {"text": "Sorry, could you repeat that?", "lang": "en", "labels": []},
        {"text": "I don't know.", "lang": "en", "labels": ["discouraged"]},
        {"text": "Pahoittelen.", "lang": "fi", "labels": ["apology"]},
        {"text": "Soitan huomenna.", "lang": "fi", "labels": ["next_step"]},
        {"text": "Hello there", "lang": "en", "labels": ["greeting"]},
        {"text": "We will call you.", "lang": "en", "labels": ["next_step"]},
    ]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    code, out, _ = run(capsys, "rubric", "eval", "complaint-handling", str(data), "--json")
    assert code == 0
    fig = json.loads(out)
    assert set(fig) == {"items", "by_lang"}
    assert set(fig["items"]) == {"acknowledgement", "apology", "next_step", "discouraged", "greeting"}
    assert set(fig["by_lang"]) == {"en", "fi"}
    for m in list(fig["items"].values()) + [v for lang in fig["by_lang"].values() for v in lang.values()]:
        assert set(m) == {"precision", "recall", "f1", "support"}
    assert fig["items"]["apology"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 2}
    assert fig["items"]["next_step"]["recall"] == 0.5 and fig["items"]["next_step"]["support"] == 2
    code, out, _ = run(capsys, "rubric", "eval", "complaint-handling", str(data))
    assert "precision" in out and "language fi" in out and "We will call you." in out  # the miss is listed


def test_eval_bad_data_is_one_line_error(tmp_path):
    data = tmp_path / "d.jsonl"
    data.write_text("{not json\n")
    r = subprocess.run([sys.executable, "-m", "coach", "rubric", "eval", "complaint-handling", str(data)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr.startswith("coach: error: ") and "line 1" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("name", ["complaint-handling", "positive-interaction"])
def test_builtin_names_and_paths_both_work(capsys, name):
    code, out, _ = run(capsys, "rubric", "test", name)
    assert code == 0
    code2, out2, _ = run(capsys, "rubric", "test", str(REPO / "rubrics" / f"{name}.yaml"))
    assert code2 == 0
