"""Scenario files: loading, validation with file:line (every error at once), built-in content."""

from __future__ import annotations

import json
from importlib import resources

import pytest
import yaml

from coach.errors import InputError, ValidationError
from coach.persona.scenario import builtin_ids, load_scenario, load_scenario_file, parse_scenario, scenarios_dir

BUILTINS = ["billing-double-charge", "broadband-outage", "broken-product", "late-delivery",
            "missed-technician", "rude-customer"]

MINIMAL = """\
id: tiny
mood:
  anger: 6
end:
  resolved: {max_anger: 3}
  escalated: {anger: 10}
  hung_up: {anger: 8, turns: 2}
variants:
  en:
    title: Tiny
    persona: {name: Ann}
    facts: {name: Ann Lee, order_number: A-1}
    opening: ["My order {order_number} is late."]
    lines:
      fallback: ["So?", "Well?"]
      resolved: ["Thanks, bye."]
      escalated: ["Manager, now."]
      hung_up: ["Bye."]
"""


def issues_of(text: str) -> list:
    with pytest.raises(ValidationError) as exc:
        parse_scenario(text, "s.yaml")
    return exc.value.issues


def test_minimal_scenario_loads_with_defaults():
    sf = parse_scenario(MINIMAL, "s.yaml")
    sc = sf.get()
    assert sf.default_lang == "en" and sc.lang == "en" and sc.persona_name == "Ann"
    assert sc.start_anger == 6 and sc.end.resolved_min_progress == 1 and sc.end.max_turns is None
    assert sc.reactions["calm_down"].anger > sc.reactions["discouraged"].anger > 0
    assert sc.reactions["acknowledgement"].anger < 0 and sc.reactions["next_step"].progress == 1
    with pytest.raises(InputError, match="no 'fi' variant"):
        sf.get("fi")


def test_every_error_is_reported_at_once_with_lines():
    bad = MINIMAL.replace("  anger: 6", "  anger: lots\n  colour: red") \
                 .replace("    persona: {name: Ann}", "    persona: {nam: Ann}") \
                 .replace('    opening: ["My order {order_number} is late."]',
                          '    opening: ["My {parcel} is late."]') \
                 .replace("  en:\n", "  sv:\n    title: Svensk\n  en:\n") \
                 .replace('      resolved: ["Thanks, bye."]\n', "")
    issues = issues_of(bad)
    text = "\n".join(str(i) for i in issues)
    lines = {i.line for i in issues}
    assert all(i.path == "s.yaml" for i in issues)
    assert "s.yaml:3: mood.anger: must be a number, not text" in text
    assert "s.yaml:4: mood.colour: unknown key 'colour'" in text
    assert "unknown language 'sv' (known: en, fi)" in text
    assert "persona.nam: unknown key 'nam' (did you mean 'name'?)" in text
    assert "missing required field 'name'" in text
    assert "placeholder {parcel} is not a fact of this variant" in text
    assert "missing required field 'resolved'" in text
    assert len(issues) >= 7 and None not in lines
    assert [i.line for i in issues] == sorted(i.line for i in issues)


def test_malformed_yaml_names_the_line():
    issues = issues_of(MINIMAL.replace("    title: Tiny", "    title: [Tiny"))
    assert len(issues) == 1 and issues[0].line is not None and "malformed YAML" in issues[0].message


def test_duplicate_keys_bad_regex_unknown_intent_and_thresholds():
    text = MINIMAL.replace("    title: Tiny\n", "    title: Tiny\n    title: Again\n") \
                  .replace("  resolved: {max_anger: 3}", "  resolved: {max_anger: 10.5}") \
        + "    intents:\n      colour: ['(red']\n    answers:\n      shoe_size: ['42']\n"
    msgs = [str(i) for i in issues_of(text)]
    assert any("title: duplicate key" in m for m in msgs)
    assert any(":5: end.resolved.max_anger: must be at most 10" in m for m in msgs)
    assert any("not a valid regular expression" in m for m in msgs)
    assert any("unknown intent 'shoe_size'" in m for m in msgs)


def test_wrong_types_and_empty_lists():
    text = MINIMAL.replace('      fallback: ["So?", "Well?"]', "      fallback: []") \
                  .replace("  hung_up: {anger: 8, turns: 2}", "  hung_up: {anger: 8, turns: two}")
    msgs = [str(i) for i in issues_of(text)]
    assert any("lines.fallback: must not be empty" in m for m in msgs)
    assert any("end.hung_up.turns: must be a whole number, not text" in m for m in msgs)


def test_not_a_mapping_and_empty_file():
    assert "must be a mapping" in str(issues_of("- a\n- b\n")[0])
    assert "empty" in str(issues_of("")[0])


def test_unknown_id_lists_the_available_ones():
    with pytest.raises(InputError) as exc:
        load_scenario("no-such-scenario")
    assert "unknown scenario 'no-such-scenario'" in str(exc.value)
    for sid in BUILTINS:
        assert sid in str(exc.value)


@pytest.mark.parametrize("sid", BUILTINS)
def test_builtin_scenarios_are_complete_in_both_languages(sid):
    assert sid in builtin_ids()
    sf = load_scenario_file(sid)
    assert sf.id == sid and set(sf.languages) == {"en", "fi"}
    for lang, sc in sf.variants.items():
        expects = {s.expect for s in sc.scripts}
        assert "resolved" in expects, (sid, lang)
        assert expects & {"escalated", "hung_up"}, (sid, lang)
        assert sc.voice.espeak and sc.voice.rate
        assert len(sc.opening) >= 2 and len(sc.lines["fallback"]) >= 3
        for key in ("acknowledgement", "apology", "next_step", "discouraged", "calm_down", "interrupted", "silence"):
            assert sc.lines.get(key), (sid, lang, key)
        assert {"name"} <= set(sc.answers) and set(sc.answers) & {"order_number", "account_number"}
    assert sf.variants["en"].voice.piper  # English personas speak with Piper when it is installed


def test_builtin_yaml_also_validates_with_the_published_json_schema():
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.files("coach.persona").joinpath("scenario.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for path in sorted(scenarios_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        assert not list(validator.iter_errors(data)), path
        assert path.stem == data["id"]


def test_each_missing_field_is_reported_once(tmp_path):
    from coach.errors import ValidationError
    from coach.persona.scenario import load_scenario_file

    f = tmp_path / "s.yaml"
    f.write_text("id: sc\n")
    with pytest.raises(ValidationError) as exc:
        load_scenario_file(f)
    lines = exc.value.lines()
    assert len(lines) == len(set(lines)), lines
    assert sum("missing required field 'mood'" in line for line in lines) == 1
