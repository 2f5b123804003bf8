"""Scorecard JSON (schema), CSV, HTML (escaping, structure) and the atomic writers."""

import csv
import io
import json
import os

import jsonschema
import pytest

from assess_cards import make_card
from coach.report import read_json, scorecard_dict, write_csv, write_html, write_json
from coach.report.files import atomic_write_text
from coach.report.html import render_html, split_marks
from coach.report.scorecard_json import SCHEMA_FILE

SCHEMA = json.loads(SCHEMA_FILE.read_text())


def test_scorecard_json_matches_schema_and_round_trips(tmp_path):
    card = make_card()
    d = scorecard_dict(card)
    jsonschema.validate(d, SCHEMA)
    nxt = next(i for i in d["items"] if i["id"] == "next_step")
    assert nxt["evidence"][0]["text"] == "I'll call you back by 3 pm today"
    assert nxt["evidence"][0]["turn"] == 4 and nxt["evidence"][0]["start"] == 22.0
    assert d["rubric"] == {"id": "complaint-handling", "version": "1.0"}
    p = write_json(card, tmp_path / "c.json")
    back = read_json(p)
    assert back.score == card.score and back.item("discouraged").bad
    assert back.transcript.intervals["agent"][0].start == 0.5
    assert back.metrics.long_silences[0].duration == 7.0
    assert scorecard_dict(back) == d


def test_text_only_card_validates():
    jsonschema.validate(scorecard_dict(make_card(text_only=True)), SCHEMA)


def test_schema_rejects_a_wrong_scorecard():
    d = scorecard_dict(make_card())
    d["score"] = 140
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, SCHEMA)


def test_json_to_stdout(capsys):
    write_json(make_card(), "-")
    assert json.loads(capsys.readouterr().out)["schema"] == "coach.scorecard/1"


def test_csv_rows_items_and_failures(tmp_path):
    p = write_csv([make_card(), make_card(score=40, hit_next=False, agent="bo")], tmp_path / "s.csv",
                  failures=[("bad.json", "turns[0]: empty turn")])
    rows = list(csv.DictReader(io.StringIO(p.read_text())))
    assert [r["status"] for r in rows] == ["ok", "ok", "error"]
    assert rows[0]["item:next_step"] == "1" and rows[1]["item:next_step"] == "0"
    assert rows[0]["item:discouraged"] == "0"  # a bad item that was hit did not pass
    assert rows[0]["item:closing"] == ""  # not applicable
    assert rows[1]["critical_failures"] == "next_step" and rows[2]["error"] == "turns[0]: empty turn"


def test_split_marks_cuts_text_around_evidence():
    pieces = split_marks("I am so sorry, really", [(5, 13, "apology", False, "regret")])
    assert "".join(p["text"] for p in pieces) == "I am so sorry, really"
    assert [p["item"] for p in pieces] == [None, "apology", None]


def test_html_escapes_transcript_and_marks_evidence(tmp_path):
    html = render_html(make_card(), tmp_path / "r.html")
    assert "<b>answers</b>" not in html and "&lt;b&gt;answers&lt;/b&gt;" in html
    assert '<mark class="ev bad" data-item="discouraged"' in html
    assert 'id="turn-4"' in html and 'data-start="22.000"' in html
    assert "<svg" in html and "http://" not in html.replace("http://www.w3.org", "")  # offline



def test_html_text_only_has_no_timeline(tmp_path):
    html = render_html(make_card(text_only=True), tmp_path / "r.html")
    assert 'id="no-timeline"' in html and "No timing in a text transcript" in html


def test_html_escapes_rubric_text(tmp_path):
    from dataclasses import replace

    card = make_card(hit_next=False)
    items = tuple(replace(it, title="<script>alert(1)</script>", feedback="<img src=x onerror=alert(2)>")
                  if it.item_id == "next_step" else it for it in card.items)
    html = render_html(replace(card, items=items), tmp_path / "r.html")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_atomic_write_leaves_old_file_when_rendering_fails(tmp_path, monkeypatch):
    p = tmp_path / "r.html"
    p.write_text("old")
    import coach.report.html as h

    monkeypatch.setattr(h, "build_context", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(RuntimeError):
        write_html(make_card(), p)
    assert p.read_text() == "old" and os.listdir(tmp_path) == ["r.html"]


def test_atomic_write_text_permissions(tmp_path):
    p = atomic_write_text(tmp_path / "a" / "b.txt", "hi")
    assert p.read_text() == "hi" and (p.stat().st_mode & 0o044)


def test_audio_embedded_when_small_else_linked_relative(tmp_path, shared_dir):
    import base64

    from coach.report.audio_embed import audio_source

    wav = shared_dir / "audio" / "stereo_diarization.wav"
    src = audio_source(wav, tmp_path / "r.html")
    assert src.embedded and src.src.startswith("data:audio/ogg;base64,")
    assert base64.b64decode(src.src.split(",", 1)[1])[:4] == b"OggS"
    linked = audio_source(wav, tmp_path / "sub" / "r.html", max_embed_mb=0.001)
    assert not linked.embedded and linked.src.endswith("stereo_diarization.wav")
    assert (tmp_path / "sub" / linked.src).resolve() == wav.resolve()
    html = render_html(make_card(), tmp_path / "sub" / "r.html", audio=wav, max_embed_mb=0.001)
    assert f'src="{linked.src}"' in html and "linked, not embedded" in html


def test_finnish_report_speaks_finnish(tmp_path):
    from dataclasses import replace

    html = render_html(replace(make_card(hit_next=False), lang="fi"), tmp_path / "r.html")
    for word in ("Tarkistuslista", "Aikajana", "Litterointi", "Kehitettävää", "Kriittinen kohta puuttuu",
                 "Asiakaspalvelija", "Asiakas"):
        assert word in html
    assert "Checklist" not in html
