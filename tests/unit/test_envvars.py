import os

import pytest

from coach.envvars import temp_env


def test_sets_then_restores(monkeypatch):
    monkeypatch.setenv("COACH_T1", "old")
    monkeypatch.delenv("COACH_T2", raising=False)
    with temp_env(COACH_T1="new", COACH_T2="x", COACH_T3=None):
        assert os.environ["COACH_T1"] == "new" and os.environ["COACH_T2"] == "x"
        assert "COACH_T3" not in os.environ
    assert os.environ["COACH_T1"] == "old" and "COACH_T2" not in os.environ


def test_restores_after_an_error(monkeypatch):
    monkeypatch.delenv("COACH_T4", raising=False)
    with pytest.raises(RuntimeError):
        with temp_env(COACH_T4="1"):
            raise RuntimeError("boom")
    assert "COACH_T4" not in os.environ
