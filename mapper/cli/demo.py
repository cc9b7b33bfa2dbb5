"""``mapper demo``: sandbox organisation → sync → resolve → reconciliation report, no credentials."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from mapper.cli.app import app


@app.command("demo")
def demo(
    folder: Annotated[
        Path | None, typer.Option("--dir", help="Working folder to keep (default: a new temporary folder).")
    ] = None,
) -> None:
    """Run the whole product on the bundled sandbox organisation and write an HTML report."""
    from mapper.pipeline.demo import run_demo

    run_demo(folder, progress=sys.stderr.isatty())
