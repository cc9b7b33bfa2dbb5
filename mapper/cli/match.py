"""``mapper match``: match participants to invitee emails for meetings read as JSON Lines.

Needs no configuration and no database: it reads meetings (a file, or standard input for
``-``), runs the matcher on each and writes one JSON line per meeting.  The line format is
documented in :mod:`mapper.matching.jsonl` and docs/MATCHING.md.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from mapper.cli.app import app
from mapper.matching.jsonl import match_lines
from mapper.matching.types import MatchSettings

_DEFAULTS = MatchSettings()


@app.command("match")
def match(
    source: Annotated[
        str, typer.Argument(metavar="[FILE|-]", help="JSON Lines file of meetings; '-' (the default) reads stdin.")
    ] = "-",
    evidence: Annotated[
        bool, typer.Option("--evidence", help="Add each decision's evidence and person id to the output.")
    ] = False,
    fuzzy_threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Lowest name score that may resolve a participant.")
    ] = _DEFAULTS.fuzzy_threshold,
    ambiguity_margin: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="How much the best invitee must beat the runner-up.")
    ] = _DEFAULTS.ambiguity_margin,
) -> None:
    """Match each meeting's participants to invitee emails (one JSON object per line in and out).

    Bad lines produce {"line": N, "error": "..."} and the rest is still processed; the exit
    code is then 1.
    """
    settings = MatchSettings(fuzzy_threshold=fuzzy_threshold, ambiguity_margin=ambiguity_margin)
    if source == "-":
        failed = _run(sys.stdin, settings, evidence)
    else:
        path = Path(source)
        if not path.is_file():
            typer.echo(f"mapper match: {source}: no such file", err=True)
            raise typer.Exit(2)
        with path.open(encoding="utf-8") as stream:
            failed = _run(stream, settings, evidence)
    if failed:
        raise typer.Exit(1)


def _run(lines: Iterable[str], settings: MatchSettings, evidence: bool) -> bool:
    failed = False
    out = sys.stdout
    for line in match_lines(lines, settings=settings, evidence=evidence):
        out.write(line.text + "\n")
        failed = failed or line.error
    out.flush()
    return failed


__all__ = ["match"]
