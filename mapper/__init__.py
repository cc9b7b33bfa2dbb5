"""mapper: which email address belongs to this meeting participant?

The public API is small: open a store with :class:`Mapper` and look mappings up.  Everything
else (sync, resolve, the daemon, reports) runs through the ``mapper`` command.
"""

from __future__ import annotations

__version__ = "0.1.0"

from mapper.api import Mapper
from mapper.config import Settings, load_config
from mapper.errors import ConfigError, DataError, MapperError, NotMigratedError, UpstreamError
from mapper.lookup import Attendance, ParticipantMapping

__all__ = [
    "Attendance",
    "ConfigError",
    "DataError",
    "Mapper",
    "MapperError",
    "NotMigratedError",
    "ParticipantMapping",
    "Settings",
    "UpstreamError",
    "__version__",
    "load_config",
]
