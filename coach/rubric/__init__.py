"""Rubrics: YAML checklists (English + Finnish) scored against transcripts, with evidence.

    from coach.rubric import load_rubric, score, match_text
    rub = load_rubric("complaint-handling")
    match_text("Sorry about the wait, I'll call you by 3 pm.", rub, "en")
"""

from coach.rubric import _compiled  # noqa: F401  (first: a stale compiled module must not shadow its source)
from coach.rubric.engine import labels, match_text, score, warm
from coach.rubric.model import Rubric, builtin_names, load_rubric, validate_file
from coach.rubric.registry import register_check

__all__ = ["Rubric", "load_rubric", "score", "match_text", "labels", "builtin_names",
           "validate_file", "register_check", "warm"]
