"""Schemathesis over the app's own OpenAPI, against the real server, with an admin key.

Every operation gets schema-valid cases, schema-violating cases, and valid cases aimed at records
that exist. Each response must not be a 5xx and must conform to the documented status codes,
content types and response schemas. The test counts the cases it sent (at least 500).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import HypothesisException
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .support import start_api

pytestmark = pytest.mark.slow
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MIN_CASES = 500
PER_OPERATION = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 12}
AIMED = 20
LAST = ("DELETE /api/v1/nodes",)
"""Deletes run after the other operations, and delete-everything last, so aimed cases find records."""


@pytest.fixture(scope="module")
def fuzz_api(tmp_path_factory):
    live = start_api(tmp_path_factory.mktemp("fuzz"))
    yield live
    live.server.stop()


def existing_path_values(live) -> dict[str, str]:
    """Path parameters that name records present in the seeded store."""
    client = live.client("admin")
    partners = client.get("/cities/geonames:1799869/partners").json()["partners"]
    return {
        "node_id": "geonames:1799869",
        "city": "geonames:1799869",
        "edge_id": partners[0]["edge_id"],
        "key_id": live.key_ids["viewer"],
    }


def run_operation(operation, mode, count, *, headers, base_url, path_parameters=None, tally, failures, statuses):
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @settings(max_examples=count, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def send(case):
        tally[operation.label] += 1
        try:
            response = case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=60)
        except (Exception, BaseExceptionGroup) as exc:  # record and go on: one report for every failing operation
            failures.append(f"{operation.label} [{mode.value}]: {str(exc)[:1500]}")
        else:
            statuses[response.status_code] += 1

    try:
        send()
    except HypothesisException as exc:  # e.g. no schema-violating case exists for this operation
        failures.append(f"{operation.label} [{mode.value}] could not generate: {exc}") if mode.is_positive else None


def test_schemathesis_finds_no_server_error_and_no_schema_violation(fuzz_api):
    schema = schemathesis.openapi.from_url(fuzz_api.url + "/openapi.json")
    operations = sorted((result.ok() for result in schema.get_all_operations()),
                        key=lambda op: (op.label in LAST, op.method.upper() == "DELETE"))
    headers = {"X-API-Key": fuzz_api.keys["admin"]}
    aimed = existing_path_values(fuzz_api)
    tally: Counter[str] = Counter()
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    for operation in operations:
        for mode, count in PER_OPERATION.items():
            run_operation(
                operation,
                mode,
                count,
                headers=headers,
                base_url=fuzz_api.url,
                tally=tally,
                failures=failures,
                statuses=statuses,
            )
        names = {p.name for p in operation.path_parameters}
        if names:
            run_operation(
                operation,
                GenerationMode.POSITIVE,
                AIMED,
                headers=headers,
                base_url=fuzz_api.url,
                path_parameters={n: aimed[n] for n in names if n in aimed},
                tally=tally,
                failures=failures,
                statuses=statuses,
            )
    total = sum(tally.values())
    print(
        f"schemathesis: {total} cases over {len(tally)} operations; {len(failures)} failures; "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    print(dict(tally))
    assert len(tally) == len(operations), "every operation got cases"
    assert total >= MIN_CASES
    assert not failures, "\n\n".join(failures[:20])
    assert "Traceback" not in fuzz_api.log_text()
