"""`coach practice`: rehearse a call against a customer persona.

Two modes behind one command: ``--text`` (typed or piped turns; coach.persona.typed) and the
voice loop (microphone or ``--input-wav``; coach.live). This module only parses and dispatches.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class PracticeOptions:
    scenario: str
    lang: str | None = None
    seed: int = 0
    text: bool = False
    mute: bool = False
    report_json: Path | None = None
    llm: Path | None = None
    input_device: str | None = None
    output_device: str | None = None
    model: str | None = None
    record: Path | None = None
    input_wav: Path | None = None
    output_wav: Path | None = None
    voice: str | None = None
    screen: bool = True


@click.command("practice")
@click.option("--scenario", required=True, help="Scenario id (see `coach scenario list`) or a YAML path.")
@click.option("--lang", type=click.Choice(["en", "fi"]), default=None, help="Language of the call (default: the scenario's).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed: the same seed and turns give the same persona replies.")
@click.option("--text", "text_mode", is_flag=True, help="Typed practice: type turns (or pipe them, one per line).")
@click.option("--mute", is_flag=True, help="Do not speak the persona's replies aloud.")
@click.option("--report-json", type=click.Path(dir_okay=False, path_type=Path), help="Write the session report (outcome, replies, mood, scorecard) here.")
@click.option("--llm", "llm", type=click.Path(file_okay=False, path_type=Path), help="Local transformers model directory to phrase the persona's lines.")
@click.option("--input-device", help="Microphone: device index or name (see `coach devices`).")
@click.option("--output-device", help="Speaker: device index or name.")
@click.option("--model", help="Speech-to-text model: tiny.en, base or a CTranslate2 Whisper directory.")
@click.option("--record", type=click.Path(file_okay=False, path_type=Path), help="Write session.wav, events.jsonl, scorecard.json and report.html to this folder.")
@click.option("--input-wav", type=click.Path(dir_okay=False, path_type=Path), help="Stream this recording as the microphone, at real-time pace.")
@click.option("--output-wav", type=click.Path(dir_okay=False, path_type=Path), help="Write the persona's audio here instead of playing it.")
@click.option("--voice", help="Persona voice: espeak (default) or piper (English, when installed).")
@click.option("--no-screen", is_flag=True, help="Plain line output instead of the live screen.")
def practice(scenario, lang, seed, text_mode, mute, report_json, llm, input_device, output_device,
             model, record, input_wav, output_wav, voice, no_screen):
    """Rehearse a call: you are the agent, coach plays the customer."""
    opts = PracticeOptions(
        scenario=scenario, lang=lang, seed=seed, text=text_mode, mute=mute, report_json=report_json,
        llm=llm, input_device=input_device, output_device=output_device, model=model, record=record,
        input_wav=input_wav, output_wav=output_wav, voice=voice, screen=not no_screen,
    )
    if opts.text:
        from coach.persona.typed import run_typed

        return run_typed(opts)
    from coach.live.session import run_live

    _interruptible()
    return run_live(opts)


def _interruptible() -> None:
    """Ctrl-C (SIGINT) ends a call cleanly and writes the report - also when coach was started
    with SIGINT ignored, as a background job of a script (`coach practice ... &`) is: Python keeps
    an inherited "ignore", so the call could then only be killed, without its report."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


COMMANDS = [practice]
