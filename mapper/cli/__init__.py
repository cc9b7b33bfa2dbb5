"""The ``mapper`` command line: thin commands that parse options and call library functions.

Each sub-module registers its commands on :data:`app` (or adds a sub-app); this module imports
them so that ``mapper --help`` lists everything.
"""

from __future__ import annotations

# Command modules register themselves on import (one line each, sorted).
from mapper.cli import config_cmd as _config_cmd  # noqa: F401
from mapper.cli import daemon as _daemon  # noqa: F401
from mapper.cli import db as _db  # noqa: F401
from mapper.cli import demo as _demo  # noqa: F401
from mapper.cli import lookup as _lookup  # noqa: F401
from mapper.cli import match as _match  # noqa: F401
from mapper.cli import report as _report  # noqa: F401
from mapper.cli import run as _run  # noqa: F401
from mapper.cli import sandbox as _sandbox  # noqa: F401
from mapper.cli import sandbox_generate as _sandbox_generate  # noqa: F401
from mapper.cli import sync as _sync  # noqa: F401
from mapper.cli.app import app, main

__all__ = ["app", "main"]
