"""``mapper db``: create and migrate the store."""

from __future__ import annotations

import typer

from mapper.cli.app import app, state
from mapper.config.settings import mask_url
from mapper.store import current_revision, head_revision, make_engine, upgrade

db_app = typer.Typer(help="Create and migrate the database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply every schema migration the database lacks (safe to run any time)."""
    settings = state(ctx).settings()
    engine = make_engine(settings.database.url)
    before = current_revision(engine)
    after = upgrade(engine)
    where = mask_url(settings.database.url)
    if before == after:
        typer.echo(f"database {where} already at revision {after}")
    else:
        typer.echo(f"database {where} upgraded from {before or 'empty'} to revision {after}")


@db_app.command("status")
def db_status(ctx: typer.Context) -> None:
    """Show the database's schema revision and whether it is current."""
    settings = state(ctx).settings()
    current = current_revision(make_engine(settings.database.url))
    head = head_revision()
    verdict = "up to date" if current == head else "needs `mapper db upgrade`"
    typer.echo(f"database {mask_url(settings.database.url)}: revision {current or 'none'} (latest {head}): {verdict}")
