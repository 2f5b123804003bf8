"""The `coach` command line: parse, call one function, turn errors into one-line messages.

Sub-commands live in ``coach/commands/<name>.py``; each module exposes ``COMMANDS``, a list of
click commands or groups, and is picked up here. Command modules import heavy libraries (models,
audio, plotting) inside their functions so that ``coach --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

import click

from coach import __version__
from coach.errors import CoachError, ValidationError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coach")
def app() -> None:
    """Offline practice coach for customer-service calls (English and Finnish).

    \b
    coach practice   rehearse a call against a customer persona (voice or --text)
    coach assess     score recorded calls and transcripts against a rubric
    coach rubric     list, validate, test, explain and evaluate rubrics
    coach scenario   list, show, validate and test practice scenarios
    """


def _register() -> None:
    from coach import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"coach.commands.{info.name}")
        for cmd in getattr(module, "COMMANDS", []):
            app.add_command(cmd)


_register()


def _fail(message: str, code: int) -> int:
    click.echo(f"coach: error: {message}", err=True)
    return code


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script. Returns (and exits with) the exit code."""
    try:
        result = app.main(args=argv, prog_name="coach", standalone_mode=False)
        code = result if isinstance(result, int) else 0
    except ValidationError as exc:
        for line in exc.lines():
            click.echo(f"coach: error: {line}", err=True)
        code = exc.exit_code
    except CoachError as exc:
        code = _fail(str(exc), exc.exit_code)
    except click.exceptions.Abort:
        code = _fail("aborted", 130)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        code = _fail("interrupted", 130)
    except BrokenPipeError:
        code = 0
    except Exception as exc:  # noqa: BLE001 - last resort: one line, no traceback
        if os.environ.get("COACH_DEBUG"):
            raise
        code = _fail(f"internal error: {type(exc).__name__}: {exc} (set COACH_DEBUG=1 for a traceback)", 70)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
