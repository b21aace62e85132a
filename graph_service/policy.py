"""Home-country policies: what a home city's country counts as domestic, and which countries its cities
can partner with. One YAML file per home country in ``graph_service/resources/policies/`` (``CN.yaml``
ships); a home country without a file gets the neutral ``Policy.neutral``.

For a Chinese home city (``CN.yaml``):

- Taiwan, Hong Kong and Macao are parts of China (``domestic``): never a foreign country, a gap, a
  foreign partner or an international suggestion; ties with them are listed apart as 港澳台交流, and
  they are named 中国台湾 / 中国香港特别行政区 / 中国澳门特别行政区 ("Taiwan, China" …);
- sister-city ties need diplomatic relations: only the 183 countries of the Ministry of Foreign
  Affairs' table are *eligible*; the 13 without relations are listed apart (``no_relations``);
- dependent, disputed, former and uninhabited territories (Falkland Islands, Western Sahara, Kosovo,
  Guam …) are never gap countries or candidates (``territories``).

Analysis applies the policy once, through ``Policy.classify``: every country code is ``home``,
``domestic``, ``eligible``, ``no_relations``, ``territory`` or ``unknown``.

>>> cn = policy_for("CN")
>>> [cn.classify(cc) for cc in ("CN", "TW", "JP", "PY", "FK", "ZZ")]
['home', 'domestic', 'eligible', 'no_relations', 'territory', 'unknown']
>>> cn.country_name("TW", "zh"), cn.country_name("HK", "en")
('中国台湾', 'Hong Kong SAR, China')
>>> policy_for("FR").classify("TW"), policy_for(None).is_foreign("FR")
('eligible', True)
"""

from __future__ import annotations

from functools import cache, cached_property
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from graph_service.i18n import Lang
from graph_service.resources import files_with_suffix, resource

Standing = Literal["home", "domestic", "eligible", "no_relations", "territory", "unknown"]
"""Where a country stands for a home city: see ``Policy.classify``."""


class Names(BaseModel):
    """A name in English and Chinese."""

    model_config = ConfigDict(extra="forbid")

    en: str
    zh: str

    def get(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Domestic(BaseModel):
    """Places that are part of the home country although they have country codes of their own."""

    model_config = ConfigDict(extra="forbid")

    label: Names = Field(description="what ties with them are listed as, e.g. 港澳台交流")
    territories: dict[str, Names] = Field(default_factory=dict, description="code -> official names")


class Relation(BaseModel):
    """A country with diplomatic relations: the date established and how far that date was checked."""

    model_config = ConfigDict(extra="forbid")

    since: str
    checked: Literal["date", "year", "unconfirmed"]
    note: str | None = None


class DiplomaticRelations(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str
    as_of: str
    count: int
    countries: dict[str, Relation]


class Territory(BaseModel):
    """A GeoNames "country" that is no state a city partners with."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["dependent", "disputed", "former", "uninhabited"]
    of: str | None = None
    administered_by: str | None = None
    name: Names | None = None
    note: str | None = None


class Policy(BaseModel):
    """One home country's policy (see the module docstring). ``neutral()`` filters nothing."""

    model_config = ConfigDict(extra="forbid")

    country: str | None
    name: Names | None = None
    domestic: Domestic | None = None
    diplomatic_relations: DiplomaticRelations | None = None
    no_relations: dict[str, dict[str, str]] = Field(default_factory=dict)
    territories: dict[str, Territory] = Field(default_factory=dict)

    @classmethod
    def neutral(cls, country: str | None = None) -> Policy:
        """The policy of a home country without a file: only the home country itself is not foreign."""
        return cls(country=country)

    @cached_property
    def domestic_codes(self) -> frozenset[str]:
        """Kept once computed (a policy never changes): gaps and suggestions ask per country and per tie."""
        return frozenset(self.domestic.territories) if self.domestic else frozenset()

    @cached_property
    def home_codes(self) -> frozenset[str]:
        """The home country and its domestic territories: whatever is not foreign."""
        return self.domestic_codes | ({self.country} if self.country else set())

    def classify(self, code: str | None) -> Standing:
        """``home`` (the home country), ``domestic`` (a part of it with its own code), ``eligible`` (a
        country its cities can partner with), ``no_relations``, ``territory``, or ``unknown`` (a code
        the policy does not list: never proposed, since nobody checked it)."""
        if not code:
            return "unknown"
        if code == self.country:
            return "home"
        if code in self.domestic_codes:
            return "domestic"
        if self.diplomatic_relations is None:
            return "eligible"
        if code in self.diplomatic_relations.countries:
            return "eligible"
        if code in self.no_relations:
            return "no_relations"
        if code in self.territories:
            return "territory"
        return "unknown"

    def is_foreign(self, code: str | None) -> bool:
        """Whether a partner there counts as foreign: any code but the home country and its territories."""
        return bool(code) and code not in self.home_codes

    def is_eligible(self, code: str | None) -> bool:
        """Whether a city there may be a gap country's city or an international suggestion."""
        return self.classify(code) == "eligible"

    def is_excluded(self, code: str | None) -> bool:
        """Countries listed apart: no diplomatic relations, or a territory."""
        return self.classify(code) in ("no_relations", "territory")

    def country_name(self, code: str, lang: Lang) -> str | None:
        """The official name the policy gives a code (中国台湾, "Macao SAR, China"), or None."""
        if self.domestic and code in self.domestic.territories:
            return self.domestic.territories[code].get(lang)
        territory = self.territories.get(code)
        if territory and territory.name:
            return territory.name.get(lang)
        return None

    def relation(self, code: str) -> Relation | None:
        """The diplomatic relation with ``code`` (its date and how it was checked), if the policy lists one."""
        return self.diplomatic_relations.countries.get(code) if self.diplomatic_relations else None


def policy_codes() -> list[str]:
    """The home countries that ship a policy file (``CN`` …)."""
    return list(_shipped_codes())


@cache
def _shipped_codes() -> tuple[str, ...]:
    """Listed once per process: ``policy_for`` runs several times per analysis request."""
    return tuple(p.name.removesuffix(".yaml") for p in files_with_suffix(resource("policies"), ".yaml"))


@cache
def _load(code: str) -> Policy:
    text = resource("policies").joinpath(f"{code}.yaml").read_text(encoding="utf-8")
    return Policy.model_validate(yaml.safe_load(text))


def policy_for(country: str | None) -> Policy:
    """The policy of home country ``country``: its file when one ships; for a domestic territory of a
    shipped policy (``TW``, ``HK``, ``MO``), that policy (a city of Taiwan is a Chinese city); the
    neutral default otherwise.

    >>> policy_for("HK").country, policy_for("TW").classify("CN")
    ('CN', 'home')
    """
    if not country:
        return Policy.neutral(None)
    codes = _shipped_codes()
    if country in codes:
        return _load(country)
    for code in codes:
        if country in _load(code).domestic_codes:
            return _load(code)
    return Policy.neutral(country)
