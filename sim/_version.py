"""The package version, in a module of its own so no stage imports ``sim/__init__``."""

__version__ = "0.3.0"
