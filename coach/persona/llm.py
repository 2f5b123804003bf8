"""Optional improvisation: a local causal language model rephrases the persona's scripted line.

The scripted engine stays in charge of mood and outcome; the model only rewords the line it
chose, told the scenario's facts and the current mood. The scripted line is used whenever the
model is slow (> ``timeout`` s, 1.5 by default), returns nothing, or returns something that does
not look like a customer's line (too long, chat markup, numbers that are not in the facts, the
wrong language).

Offline only: ``HF_HUB_OFFLINE=1`` and ``local_files_only=True``. ``MODEL_DIR`` is a Hugging Face
model directory (config.json + weights + tokenizer) or a directory holding one ``.gguf`` file
(loaded with transformers' ``gguf_file=``, which needs the ``gguf`` package; quantised GGUF
weights are de-quantised to float32 on load). Generation runs greedily in one worker thread;
``rephrase`` waits at most ``timeout`` seconds and never blocks the dialogue longer.
"""

from __future__ import annotations

import copy
import os
import re
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.errors import ModelError

_ENGLISH_WORDS = re.compile(r"\b(the|you|your|and|is|are|my|i|it|this|that|what|with)\b", re.I)
_MARKUP = re.compile(r"<\|?|\|>|\b(assistant|system|user)\s*:|\bas an ai\b|\brewrite\b|\brephrase\b|"
                     r"\bagent (said|just said)\b|\bown words\b|\bnew line\b", re.I)


@dataclass(frozen=True)
class Phrased:
    text: str
    used_model: bool
    reason: str  # "model", "timeout", "empty", "too long", "invented numbers", "busy", ...
    seconds: float = 0.0


def find_model_files(model_dir: str | os.PathLike) -> tuple[Path, str | None]:
    """(directory, gguf file name or None) for a model directory or a .gguf file path."""
    p = Path(model_dir)
    if p.is_file() and p.suffix == ".gguf":
        return p.parent, p.name
    if not p.is_dir():
        raise ModelError("model directory not found", p)
    if (p / "config.json").is_file():
        return p, None
    ggufs = sorted(x.name for x in p.glob("*.gguf"))
    if ggufs:
        return p, ggufs[0]
    raise ModelError("not a model directory (no config.json and no .gguf file)", p)


def build_messages(line: str, scenario: Any, mood: Any, agent_text: str = "") -> list[dict]:
    """Chat messages: the system part depends only on the scenario and the mood label (so its
    key/value cache is computed once per label and reused); the user part is the line."""
    lang = "Finnish (spoken, colloquial)" if scenario.lang == "fi" else "English"
    facts = "; ".join(f"{k}: {v}" for k, v in scenario.facts.items())
    label = mood.label("en") if hasattr(mood, "label") else "upset"
    system = (f"You are {scenario.persona_name}, a customer on the phone with customer service. "
              f"Temperament: {scenario.temperament or 'upset'}. Right now you are {label}. "
              f"Facts you know: {facts}. The user gives you a line to say. Say it in your own words, "
              f"in {lang}: one or two short spoken sentences, same meaning, no new facts or numbers. "
              f"Answer with the new line only.")
    return [{"role": "system", "content": system}, {"role": "user", "content": line}]


def clean(raw: str) -> str:
    text = raw.strip().split("\n")[0].strip()
    text = re.sub(r"^\s*((?i:customer|asiakas)|[A-Z][a-z]+ [A-Z][a-z]+)\s*:\s*", "", text)
    return text.strip().strip('"“”').strip()


def check(candidate: str, line: str, scenario: Any) -> str | None:
    """Why ``candidate`` cannot replace ``line`` (None when it can)."""
    if not candidate or not re.search(r"[^\W\d_]", candidate):
        return "empty"
    if len(candidate) > max(2.5 * len(line), len(line) + 80):
        return "too long"
    if _MARKUP.search(candidate):
        return "markup"
    letters = sum(ch.isalpha() or ch.isspace() for ch in candidate)
    if letters < 0.7 * len(candidate):
        return "garbage"
    if scenario.lang == "fi" and len(_ENGLISH_WORDS.findall(candidate)) >= 2:
        return "wrong language"
    words = re.findall(r"[^\W\d_]+", candidate.lower())
    if len(words) >= 6 and max(words.count(w) for w in set(words)) > 0.3 * len(words):
        return "repetitive"
    ref = {w for w in re.findall(r"[^\W\d_]{4,}", (line + " " + " ".join(map(str, scenario.facts.values()))).lower())}
    if ref and not any(w in ref for w in words if len(w) >= 4):
        return "off topic"
    allowed = set(re.findall(r"\d+", line + " " + " ".join(str(v) for v in scenario.facts.values())))
    if any(n not in allowed for n in re.findall(r"\d+", candidate)):
        return "invented numbers"
    return None


class Phraser:
    """Loads the model once; ``rephrase`` returns a :class:`Phrased` within ``timeout`` seconds."""

    def __init__(self, model_dir: str | os.PathLike, timeout: float = 1.5, max_new_tokens: int = 40,
                 threads: int | None = 1):
        self.model_dir = Path(model_dir)
        # One torch thread: on a busy 2-core machine two threads made generation ~7x slower
        # (thread contention with the audio/STT work); None leaves torch's default.
        self.threads = threads
        self.prefix_cache = True  # reuse the system prompt's key/value cache between lines
        self._prefix: dict[str, Any] = {}
        self.timeout = timeout
        self.max_new_tokens = max_new_tokens
        self._model = self._tok = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="persona-llm")
        self._busy: Future | None = None
        self._lock = threading.Lock()

    def load(self) -> "Phraser":
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        directory, gguf = find_model_files(self.model_dir)
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        except ImportError as exc:
            raise ModelError(f"transformers is not installed ({exc}); pip install 'coach[llm]'") from None
        if self.threads:
            import torch

            torch.set_num_threads(self.threads)  # process-wide
        kw: dict[str, Any] = {"local_files_only": True}
        if gguf:
            kw["gguf_file"] = gguf
        try:
            self._tok = AutoTokenizer.from_pretrained(str(directory), **kw)
            self._model = AutoModelForCausalLM.from_pretrained(str(directory), **kw)
        except Exception as exc:  # noqa: BLE001 - transformers raises many kinds
            raise ModelError(f"cannot load the language model: {type(exc).__name__}: {exc}", self.model_dir) from None
        self._model.eval()
        return self

    def _prefix_cache(self, messages: list[dict], ids: Any) -> Any:
        """A copy of the key/value cache of the system part (computed once per scenario), or None
        when the system part's tokens are not a prefix of ``ids``."""
        import torch

        key = messages[0]["content"]
        if key not in self._prefix:
            sys_ids = self._tok.apply_chat_template(messages[:1], return_tensors="pt", return_dict=True)["input_ids"]
            n = sys_ids.shape[1]
            if ids.shape[1] <= n or not torch.equal(ids[0, :n], sys_ids[0]):
                self._prefix[key] = None
            else:
                with torch.inference_mode():
                    self._prefix[key] = self._model(sys_ids, use_cache=True).past_key_values
        cache = self._prefix[key]
        return copy.deepcopy(cache) if cache is not None else None

    def generate(self, messages: list[dict], max_time: float | None = None) -> str:
        """Greedy generation, in the calling thread (the worker thread calls this)."""
        import torch

        if self._model is None:
            raise ModelError("the language model is not loaded", self.model_dir)
        enc = self._tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                            return_dict=True)
        ids = enc["input_ids"]
        kw: dict[str, Any] = {"max_new_tokens": self.max_new_tokens, "do_sample": False,
                              "attention_mask": enc.get("attention_mask")}
        if max_time:
            kw["max_time"] = max_time
        if self._tok.pad_token_id is None:
            kw["pad_token_id"] = self._tok.eos_token_id
        kw.update(stop_strings=["\n"], tokenizer=self._tok)  # only the first line is used
        with torch.inference_mode():
            cache = self._prefix_cache(messages, ids) if self.prefix_cache else None
            if cache is not None:
                kw["past_key_values"] = cache
            out = self._model.generate(ids, **kw)
        return self._tok.decode(out[0][ids.shape[1]:], skip_special_tokens=True)

    def rephrase(self, line: str, scenario: Any, mood: Any, agent_text: str = "") -> Phrased:
        t0 = time.perf_counter()
        with self._lock:
            if self._busy is not None and not self._busy.done():
                return Phrased(line, False, "busy")  # a timed-out generation is still finishing
            fut = self._pool.submit(self.generate, build_messages(line, scenario, mood, agent_text), self.timeout)
            self._busy = fut
        try:
            raw = fut.result(timeout=self.timeout)
        except FutureTimeout:
            return Phrased(line, False, "timeout", time.perf_counter() - t0)
        except Exception as exc:  # noqa: BLE001 - the scripted line always works
            return Phrased(line, False, f"error: {type(exc).__name__}", time.perf_counter() - t0)
        took = time.perf_counter() - t0
        if took > self.timeout:
            return Phrased(line, False, "timeout", took)
        candidate = clean(raw)
        problem = check(candidate, line, scenario)
        if problem:
            return Phrased(line, False, problem, took)
        return Phrased(candidate, True, "model", took)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
