"""``mapper sandbox``: run the local emulators of Google and Recall.ai (``serve``).

More commands (``generate``) register on :data:`sandbox_app` from their own modules.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from mapper.cli.app import app
from mapper.errors import ConfigError
from mapper.sandbox import SandboxServer, ScenarioError, read_scenario
from mapper.sandbox.config_writer import write_config

sandbox_app = typer.Typer(help="Run the local emulators of Google and Recall.ai.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


@sandbox_app.command("serve")
def serve(
    scenario: Annotated[
        Path, typer.Option("--scenario", help="Scenario JSON file (see docs/SANDBOX.md).", dir_okay=False)
    ],
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0 = any free port).", min=0, max=65535)] = 0,
    write_config_path: Annotated[
        Path | None,
        typer.Option(
            "--write-config",
            help="Also write a mapper config (TOML) pointing every source at this sandbox.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="database.url of the written config (default sqlite:///mapper.db).",
            show_default=False,
        ),
    ] = None,
    faults: Annotated[
        str | None,
        typer.Option("--faults", help="Fault injection spec, e.g. 'seed=7;*:5xx=0.1,429=0.05'.", show_default=False),
    ] = None,
) -> None:
    """Serve the scenario's world until interrupted (SIGINT / SIGTERM).

    Prints one line, ``sandbox listening on http://HOST:PORT``, once the port is open.
    """
    data = read_scenario(scenario)
    try:
        server = SandboxServer(data, host=host, port=port, faults=faults)
    except ScenarioError as exc:
        raise ScenarioError(f"{scenario}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"sandbox: cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    stop = threading.Event()
    previous = _on_signals(stop)
    server.start()
    try:
        if write_config_path is not None:
            write_config(write_config_path, data, server.url, database_url=database_url)
            typer.echo(f"config written to {write_config_path}", err=True)
        typer.echo(f"sandbox listening on {server.url}")
        sys.stdout.flush()
        while not stop.wait(0.2):
            pass
    finally:
        _restore(previous)
        server.close()


def _on_signals(stop: threading.Event) -> dict[int, object]:
    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, handle)
    return previous


def _restore(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


__all__ = ["sandbox_app", "serve"]
