"""Strategy profiles: a planning layout (seed 004's 以点带面 / 板块推进) as validated YAML.

A profile holds region and country groups with weights, gap countries with a priority, named
targets, the radius R of "near a partner", and the weights of the scoring features
(see ``graph_service.analysis.features``). Profiles live in ``seed/strategies/*.yaml`` and reach the
installed package as ``graph_service/resources/strategies`` (see ``graph_service.resources``).

>>> s = Strategy(name="t", groups=[{"id": "asean", "regions": ["ASEAN"], "weight": 1.0}])
>>> s.radius_km, s.groups[0].weight
(300.0, 1.0)
"""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph_service.analysis.features import DEFAULT_WEIGHTS, FEATURES
from graph_service.errors import StrategyError
from graph_service.model import CountryCode, Id, Name
from graph_service.resources import files_with_suffix, strategies_dir

DEFAULT_STRATEGY = "default"


class Group(BaseModel):
    """A region or country group with a weight in [0, 1]: e.g. ASEAN first (1.0), Japan-Korea (0.8)."""

    model_config = ConfigDict(extra="forbid")

    id: Id
    name: Name | None = None
    name_zh: Name | None = None
    weight: float = Field(default=1.0, ge=0, le=1)
    regions: list[Id] = Field(default_factory=list, description="Region ids: ASEAN, EU27, continent:EU …")
    countries: list[CountryCode] = Field(default_factory=list)


class Target(BaseModel):
    """A named target city: the first of ``ids`` present in the graph, else a name match in ``country``."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    name_zh: Name | None = None
    country: CountryCode | None = None
    ids: list[Id] = Field(default_factory=list)
    names: list[Name] = Field(default_factory=list, description="other names to match, e.g. a stand-in city")
    note: str | None = None


class Strategy(BaseModel):
    """A validated strategy profile."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    name_zh: Name | None = Field(default=None, description="the profile's name on Chinese pages, e.g. 南宁2012友城布局")
    title: str | None = None
    title_zh: str | None = None
    description: str | None = None
    source: str | None = None
    radius_km: float = Field(default=300.0, gt=0, le=5000)
    groups: list[Group] = Field(default_factory=list)
    gap_countries: dict[CountryCode, float] = Field(default_factory=dict, description="country → priority in [0, 1]")
    targets: list[Target] = Field(default_factory=list)
    feature_weights: dict[str, float] = Field(default_factory=dict)
    top_cities_per_country: int = Field(default=5, ge=1, le=50, description="cities drawn per gap/neighbour country")
    max_per_country: int = Field(
        default=3, ge=1, le=500, description="at most this many suggestions per country before the rest fill in"
    )

    @field_validator("gap_countries")
    @classmethod
    def _priorities(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {cc: p for cc, p in value.items() if not 0 <= p <= 1}
        if bad:
            raise ValueError(f"gap country priorities must lie in [0, 1]: {bad}")
        return value

    @field_validator("feature_weights")
    @classmethod
    def _known_features(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(FEATURES))
        if unknown:
            raise ValueError(f"unknown feature(s) {unknown}; known: {', '.join(FEATURES)}")
        if any(w < 0 for w in value.values()):
            raise ValueError("feature weights must not be negative")
        return value

    def label(self) -> dict[str, str]:
        """The profile's name as a ``loc`` reason parameter: ``{"en": name, "zh": name_zh or name}``."""
        return {"en": self.name, "zh": self.name_zh or self.name}

    def weights(self) -> dict[str, float]:
        """Every feature's weight: the profile's, else the default."""
        return DEFAULT_WEIGHTS | self.feature_weights

    def country_priority(self, country: str, regions_of_country: list[str]) -> tuple[float, str | None]:
        """The highest group weight covering ``country`` and that group's id (0, None if none)."""
        best, best_id = 0.0, None
        for group in self.groups:
            covers = country in group.countries or bool(set(group.regions) & set(regions_of_country))
            if covers and group.weight > best:
                best, best_id = group.weight, group.id
        return best, best_id


def list_strategies(directory: Traversable | None = None) -> list[str]:
    """Names of the profiles in ``directory`` (default: the shipped ones), file names less ``.yaml``, sorted."""
    return [p.name.removesuffix(".yaml") for p in files_with_suffix(directory or strategies_dir(), ".yaml")]


def load_strategy(name_or_path: str | Path | None = None, directory: Traversable | None = None) -> Strategy:
    """Load a profile by name (``nanning-2012``) or path to a YAML file; ``None`` gives the default.

    Raises ``StrategyError`` with a readable message for a missing file or invalid content.
    """
    if name_or_path is None:
        name_or_path = DEFAULT_STRATEGY
    given = Path(name_or_path)
    is_file_path = given.suffix in {".yaml", ".yml"} or given.exists()
    path: Traversable = given if is_file_path else (directory or strategies_dir()) / f"{name_or_path}.yaml"
    if not path.is_file():
        known = list_strategies(directory)
        raise StrategyError(f"no strategy {str(name_or_path)!r}; known strategies: {', '.join(known) or 'none'}", known,
                            zh=f"没有名为“{name_or_path}”的策略方案;现有方案:{'、'.join(known) or '无'}。")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise StrategyError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise StrategyError(f"{path} must hold a mapping with at least 'name'")
    try:
        return Strategy.model_validate(data)
    except ValueError as exc:
        raise StrategyError(f"{path}: {exc}") from None
