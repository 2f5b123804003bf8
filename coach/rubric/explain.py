"""Human-readable evidence for one utterance: what matched, where, and what vetoed a match."""

from __future__ import annotations

from coach.rubric.checks import AllOfCheck, AnyOfCheck, PatternCheck
from coach.rubric.engine import _as_rubric, match_text
from coach.rubric.model import text_for
from coach.rubric.normalize import Doc, normalize


def _trace(check, doc: Doc, depth: int = 0) -> list[str]:
    """Raw matches of a check's parts before guards, so authors see why something did NOT fire."""
    pad = "    " * depth
    out: list[str] = []
    if isinstance(check, PatternCheck):
        for s, e, src in check.pats.finditer(doc.text):
            out.append(f"{pad}candidate '{doc.text[s:e]}' by /{_short(src)}/")
            g = check.guard
            if g.exclude:
                for a, b, t in g.exclude.finditer(doc.text):
                    if a < e and s < b:
                        out.append(f"{pad}  dropped by trap '{doc.text[a:b]}' /{_short(t)}/")
            if g.unless:
                for va, vb, vt in g.unless.finditer(doc.text):
                    if g.unless_exclude and g.unless_exclude.overlaps(doc.text, va, vb):
                        out.append(f"{pad}  veto '{doc.text[va:vb]}' ignored (a veto trap overlaps it)")
                    else:
                        out.append(f"{pad}  veto '{doc.text[va:vb]}' /{_short(vt)}/ (scope {g.scope})")
                        break
    elif isinstance(check, AllOfCheck):
        for i, sub in enumerate(check.subs):
            out.append(f"{pad}part {i + 1}:")
            out.extend(_trace(sub, doc, depth + 1) or [f"{pad}    (no match)"])
        g = check.guard
        for a, b in g.units(doc, check.scope):
            if g.unless:
                m = g.unless.search(doc.text, a, b)
                if m:
                    out.append(f"{pad}veto in '{doc.text[a:b].strip()}': '{doc.text[m[0]:m[1]]}' /{_short(m[2])}/")
            rq = getattr(check, "before_unless", None)
            if rq:
                m = rq.search(doc.text, a, b)
                if m:
                    out.append(f"{pad}request, question or past in '{doc.text[a:b].strip()}': '{doc.text[m[0]:m[1]]}' "
                               f"/{_short(m[2])}/ (vetoes a promise it comes before)")
            if check.question_veto and b in doc.questions:
                out.append(f"{pad}'{doc.text[a:b].strip()}' is a question (offer), not a promise")
    elif isinstance(check, AnyOfCheck):
        for sub in check.subs:
            out.extend(_trace(sub, doc, depth))
    return out


def _short(src: str, n: int = 70) -> str:
    return src if len(src) <= n else src[: n - 3] + "..."


def explain(text: str, rubric, lang: str = "en", verbose: bool = True) -> list[str]:
    rub = _as_rubric(rubric)
    lang = rub.lang_for(lang)
    doc = normalize(text, lang)
    comp = rub.compiled(lang)
    lines = [f"normalised: {doc.text}"]
    found = match_text(text, rub, lang)
    by_item: dict[str, list] = {}
    for f in found:
        by_item.setdefault(f.item_id, []).append(f)
    for it in rub.items:
        check = comp.checks.get(it.id)
        if check is None or getattr(check, "level", "utterance") != "utterance":
            continue
        title = text_for(it.title, lang) or it.id
        hits = by_item.get(it.id, [])
        mark = ("BAD " if it.bad else "") + ("MATCH" if hits else "no match")
        lines.append(f"{it.id} ({title}): {mark}")
        for f in hits:
            lines.append(f"  '{f.text}' [{f.span[0]}:{f.span[1]}] - {f.why}")
        if verbose and not hits:
            lines.extend("  " + t for t in _trace(check, doc))
    return lines
