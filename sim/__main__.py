"""``python -m sim`` is the same as the ``restructure`` command."""

from sim.cli import main

main()
