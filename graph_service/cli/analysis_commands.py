"""Analysis commands: ``gaps``, ``suggest``, ``metrics``, ``strategies`` and ``backtest``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from graph_service.analysis import GapReport
from graph_service.analysis.backtest import METHODS, backtest
from graph_service.analysis.gaps import Coverage, GapCountry, GapGroup
from graph_service.analysis.metrics import DormantTie
from graph_service.cli.app import (
    CountryOption,
    JsonOption,
    app,
    console,
    emit_json,
    err_console,
    fail,
    nothing_found,
    state,
    user_errors,
)
from graph_service.i18n import pick_lang
from graph_service.services import analysis, cities
from graph_service.services.analysis import GapsBy, StrategyRef

CityArgument = Annotated[str | None, typer.Argument(help="city id or name (any language, pinyin)")]
LangOption = Annotated[str, typer.Option("--lang", help="language of reasons, names and notes: en or zh")]
StrategyOption = Annotated[
    str | None, typer.Option("--strategy", help="profile name in seed/strategies (see `strategies`) or a YAML file")
]


def strategy_ref(value: str | None) -> StrategyRef:
    """A ``--strategy`` value: a YAML file when it names one, else a shipped profile's name."""
    if value is None:
        return None
    path = Path(value)
    return path if path.suffix in {".yaml", ".yml"} or path.is_file() else value


@app.command()
def gaps(
    ctx: typer.Context,
    city: CityArgument = None,
    by: Annotated[str, typer.Option("--by", help="region or country")] = "region",
    strategy: StrategyOption = None,
    province: Annotated[str | None, typer.Option("--province", help="use every city of this province")] = None,
    country: CountryOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
    coverage: Annotated[str, typer.Option("--coverage", help="all: every tie covers a country; sister: only "
                                                             "sister-city ties")] = "all",
) -> None:
    """Where the partner network is thin: partners, partner countries and gap countries per region."""
    if coverage not in ("all", "sister"):
        fail(f"--coverage must be 'all' or 'sister', not {coverage!r}")
    covering = cast(Coverage, coverage)
    if by not in ("region", "country"):
        fail(f"--by must be 'region' or 'country', not {by!r}")
    grouping = cast(GapsBy, by)
    if (city is None) == (province is None):
        fail("give a CITY or --province NAME (not both)")
    with state(ctx).store() as store, user_errors():
        if province:
            report = analysis.province_gaps(store, province, country=country, by=grouping,
                                            strategy=strategy_ref(strategy), lang=pick_lang(lang), coverage=covering)
        else:
            home = cities.resolve_city(store, city or "", country)
            report = analysis.city_gaps(store, home.id, by=grouping, strategy=strategy_ref(strategy),
                                        lang=pick_lang(lang), coverage=covering)
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    who = report.city.name + (f" ({len(report.city.members)} cities)" if report.city.members else "")
    profile = f", strategy {report.strategy}" if report.strategy else ""
    console.print(f"[bold]Partner gaps of {who}[/] by {by}{profile}")
    for note in report.notes:
        console.print(f"[yellow]{note}[/]")
    console.print(gaps_table(report) if report.by == "region" else gap_countries_table(report))
    console.print(GAP_NOTATION, style="dim", highlight=False)
    if report.domestic.partners:
        console.print(f"[bold]{report.domestic.label}[/]: "
                      + ", ".join(f"{p.name} ({p.country})" for p in report.domestic.partners[:20]))
    if report.no_relations:
        console.print("No diplomatic relations (never gaps): " + ", ".join(c.country for c in report.no_relations))


GAP_NOTATION = ("priority: the strategy profile's weight for a country, 0 to 1 (– without one); peer cities: "
                "cities of the home country that already have a partner there. Gap countries have no partner yet; "
                "the highest priority comes first, then the most peer cities.")


def _gap_rank(gap: GapCountry) -> tuple[float, int, str]:
    return (-(gap.priority or 0.0), -gap.peer_coverage, gap.name)


def _spelled(gap: GapCountry) -> str:
    """``Germany (DE): priority 0.8, 2 peer cities``."""
    facts = ([f"priority {gap.priority:g}"] if gap.priority else []) + (
        [f"{gap.peer_coverage} peer {'city' if gap.peer_coverage == 1 else 'cities'}"] if gap.peer_coverage else [])
    label = gap.name if gap.name == gap.country else f"{gap.name} ({gap.country})"
    return label + (f": {', '.join(facts)}" if facts else "")


def gaps_table(report: GapReport, shown: int = 15) -> Table:
    """Gaps by region: per region its partners and its gap countries, highest priority first."""
    table = Table(Column("region", overflow="fold"), "partners\n(sister/friendly)",
                  Column("partner countries", overflow="fold"),
                  Column("gap countries, highest priority first", overflow="fold"))
    for g in report.groups:
        ranked = sorted(g.gap_countries, key=_gap_rank)
        gaps_text = "\n".join(_spelled(x) for x in ranked[:shown])
        if len(ranked) > shown:
            gaps_text += f"\n… and {len(ranked) - shown} more (see --json)"
        tiers = f"{g.counts.total} ({g.counts.by_tier.get('sister', 0)}/{g.counts.by_tier.get('friendly', 0)})"
        table.add_row(g.name, tiers, ", ".join(g.partner_countries), gaps_text)
    return table


def gap_countries_table(report: GapReport) -> Table:
    """Gaps by country: gap countries first, highest priority then most peer cities; then the countries
    that have partners, most partners first."""
    def rank(g: GapGroup) -> tuple[int, tuple[float, int, str], int, str]:
        gap = min(g.gap_countries, key=_gap_rank) if g.gap_countries else None
        return (0 if gap else 1, _gap_rank(gap) if gap else (0.0, 0, ""), -g.counts.total, g.name)

    table = Table(Column("country", overflow="fold"), "gap?", "priority", "peer cities", "partners\n(sister/friendly)")
    for g in sorted(report.groups, key=rank):
        gap = g.gap_countries[0] if g.gap_countries else None
        label = g.name if g.name == g.id else f"{g.name} ({g.id})"
        tiers = f"{g.counts.total} ({g.counts.by_tier.get('sister', 0)}/{g.counts.by_tier.get('friendly', 0)})"
        table.add_row(label, "gap" if gap else "", f"{gap.priority:g}" if gap and gap.priority else "–",
                      str(gap.peer_coverage) if gap else "", tiers)
    return table


@app.command(name="suggest")
def suggest_command(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="city id or name (any language, pinyin)")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    strategy: StrategyOption = None,
    include_home_country: Annotated[bool, typer.Option("--include-home-country")] = False,
    include_partners: Annotated[bool, typer.Option("--include-partners", help="also existing partners")] = False,
    match: Annotated[bool, typer.Option("--match", help="matching cities (寻找对等城市): rank by similarity in "
                                        "size, industry and heritage tags, port and capital status")] = False,
    country: CountryOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Ranked candidate cities to approach next, each with reasons a planner can read aloud."""
    if match and (strategy or include_partners):
        fail("--match ranks by similarity alone: it takes no --strategy or --include-partners")
    with state(ctx).store() as store, user_errors():
        node = cities.resolve_city(store, city, country)
        if match:
            report = analysis.city_matches(store, node.id, limit=limit, include_home_country=include_home_country,
                                           lang=pick_lang(lang))
        else:
            report = analysis.city_suggestions(store, node.id, limit=limit, strategy=strategy_ref(strategy),
                                               include_home_country=include_home_country,
                                               include_partners=include_partners, lang=pick_lang(lang))
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    title = "Matching cities" if match else "Suggestions"
    mode = "by similarity" if match else f"strategy {report.strategy}"
    console.print(f"[bold]{title} for {report.city.name}[/] ({report.city.id}), {mode}")
    for note in report.notes:
        console.print(f"[yellow]{note}[/]")
    longest = max((len(s.id) for s in report.suggestions), default=4)
    table = Table("#", Column("city", min_width=longest, overflow="fold"), "country", "score",
                  Column("why", overflow="fold"), show_lines=True)
    for i, s in enumerate(report.suggestions, 1):
        why = "\n".join(f"• {r.text} [dim](+{r.contribution:.2f})[/]" for r in s.reasons[:4])
        table.add_row(str(i), f"{s.name}" + (f"\n{s.name_zh}" if s.name_zh else "") + f"\n[dim]{s.id}[/]",
                      s.country or "", f"{s.score:.2f}", why)
    console.print(table if report.suggestions else "No candidates found.")


@app.command(name="metrics")
def metrics_command(
    ctx: typer.Context,
    city: CityArgument = None,
    top: Annotated[int, typer.Option("--top", min=1, max=1000)] = 20,
    years: Annotated[int, typer.Option("--years", min=1, max=100, help="dormant: no exchange in N years")] = 5,
    country: CountryOption = None,
    as_json: JsonOption = False,
) -> None:
    """Degree leaders, most central partner cities, Louvain communities and dormant ties."""
    with state(ctx).store() as store, user_errors():
        city_id = cities.resolve_city(store, city, country).id if city else None
        result = analysis.network_metrics(store, city_id, top=top, years=years)
        if not result.central_partners and not as_json:
            nothing_found("No partnerships to measure.")
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    title = "Most central partner cities" if city_id else "Most central cities"
    table = Table("city", "country", "partners", "pagerank", title=title)
    for row in result.central_partners:
        table.add_row(row.name, row.country or "", str(row.degree), f"{row.pagerank:.5f}")
    console.print(table)
    comms = Table("community", "size", "largest cities", "countries", title="Louvain communities (seed 7)")
    for c in result.communities[:10]:
        countries = ", ".join(f"{k}:{v}" for k, v in c.countries.items())
        comms.add_row(str(c.id), str(c.size), ", ".join(c.top_names), countries)
    console.print(comms)
    console.print(dormant_table(result.dormant_ties, years, shown=top))
    if city_id:
        console.print(f"{city} is in community {result.city_community}.", highlight=False)


def dormant_table(ties: list[DormantTie], years: int, shown: int) -> Table:
    """Dormant ties, the longest without an exchange first (never one first)."""
    ordered = sorted(ties, key=lambda d: (d.last_exchange or "", d.a_name, d.b_name))
    more = f", the first {shown} shown (see --json)" if len(ties) > shown else ""
    table = Table(Column("city", overflow="fold"), Column("partner", overflow="fold"), "tier", "status",
                  "last exchange",
                  title=f"{len(ties)} dormant ties: no exchange in {years} years, or status dormant{more}")
    for d in ordered[:shown]:
        table.add_row(d.a_name, d.b_name, d.tier, d.status or "", d.last_exchange or "never recorded")
    return table


@app.command()
def strategies(as_json: JsonOption = False) -> None:
    """List the strategy profiles shipped in seed/strategies."""
    names = analysis.strategy_names()
    if as_json:
        emit_json([analysis.strategy_or_default(n).model_dump(mode="json") for n in names])
        return
    for name in names:
        profile = analysis.strategy_or_default(name)
        console.print(f"[bold]{name}[/]  {profile.title or ''}")


@app.command(name="backtest")
def backtest_command(
    pairs: Annotated[Path, typer.Option("--pairs", help="pairs CSV with the columns of sister_pairs.csv")],
    holdout: Annotated[float, typer.Option("--holdout", help="share of ties to hide, in (0, 1)")] = 0.1,
    seed: Annotated[int, typer.Option("--seed")] = 7,
    as_json: JsonOption = False,
) -> None:
    """Hide a share of real ties and measure `suggest` (pool, profile, spread), the bare scorer and the
    link-prediction baselines on the same held-out ties, for all cities and per group (cn, other, cold)."""
    if not 0 < holdout < 1:
        fail(f"--holdout must lie strictly between 0 and 1, not {holdout}")
    with user_errors(), _progress(quiet=as_json) as report:
        result = backtest(pairs, holdout=holdout, seed=seed, progress=report)
    if as_json:
        emit_json(result.contract())
        return
    for name, group in result.groups.items():
        table = Table("method", "hits@10", "hits@20", "hits@50", "MRR",
                      title=f"Backtest, {name}: {group['n']} held-out ties (holdout {holdout:g}, seed {seed})")
        for method in METHODS:
            row = group[method]
            table.add_row(method, *(f"{row[k]:.3f}" for k in ("hits@10", "hits@20", "hits@50", "mrr")))
        console.print(table)
    console.print(f"{result.same_place_answers} held-out answers were an existing partner under another name "
                  f"(left out); {result.names_merged} name variants merged; {result.seconds:.0f} s.")
    console.print("weights: " + ", ".join(f"{k}={v:g}" for k, v in result.weights.items()))


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A rich progress bar per stage on a terminal; nothing when ``quiet``."""
    if quiet:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err_console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        yield report
