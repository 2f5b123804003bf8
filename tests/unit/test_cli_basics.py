import subprocess
import sys

from coach import __version__
from coach.errors import CoachError, ValidationError, ValidationIssue


def run(*args):
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and __version__ in r.stdout
    r = run("--help")
    assert r.returncode == 0 and "assess" in r.stdout


def test_unknown_command_is_a_usage_error():
    r = run("no-such-command")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


def test_error_messages_name_the_file():
    assert str(CoachError("is empty", "call.wav")) == "call.wav: is empty"
    err = ValidationError([ValidationIssue("r.yaml", 3, "items", "must be a list"),
                           ValidationIssue("r.yaml", 9, "weight", "must be a number")])
    assert err.lines() == ["r.yaml:3: items: must be a list", "r.yaml:9: weight: must be a number"]
    assert "and 1 more" in str(err)
