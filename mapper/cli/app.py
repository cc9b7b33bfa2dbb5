"""The typer application, its global options and the error boundary of every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from mapper import __version__
from mapper.config import Settings, load_config
from mapper.errors import ConfigError, MapperError


class _Group(TyperGroup):
    """Turns any :class:`MapperError` into one line on stderr and exit status 2 (no traceback)."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except MapperError as exc:
            message = str(exc)
            if not isinstance(exc, ConfigError):
                message = f"error: {message}"
            typer.echo(message, err=True)
            raise typer.Exit(2) from None


app = typer.Typer(
    name="mapper",
    cls=_Group,
    help="Map meeting participants to the email addresses of calendar invitees.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@dataclass
class CliState:
    """What the global options chose; commands read the settings through :meth:`settings`."""

    config_path: Path | None = None
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_config(self.config_path)
        return self._settings


def state(ctx: typer.Context) -> CliState:
    """The :class:`CliState` of the running command (created when a command runs in isolation)."""
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mapper {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="Config file (TOML). Default: $MAPPER_CONFIG.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Map meeting participants to the email addresses of calendar invitees."""
    ctx.obj = CliState(config_path=config)


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["CliState", "app", "main", "state"]
