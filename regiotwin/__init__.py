"""regiotwin: a RegioTwin climate-protection twinning year kept as plain YAML files in git."""

__version__ = "0.1.0"
