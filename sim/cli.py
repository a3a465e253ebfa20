"""The ``restructure`` command line: parses arguments, calls one function, prints."""

from __future__ import annotations

import click

from sim import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="restructure")
def main() -> None:
    """Simulate cutting management layers and reinvesting the savings in AI."""
