"""Restructuring cost-savings simulator.

A discrete-event model (SimPy) of a company that removes management layers and
reinvests the savings in AI: it projects headcount, throughput and payback,
with uncertainty ranges, from a YAML scenario file.
"""

__version__ = "0.1.0"
