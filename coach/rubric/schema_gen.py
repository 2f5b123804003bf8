"""Write coach/rubric/rubric.schema.json (JSON Schema for editors) from the pydantic models.

    python -m coach.rubric.schema_gen
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from coach.rubric.schema import json_schema

TARGET = Path(__file__).resolve().parent / "rubric.schema.json"


def main() -> None:
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=TARGET.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, TARGET)
    print(TARGET)


if __name__ == "__main__":
    main()
