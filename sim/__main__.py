"""``python -m sim`` is the same as the ``restructure`` command."""

from sim.console import main

main()
