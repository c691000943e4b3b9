"""The README's commands and CLI reference stay true."""

from __future__ import annotations

import re
import subprocess
import sys

from api.cli import build_parser
from api.settings import REPOSITORY

README = (REPOSITORY / "README.md").read_text()


def test_ci_runs_the_readme_test_command() -> None:
    assert "./scripts/test" in README
    assert "./scripts/test" in (REPOSITORY / ".ci" / "run").read_text()


def test_readme_scripts_exist_and_are_executable() -> None:
    for script in re.findall(r"\./scripts/([\w-]+)", README):
        path = REPOSITORY / "scripts" / script
        assert path.exists() and path.stat().st_mode & 0o111, script


def test_every_cli_command_is_in_the_readme() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command").choices
    assert commands
    for command in commands:  # type: ignore[union-attr]
        assert f"solidarity-kg {command}" in README, command


def test_cli_help_runs_and_usage_errors_exit_64() -> None:
    ok = subprocess.run([sys.executable, "-m", "api", "--help"], capture_output=True, text=True, cwd=REPOSITORY)
    assert ok.returncode == 0 and "serve" in ok.stdout and "exit codes" in ok.stdout.lower()
    bad = subprocess.run([sys.executable, "-m", "api", "query"], capture_output=True, text=True, cwd=REPOSITORY)
    assert bad.returncode == 64 and "name" in bad.stderr


def test_curl_examples_use_real_routes_and_queries() -> None:
    catalogue = {p.stem for p in (REPOSITORY / "queries").glob("*.rq")}
    for name in re.findall(r"/queries/(\w+)", README):
        assert name in catalogue, name
