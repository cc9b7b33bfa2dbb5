"""``mapper config``: validate and show the effective configuration (secrets masked)."""

from __future__ import annotations

import json
from typing import Annotated

import tomli_w
import typer

from mapper.cli.app import app, state

config_app = typer.Typer(help="Inspect the configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("check")
def config_check(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the effective config as JSON.")] = False,
) -> None:
    """Validate the config file and environment, then print the effective config with secrets masked."""
    settings = state(ctx).settings()
    data = settings.masked()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    typer.echo(f"# effective configuration from {settings.source or 'defaults'} (secrets masked)")
    typer.echo(tomli_w.dumps(data).rstrip())
    typer.echo("config ok", err=True)
