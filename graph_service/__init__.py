"""partner-graph: a knowledge graph of a city's international partners."""

__version__ = "0.1.0"
