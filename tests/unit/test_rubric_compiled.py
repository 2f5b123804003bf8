"""The optional compiled build of the rubric's hot modules (setup.py, coach.rubric._compiled):
it gives the same findings as the pure-Python source, and a stale build never shadows an edited
source."""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.rubric import _compiled, load_rubric, match_text
from coach.rubric.evaluate import read_rows

REPO = Path(__file__).resolve().parents[2]
SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _package(tmp_path: Path, built=("normalize", "prefilter")) -> Path:
    for m in _compiled.MODULES:
        (tmp_path / f"{m}.py").write_text(f"# {m}\n")
    for m in built:
        (tmp_path / f"{m}{SUFFIX}").write_bytes(b"\x7fELF")
    stamp = {m: hashlib.sha256((tmp_path / f"{m}.py").read_bytes()).hexdigest() for m in built}
    (tmp_path / "_compiled.json").write_text(json.dumps(stamp))
    return tmp_path


def test_a_build_is_used_only_while_its_source_is_unchanged(tmp_path):
    d = _package(tmp_path)
    assert _compiled.stale(d, pure=False) == []
    (d / "prefilter.py").write_text("# prefilter, edited\n")
    assert _compiled.stale(d, pure=False) == ["prefilter"]  # edited since the build: use the source
    (d / "engine.py").write_text("# engine, edited\n")
    assert _compiled.stale(d, pure=False) == ["prefilter"]  # never built: the source anyway


def test_pure_python_or_a_missing_stamp_use_every_source(tmp_path):
    d = _package(tmp_path)
    assert _compiled.stale(d, pure=True) == ["normalize", "prefilter"]
    (d / "_compiled.json").unlink()
    assert _compiled.stale(d, pure=False) == ["normalize", "prefilter"]
    (d / "_compiled.json").write_text("{not json")
    assert _compiled.stale(d, pure=False) == ["normalize", "prefilter"]
    none = tmp_path / "none"
    none.mkdir()
    assert _compiled.stale(_package(none, built=()), pure=True) == []  # nothing built: nothing to skip


def test_the_source_first_finder_loads_the_py_file():
    spec = _compiled._SourceFirst(["normalize"]).find_spec("coach.rubric.normalize")
    assert spec is not None and spec.origin.endswith("normalize.py")
    assert _compiled._SourceFirst(["normalize"]).find_spec("coach.rubric.engine") is None


def _findings(rows) -> list:
    rub = load_rubric("complaint-handling")
    return [[(f.item_id, f.span, f.text, f.why) for f in match_text(r.text, rub, r.lang, speaker)]
            for r in rows for speaker in ("agent", "customer")]


def _compiler_at_hand() -> bool:
    return shutil.which(os.environ.get("CC", "cc")) is not None and importlib.util.find_spec("Cython") is not None


@pytest.mark.integration
def test_compiled_and_pure_python_give_identical_findings():
    # what the build gave this install: with a compiler and Cython (the dev extra), every hot module
    # is compiled (make test builds them); an edited one runs from source until rebuilt
    _findings(read_rows(REPO / "tests/data/rubric_dev.jsonl")[:5])  # (imports every hot module)
    used, stale = _compiled.in_use(), _compiled.stale()
    if stale or not used:
        if not stale and _compiler_at_hand():
            pytest.fail("a C compiler and Cython are here but no rubric module is compiled: run `make build-ext`")
        pytest.skip(f"compiled rubric modules not in use (stale: {stale or 'none built'}); `make build-ext`")
    assert sorted(used) == sorted(_compiled.MODULES)
    names = ["rubric_dev.jsonl", "rubric_holdout.jsonl", "rubric_blind45.jsonl", "rubric_blind47.jsonl"]
    rows = [r for n in names for r in read_rows(REPO / "tests/data" / n)]
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from tests.unit.test_rubric_compiled import _findings, "
            "_compiled; from coach.rubric.evaluate import read_rows; from pathlib import Path; "
            "rows = [r for n in sys.argv[2:] for r in read_rows(Path(sys.argv[1]) / 'tests/data' / n)]; "
            "assert not _compiled.in_use(), _compiled.in_use(); print(json.dumps(_findings(rows)))")
    out = subprocess.run([sys.executable, "-c", code, str(REPO), *names], env=dict(os.environ, COACH_PURE_PYTHON="1"),
                         capture_output=True, text=True, check=True, cwd=REPO).stdout
    pure = json.loads(out)
    mine = json.loads(json.dumps(_findings(rows)))
    assert len(mine) == 2 * len(rows) > 1000
    assert sum(map(len, mine)) > 500
    assert mine == pure
