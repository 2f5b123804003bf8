"""Reports for a Scorecard: JSON (schema coach.scorecard/1), one-file HTML, summary CSV.

``write_json(card, path)``, ``write_html(card, path, audio=None)``, ``write_csv(cards, path)``;
every writer is atomic (temp file + ``os.replace``) and ``-`` means stdout for JSON/CSV.
Heavy imports (jinja2, matplotlib) happen inside the HTML writer.
"""

from __future__ import annotations

from coach.report.csvfile import write_csv
from coach.report.scorecard_json import read_json, scorecard_dict, write_json


def write_html(card, path, audio=None, **kw):
    from coach.report.html import write_html as _write_html

    return _write_html(card, path, audio=audio, **kw)


def write_summary_html(results, path, **kw):
    from coach.report.summary import write_summary_html as _w

    return _w(results, path, **kw)


__all__ = ["write_json", "write_html", "write_csv", "read_json", "scorecard_dict", "write_summary_html"]
