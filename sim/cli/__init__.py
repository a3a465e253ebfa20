"""The ``restructure`` command line: parses arguments, calls one function, prints.

A user's mistake (a bad scenario, a bad option) is one line on stderr and exit
status 2; never a traceback. Ctrl-C stops at once and leaves no output folder.

The group is in :mod:`sim.cli.group`; each module below registers its commands on it.
"""

from sim._signals import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from sim.cli import compare as compare
from sim.cli import org as org
from sim.cli import running as running
from sim.cli import scenariocmds as scenariocmds
from sim.cli import studies as studies
from sim.cli.group import EXIT_INVALID as EXIT_INVALID
from sim.cli.group import UserError as UserError
from sim.cli.group import main as main
