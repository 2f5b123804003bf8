"""Optional compiled build of the rubric engine's hot modules (the rest of the metadata is in
pyproject.toml).

The modules listed in ``coach/rubric/_compiled.py`` are plain Python; when Cython and a C
compiler are at hand they are also compiled (Cython's pure-Python mode: the same source, no
type annotations used), which makes scoring about 15 % faster (benchmarks/rubric.py). The
extensions are optional: a machine without a compiler installs and runs the pure-Python modules,
with the same results. ``coach/rubric/_compiled.py`` also keeps a stale build from shadowing an
edited source in an editable install.
"""

import ast
import hashlib
import json
import os
import re
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
# the hot modules, as coach/rubric/_compiled.py lists them (read, not imported: no dependencies here)
HOT = ast.literal_eval(re.search(r"^MODULES = (\(.*?\))", (HERE / "coach/rubric/_compiled.py").read_text(), re.M).group(1))


class BuildExtStamped(build_ext):
    """build_ext that records the hash of each source it compiled beside the package
    (``_compiled.json``), so that an edited source is used instead of its stale compiled twin
    (coach.rubric._compiled). A module counts as built when its output is at least as new as its
    source (a failed optional build leaves none, or an older one: its old hash stays)."""

    def run(self):
        super().run()
        roots = {Path(self.build_lib)} | ({HERE} if self.inplace else set())
        for root in roots:
            d = root / "coach" / "rubric"
            if not d.is_dir():
                continue
            try:
                stamp = json.loads((d / "_compiled.json").read_text())
            except (OSError, ValueError):
                stamp = {}
            for ext in self.extensions:
                m = ext.name.rpartition(".")[2]
                src = HERE / "coach" / "rubric" / f"{m}.py"
                out = d / Path(self.get_ext_filename(ext.name)).name
                if out.is_file() and out.stat().st_mtime >= src.stat().st_mtime:
                    stamp[m] = hashlib.sha256(src.read_bytes()).hexdigest()
            (d / "_compiled.json").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")


def extensions():
    if os.environ.get("COACH_PURE_PYTHON"):
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        return []
    exts = cythonize([Extension(f"coach.rubric.{m}", [f"coach/rubric/{m}.py"]) for m in HOT], quiet=True,
                     compiler_directives={"language_level": 3, "annotation_typing": False, "binding": True})
    for ext in exts:
        ext.optional = True  # a failed compile is a warning: the .py runs (set here: cythonize drops it)
    return exts


setup(ext_modules=extensions(), cmdclass={"build_ext": BuildExtStamped})
