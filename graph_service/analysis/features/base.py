"""The parts every scoring feature shares: the ``Feature`` contract, the per-home-city ``Scoring``
context it computes from, and the ``Reason`` it explains itself with.

A feature maps each candidate city to a value in [0, 1]; a strategy profile weights it; its
contribution to a candidate's score is weight × value. The feature that computed a value is the one
that explains it, so a number never appears without the evidence behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, Field

from graph_service.analysis.naming import NodeNames
from graph_service.geodesy import haversine_km
from graph_service.i18n import Lang
from graph_service.policy import Policy, policy_for

if TYPE_CHECKING:
    from graph_service.analysis.candidates import Pool
    from graph_service.analysis.projection import Projection
    from graph_service.analysis.strategy import Strategy
    from graph_service.model import Edge

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Group = Literal["likelihood", "strategy"]


class Reason(BaseModel):
    """Why a candidate scored: a ``kind`` and its ``params`` (the structured reason), the ``text``
    rendered from them in the language asked for (``analysis.reasons``), the evidence node ids, and
    the contribution (weight × feature value) the reason stands for."""

    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    text: str
    evidence: list[str]
    contribution: float
    demo: list[str] = Field(default_factory=list, description=(
        "the invented (demo) records the reason rests on: nodes marked demo, or the far ends of "
        "demo ties; the text says so"))


SIMILAR_SIZE_RATIO = 3.0
""""Similar size" is said only of populations within this factor of each other."""
OPEN_MIN_PARTNERS = 5
""""Open to partnerships" is said only of cities with at least this many partners."""
MIN_NATIONAL_SHARE = 0.05
"""A national share ("12% of the partnerships of cities in China are with Japan") is said only from 5%."""
HUB_PERCENTILE = 99.0
"""A three-step path is shown only when no city in its middle has more partners than this percentile
of the cities with partners (a hub links everything to everything and proves nothing)."""
HUB_MIN_PARTNERS = 10
"""A hub has more partners than this, whatever the percentile: in a small store (an office's own
records) the 99th percentile is a partner with four ties, no hub. On the world dataset the
percentile (26 partners) decides."""


@dataclass(frozen=True)
class Explanation:
    """What a feature says about one candidate, before the contribution is attached: a reason kind
    (a key of ``reasons.TEMPLATES``), its parameters and the evidence node ids. ``template`` names
    another template of the same kind (``near_home_abroad`` for a ``near_home`` across a border).

    ``held_back`` says why the reason is true but too weak to show (a threshold in this module); the
    value still counts in the score, and no page shows the reason.
    """

    kind: str
    params: dict[str, Any]
    evidence: list[str]
    template: str | None = None
    held_back: str | None = None


class Feature:
    """One scoring feature: its name, default weight, computation and reason, kept together.

    ``explained_by`` names another feature whose reason also speaks for this one (resource
    allocation and Adamic-Adar count the same shared partners); its contribution then adds to that
    feature's reason instead of standing alone.
    """

    name: ClassVar[str]
    weight: ClassVar[float]
    group: ClassVar[Group]
    explained_by: ClassVar[str | None] = None

    def compute(self, s: Scoring) -> FloatArray:
        """The feature's value in [0, 1] for each candidate of ``s`` (``s.cand`` order)."""
        raise NotImplementedError

    def explain(self, s: Scoring, cand: str) -> Explanation | None:
        """The reason behind this feature's value for candidate ``cand``; None when there is none to give."""
        raise NotImplementedError


def foreign_partners(proj: Projection, home: int, policy: Policy) -> IntArray:
    """The partners of city position ``home`` that lie abroad under ``policy``, as city positions.

    Ties within the home country, and with its domestic territories (for a Chinese city: Taiwan, Hong
    Kong, Macao), are exchanges at home (港澳台交流): never the foreign partners that candidates,
    scores and reasons build on. A partner of unknown country is kept.
    """
    partners = proj.ties.adjacency[home]
    home_positions = [proj.countries.position[cc] for cc in policy.home_codes if cc in proj.countries.position]
    if not home_positions or not len(partners):
        return partners
    return partners[~np.isin(proj.cities.country[partners], home_positions)]


def on_candidates(ends: IntArray, weights: FloatArray, cand: IntArray) -> FloatArray:
    """The sum of ``weights`` per city position in ``ends``, read out for each of ``cand``.

    >>> on_candidates(np.array([5, 2, 5]), np.array([1.0, 2.0, 0.5]), np.array([2, 3, 5])).tolist()
    [2.0, 0.0, 1.5]
    """
    cities, inverse = np.unique(ends, return_inverse=True)
    sums = np.bincount(inverse, weights=weights, minlength=len(cities))
    at = np.minimum(np.searchsorted(cities, cand), max(len(cities) - 1, 0))
    found = (cities[at] == cand) if len(cities) else np.zeros(len(cand), dtype=bool)
    return np.where(found, sums[at] if len(cities) else 0.0, 0.0)


def squash(x: FloatArray, scale: float) -> FloatArray:
    """Map counts or sums in [0, ∞) to [0, 1): 1 − exp(−x/scale)."""
    return np.asarray(1.0 - np.exp(-np.asarray(x, dtype=np.float64) / scale), dtype=np.float64)


@dataclass
class Scoring:
    """Everything features need about one home city and its candidate cities.

    ``cand`` holds city positions (``proj.cities``). ``strategy`` and ``pool`` are None when only
    the likelihood features run (the backtest). Shared intermediate results are computed once.
    """

    proj: Projection
    home: str
    cand: IntArray
    radius_km: float
    strategy: Strategy | None = None
    pool: Pool | None = None
    lang: Lang = "en"
    home_pos: int = field(init=False)

    def __post_init__(self) -> None:
        self.home_pos = self.proj.cities.position[self.home]

    @cached_property
    def partners(self) -> dict[str, Edge]:
        """The home city's live foreign partners (``candidates.foreign_partners``): a tie with Taiwan,
        Hong Kong or Macao, or within the home country, is never evidence of a foreign partnership."""
        ids = self.proj.cities.ids
        live = self.proj.partners(self.home)
        return {p: live[p] for p in (ids[i] for i in self.partner_positions) if p in live}

    @cached_property
    def partner_positions(self) -> IntArray:
        """City positions of the home city's foreign partners."""
        return foreign_partners(self.proj, self.home_pos, self.policy)

    @cached_property
    def partner_countries(self) -> set[str]:
        return {cc for p in self.partners if (cc := self.proj.country_of(p))}

    @cached_property
    def home_country(self) -> str | None:
        return self.proj.country_of(self.home)

    @cached_property
    def policy(self) -> Policy:
        """The home country's policy (``graph_service.policy``): what is domestic, what is eligible."""
        return policy_for(self.home_country)

    @cached_property
    def names(self) -> NodeNames:
        """How reason texts name nodes, in the home country's policy."""
        return NodeNames(self.proj.nodes, self.policy)

    @cached_property
    def candidate_countries(self) -> IntArray:
        """Each candidate's country position (-1 when unknown)."""
        return self.proj.cities.country[self.cand]

    @cached_property
    def two_hop(self) -> tuple[FloatArray, FloatArray]:
        """Adamic-Adar and resource-allocation sums from the home city to each candidate (``cand`` order).

        Summed over the partners of partners only, so the cost follows the home city's neighbourhood,
        not the size of the world.
        """
        ties = self.proj.ties
        via = self.partner_positions[ties.degree[self.partner_positions] >= 2]
        if not len(via):
            return np.zeros(len(self.cand)), np.zeros(len(self.cand))
        ends, sizes = ties.adjacency.gather(via)
        deg = np.repeat(ties.degree[via], sizes)
        aa = on_candidates(ends, 1.0 / np.log(deg), self.cand)
        ra = on_candidates(ends, 1.0 / deg, self.cand)
        home = self.cand == self.home_pos
        aa[home] = ra[home] = 0.0
        return aa, ra

    @cached_property
    def hub_degree(self) -> float:
        """Partners above which a city is a hub: the ``HUB_PERCENTILE`` of the cities with partners, and
        at least ``HUB_MIN_PARTNERS``."""
        def build() -> float:
            degree = self.proj.ties.degree
            tied = degree[degree > 0]
            return max(float(np.percentile(tied, HUB_PERCENTILE)) if len(tied) else 0.0, HUB_MIN_PARTNERS)
        return self.proj.memo("hub_degree", build)

    def km_between(self, a: str, b: str) -> float | None:
        """Great-circle km between two nodes with coordinates; None when either has none."""
        x, y = self.proj.nodes[a], self.proj.nodes[b]
        if x.lat is None or x.lon is None or y.lat is None or y.lon is None:
            return None
        return float(haversine_km(x.lat, x.lon, y.lat, y.lon))
