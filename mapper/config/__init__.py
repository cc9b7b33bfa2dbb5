"""Configuration: one TOML file (``--config`` or ``$MAPPER_CONFIG``) plus ``MAPPER_*`` overrides.

See ``config/mapper.example.toml`` for every key.
"""

from mapper.config.model import RECALL_REGIONS
from mapper.config.settings import CONFIG_ENV, Settings, load_config, mask_url

__all__ = ["CONFIG_ENV", "RECALL_REGIONS", "Settings", "load_config", "mask_url"]
