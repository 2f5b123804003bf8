"""A third-party check kind found through the `coach.checks` entry-point group.

tests/data/rubric_plugin holds a tiny distribution (coach_shout.py + a dist-info with
entry_points.txt); putting that folder on sys.path makes importlib.metadata see it, exactly as
an installed plugin package. This is the worked example of docs/rubrics.md.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from coach.errors import CoachError
from coach.rubric import match_text, register_check, validate_file
from coach.rubric.registry import REGISTRY


@pytest.fixture()
def plugin_on_path(data_dir, monkeypatch):
    saved = dict(REGISTRY.kinds)
    monkeypatch.syspath_prepend(str(data_dir / "rubric_plugin"))
    REGISTRY.load(force=True)
    yield data_dir / "rubric_plugin"
    REGISTRY.kinds.clear()
    REGISTRY.kinds.update(saved)
    REGISTRY.errors.clear()


def test_builtins_register_through_the_entry_point():
    REGISTRY.load()
    assert REGISTRY.kinds["regex.v1"].origin == "builtin"
    assert {"regex.v1", "phrase.v1", "all_of.v1", "any_of.v1", "time_promise.v1", "metric_threshold.v1"} <= set(REGISTRY.names())


def test_entry_point_plugin_adds_a_check_kind(plugin_on_path):
    kind = REGISTRY.kinds["shout.v1"]
    assert kind.origin.startswith("shout (coach_shout:register)")
    rub = validate_file(plugin_on_path / "shouting.yaml")
    assert [f.text for f in match_text("I SAID THAT IS NOT POSSIBLE", rub)] == ["SAID THAT IS NOT POSSIBLE"]
    assert match_text("I said that is not possible.", rub) == []


def test_plugin_rubric_examples_pass(plugin_on_path, capsys):
    from coach.cli import main

    assert main(["rubric", "test", str(plugin_on_path / "shouting.yaml")]) == 0
    assert "5/5 examples pass" in capsys.readouterr().out


def test_plugin_parameters_are_validated_with_lines(plugin_on_path, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((plugin_on_path / "shouting.yaml").read_text().replace("min_words: 3", "min_words: 0, loud: yes"))
    from coach.errors import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_file(bad)
    text = "\n".join(exc.value.lines())
    assert f"{bad}:9: min_words:" in text and f"{bad}:9: loud: unknown key" in text


def test_without_the_plugin_the_kind_is_unknown(tmp_path, data_dir):
    from coach.errors import ValidationError

    with pytest.raises(ValidationError) as exc:
        validate_file(data_dir / "rubric_plugin" / "shouting.yaml")
    assert "unknown check kind 'shout.v1'" in str(exc.value.lines())


def test_register_check_api_and_name_rules():
    class P(BaseModel):
        pass

    saved = dict(REGISTRY.kinds)
    try:
        kind = register_check("demo.always.v1", P, lambda p, ctx, loc=(): None)
        assert kind.origin == "api" and "demo.always.v1" in REGISTRY.names()
        with pytest.raises(CoachError):
            register_check("no_version", P, lambda p, ctx, loc=(): None)
    finally:
        REGISTRY.kinds.clear()
        REGISTRY.kinds.update(saved)
