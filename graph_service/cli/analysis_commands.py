"""Analysis commands: ``gaps``, ``suggest``, ``metrics``, ``strategies`` and ``backtest``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph_service.analysis.backtest import backtest
from graph_service.cli.app import (
    CountryOption,
    JsonOption,
    app,
    console,
    emit_json,
    err_console,
    fail,
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
) -> None:
    """Where the partner network is thin: partners, partner countries and gap countries per region."""
    if by not in ("region", "country"):
        fail(f"--by must be 'region' or 'country', not {by!r}")
    grouping = cast(GapsBy, by)
    if (city is None) == (province is None):
        fail("give a CITY or --province NAME (not both)")
    with state(ctx).store() as store, user_errors():
        if province:
            report = analysis.province_gaps(store, province, country=country, by=grouping,
                                            strategy=strategy_ref(strategy), lang=pick_lang(lang))
        else:
            home = cities.resolve_city(store, city or "", country)
            report = analysis.city_gaps(store, home.id, by=grouping, strategy=strategy_ref(strategy),
                                        lang=pick_lang(lang))
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    who = report.city.name + (f" ({len(report.city.members)} cities)" if report.city.members else "")
    profile = f", strategy {report.strategy}" if report.strategy else ""
    console.print(f"[bold]Partner gaps of {who}[/] by {by}{profile}")
    for note in report.notes:
        console.print(f"[yellow]{note}[/]")
    table = Table("group", "partners", "sister/friendly", "partner countries", "gap countries (priority, peers)")
    for g in report.groups:
        gaps_text = ", ".join(
            x.country + (f" p{x.priority:g}" if x.priority else "")
            + (f" ·{x.peer_coverage}" if x.peer_coverage else "")
            for x in g.gap_countries[:15]
        ) + (" …" if len(g.gap_countries) > 15 else "")
        tiers = f"{g.counts.by_tier.get('sister', 0)}/{g.counts.by_tier.get('friendly', 0)}"
        table.add_row(g.name, str(g.counts.total), tiers, ", ".join(g.partner_countries), gaps_text)
    console.print(table)
    if report.domestic.partners:
        console.print(f"[bold]{report.domestic.label}[/]: "
                      + ", ".join(f"{p.name} ({p.country})" for p in report.domestic.partners[:20]))
    if report.no_relations:
        console.print("No diplomatic relations (never gaps): " + ", ".join(c.country for c in report.no_relations))


@app.command(name="suggest")
def suggest_command(
    ctx: typer.Context,
    city: Annotated[str, typer.Argument(help="city id or name (any language, pinyin)")],
    limit: Annotated[int, typer.Option("--limit", min=1, max=500)] = 20,
    strategy: StrategyOption = None,
    include_home_country: Annotated[bool, typer.Option("--include-home-country")] = False,
    include_partners: Annotated[bool, typer.Option("--include-partners", help="also existing partners")] = False,
    country: CountryOption = None,
    as_json: JsonOption = False,
    lang: LangOption = "en",
) -> None:
    """Ranked candidate cities to approach next, each with reasons a planner can read aloud."""
    with state(ctx).store() as store, user_errors():
        node = cities.resolve_city(store, city, country)
        report = analysis.city_suggestions(store, node.id, limit=limit, strategy=strategy_ref(strategy),
                                           include_home_country=include_home_country,
                                           include_partners=include_partners, lang=pick_lang(lang))
    if as_json:
        emit_json(report.model_dump(mode="json"))
        return
    console.print(f"[bold]Suggestions for {report.city.name}[/] ({report.city.id}), strategy {report.strategy}")
    for note in report.notes:
        console.print(f"[yellow]{note}[/]")
    table = Table("#", "city", "country", "score", "why", show_lines=True)
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
    console.print(f"{len(result.dormant_ties)} dormant ties (no exchange in {years} years)" +
                  (f"; {city} is in community {result.city_community}" if city_id else ""))


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
    """Hide a share of real ties and measure the engine against Adamic-Adar, resource allocation,
    preferential attachment and common neighbours on the same held-out ties."""
    if not 0 < holdout < 1:
        fail(f"--holdout must lie strictly between 0 and 1, not {holdout}")
    with user_errors(), _progress(quiet=as_json) as report:
        result = backtest(pairs, holdout=holdout, seed=seed, progress=report)
    if as_json:
        emit_json(result.contract())
        return
    table = Table("method", "hits@10", "hits@20", "hits@50", "MRR",
                  title=f"Backtest: {result.n} held-out ties (holdout {holdout:g}, seed {seed}, "
                        f"{result.seconds:.0f} s)")
    for name, row in [("engine", result.engine), *result.baselines.items()]:
        table.add_row(name, *(f"{row[k]:.3f}" for k in ("hits@10", "hits@20", "hits@50", "mrr")))
    console.print(table)
    console.print("engine weights: " + ", ".join(f"{k}={v:g}" for k, v in result.weights.items()))


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
