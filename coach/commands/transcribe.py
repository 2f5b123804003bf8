"""`coach transcribe FILE...` (speech to text with times) and `coach devices` (sound devices)."""

from __future__ import annotations

import json

import click

from coach.errors import AudioError, CoachError

CHANNEL_LABELS = {0: "L", 1: "R"}


def _label(ch: int | None, channels: int) -> str:
    if ch is None:
        return ""
    if channels == 2:
        return CHANNEL_LABELS[ch] + ": "
    return f"ch{ch + 1}: "


def _one_file(path: str, transcriber, options, lang, channels_mode: str,
              allow_truncated: bool = False) -> tuple[dict, list[str]]:
    """Transcribe one file; returns (JSON-ready result, text lines). Raises CoachError."""
    from coach import audio as au
    from coach.stt import transcribe_audio
    from coach.types import to_dict

    a = au.load(path, sr=16000)
    if not allow_truncated:
        for note in a.notes:
            if note.startswith("truncated"):
                raise AudioError(note.replace("; decoded what is there", "") +
                                 " (--allow-truncated transcribes what is there)", path)
    if au.is_silent(a.samples):
        raise AudioError("no speech found (the audio is silent)", path)
    split = channels_mode == "split" or (
        channels_mode == "auto" and a.channels > 1 and not au.same_content(a.samples))
    segs = transcribe_audio(a, transcriber, options, lang, per_channel=split)
    if not segs:
        raise AudioError("no speech found", path)
    result = {
        "file": path, "duration": round(a.duration, 3), "channels": a.channels,
        "split_channels": split, "model": transcriber.name,
        "lang": lang or transcriber.lang or "auto", "notes": list(a.notes),
        "segments": [to_dict(s) for s in segs],
    }
    shown = a.channels if split else 1
    lines = [f"[{s.start:7.2f} - {s.end:7.2f}] {_label(s.channel, shown)}{s.text}" for s in segs]
    return result, lines


@click.command("transcribe")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (JSON lines).")
@click.option("--model", default=None,
              help="tiny.en (default for English), base (multilingual; default for fi/auto) "
                   "or the path of a CTranslate2 Whisper directory.")
@click.option("--lang", type=click.Choice(["en", "fi", "auto"]), default="en", show_default=True,
              help="Spoken language. Finnish must be forced with fi (auto-detection fails).")
@click.option("--channels", "channels_mode", type=click.Choice(["auto", "split", "mix"]),
              default="auto", show_default=True,
              help="auto: one transcript per channel unless the channels carry the same signal.")
@click.option("--words", is_flag=True, help="Include word timestamps (in --json).")
@click.option("--beam", type=click.IntRange(1, 10), default=5, show_default=True,
              help="Beam size (1 is faster).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              show_default=True)
@click.option("--allow-truncated", is_flag=True,
              help="Transcribe what a cut-short WAV holds instead of failing on it.")
@click.option("--allow-download", is_flag=True,
              help="Allow fetching a hub model by name (never done otherwise).")
def transcribe(files, as_json, model, lang, channels_mode, words, beam, device, allow_truncated,
               allow_download):
    """Transcribe audio files (wav/flac/mp3/ogg/m4a) with start/end times.

    Stereo call recordings are transcribed per channel (L/R). Errors are reported one line per
    file; the other files are still processed and the exit code is 1 if any failed.
    """
    from coach.stt import BATCH, load_transcriber

    lang_arg = None if lang == "auto" else lang
    model = model or ("tiny.en" if lang == "en" else "base")
    transcriber = load_transcriber(model, device=device, lang=lang_arg,
                                   allow_download=allow_download)
    options = BATCH.with_(beam_size=beam, word_timestamps=words)
    failed = 0
    for path in files:
        try:
            result, lines = _one_file(path, transcriber, options, lang_arg, channels_mode,
                                      allow_truncated)
        except CoachError as exc:
            if exc.path is None:
                exc.path = path
            click.echo(f"coach: error: {exc}", err=True)
            failed += 1
            continue
        for note in result["notes"]:
            click.echo(f"coach: warning: {path}: {note}", err=True)
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            if len(files) > 1:
                click.echo(f"== {path} ({result['duration']:.1f} s)")
            click.echo("\n".join(lines))
    return 1 if failed else 0


@click.command("devices")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def devices(as_json):
    """List sound devices (PortAudio) usable for practice: index, in/out, name, host API."""
    from dataclasses import asdict

    from coach.devices import list_devices

    devs = list_devices()
    if as_json:
        click.echo(json.dumps([asdict(d) for d in devs], ensure_ascii=False))
        return 0
    for d in devs:
        mark = ("<" if d.default_input else " ") + (">" if d.default_output else " ")
        click.echo(f"{d.index:3d} {mark} {d.kinds:6s} {d.name}  ({d.hostapi}, "
                   f"{d.max_input_channels} in, {d.max_output_channels} out, "
                   f"{d.default_samplerate:.0f} Hz)")
    click.echo("< default input, > default output. Select with --input-device/--output-device "
               "NAME; route ALSA 'pulse' with PULSE_SINK/PULSE_SOURCE.")
    return 0


COMMANDS = [transcribe, devices]
