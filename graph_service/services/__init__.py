"""The use cases the CLI, the JSON API and the web UI share; the three are thin adapters over these.

- ``cities``: resolve a city argument, partners by tier and status, the ego network;
- ``analysis``: gaps and suggestions by strategy name (one rule for unknown names), metrics;
- ``graph``: read, write, patch and delete nodes and edges (a partnership's status, say), delete all;
- ``places``: read models of the region page and the map (partnerships by country, busiest cities);
- ``transfer``: imports and exports, the demo scenario and world geography;
- ``keys``: API keys and the caller of a request (``authenticate``).

A new use case goes in the module of its subject here, with a test under ``tests/services``; the
front ends then call it.
"""
