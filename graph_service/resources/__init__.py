"""The package's data files, read through ``importlib.resources`` so they work wherever it is installed.

What lives here, and where it comes from:

- ``cypher/``: every statement the Neo4j adapter runs (the repository's top-level ``cypher/``);
- ``strategies/``: the strategy profiles (``seed/strategies/*.yaml``);
- ``scenario/``: the demo scenario (``seed/scenario/*.json``);
- ``admin1_names.json`` and ``country_names_zh.json``: generated tables, rebuilt by
  ``scripts/generate_admin1_names.py`` and ``scripts/generate_country_names_zh.py``;
- ``land_50m.json``: Natural Earth's land outlines for the map view, rebuilt by ``scripts/generate_land.py``.

The client's layout keeps ``cypher/`` and ``seed/`` at the top of the repository, so in the source
tree the first three entries are **relative symlinks**: ``cypher`` and ``strategies`` link to those
folders, and ``scenario`` is a folder with one link per ``seed/scenario/*.json`` (a link to the whole
folder would bring the developer scripts ``seed/scenario/build.py`` and ``notes_zh.py`` into the
package, where type checkers and test collectors would find them; a new scenario file needs its link, and
``tests/test_resources.py`` says so). An editable install (``pip install -e``, as ``scripts/setup.sh``
does) imports the package from the source tree and reads the repository's files through the links.
A wheel (``pip install .``) holds no links: the build backend (hatchling, see
``[tool.hatch.build.targets.wheel]`` in ``pyproject.toml``) leaves the links out and copies the real
folders in their place (its ``sources`` table maps ``cypher`` to ``graph_service/resources/cypher``
and so on, the two scripts excluded: a Python module under a rewritten path also stops hatchling's
editable install). Either way the code asks this module and never walks up from
``__file__``.

>>> sorted(p.name for p in strategies_dir().iterdir() if p.name.endswith(".yaml"))[:2]
['default.yaml', 'nanning-2012.yaml']
>>> read_table("country_names_zh.json")["CN"]
'中国'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType


def resource(name: str) -> Traversable:
    """One entry of this package's data (a file or a folder), e.g. ``resource("cypher")``."""
    return files(__name__).joinpath(name)


def cypher_dir() -> Traversable:
    """The folder of ``*.cypher`` statement files."""
    return resource("cypher")


def strategies_dir() -> Traversable:
    """The folder of strategy profiles, ``<name>.yaml``."""
    return resource("strategies")


def scenario_dir() -> Traversable:
    """The folder of the demo scenario's graph JSON files, loaded in name order."""
    return resource("scenario")


def files_with_suffix(folder: Traversable, suffix: str) -> list[Traversable]:
    """The files in ``folder`` whose name ends with ``suffix``, sorted by name (``Traversable`` has no glob)."""
    return sorted((p for p in folder.iterdir() if p.name.endswith(suffix) and p.is_file()), key=lambda p: p.name)


@cache
def read_table(name: str) -> Mapping[str, str]:
    """A generated string-to-string table (``admin1_names.json``, say), read once and kept read-only."""
    return parse_table(resource(name).read_text(encoding="utf-8"), name)


def parse_table(text: str, name: str) -> Mapping[str, str]:
    """A table's JSON text as a read-only mapping; ``ValueError`` naming the file unless it maps strings to strings.

    >>> parse_table('{"CN": "中国"}', "t.json")["CN"]
    '中国'
    >>> parse_table('["CN"]', "t.json")
    Traceback (most recent call last):
    ValueError: t.json must hold one JSON object mapping strings to strings
    """
    data = json.loads(text)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"{name} must hold one JSON object mapping strings to strings")
    return MappingProxyType(data)


def table_text(table: Mapping[str, str]) -> str:
    """The committed form of a table: JSON, keys sorted, one entry per line, UTF-8 text, final newline.

    >>> print(table_text({"b": "乙", "a": "甲"}), end="")
    {
      "a": "甲",
      "b": "乙"
    }
    """
    return json.dumps(dict(table), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_table(path: Path, table: Mapping[str, str]) -> None:
    """Write ``table`` to ``path`` in its committed form, atomically (a temporary file, then a rename)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(table_text(table), encoding="utf-8")
    tmp.replace(path)
