"""Domain errors map, by class, to the HTTP status a client can act on."""

import pytest

from graph_service import errors
from graph_service.api.errors import STATUS, status_of


@pytest.mark.parametrize(("error", "expected"), [
    (errors.StoreUnavailable("Neo4j unavailable: Couldn't connect"), (503, "store_unavailable")),
    (errors.MissingNodes(["ghost"]), (422, "missing_nodes")),
    (errors.KindConflict("x is a City"), (409, "kind_conflict")),
    (errors.Ambiguous("Taizhou", []), (409, "ambiguous")),
    (errors.KeyNotFound("no key"), (404, "not_found")),
    (errors.PairsFileError("not a CSV"), (422, "invalid_file")),
    (errors.StrategyError("no strategy 'x'", ["default"]), (422, "invalid")),
    (errors.StoreError("refused"), (400, "store_error")),
    (errors.StoreFull("data/x.db is full"), (507, "store_full")),
    (errors.StoreReadOnly("data/x.db is read-only"), (503, "store_read_only")),
    (errors.StoreLocked("data/x.db is locked"), (503, "store_locked")),
    (errors.TooBusy("2 exports are already running"), (429, "too_many_requests")),
    (errors.CsrfRefused("form refused"), (403, "csrf_refused")),
])
def test_each_error_class_has_its_status(error, expected):
    assert status_of(error) == expected


def test_every_error_class_of_the_hierarchy_maps_to_a_4xx_503_or_507():
    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, errors.PartnerGraphError)]
    assert len(classes) >= 15
    for cls in classes:
        status = next(STATUS[k][0] for k in cls.__mro__ if k in STATUS)
        assert 400 <= status < 500 or status in (503, 507), cls


def test_details_carry_what_a_client_acts_on():
    assert errors.MissingNodes(["b", "a"]).details() == {"missing": ["a", "b"]}
    assert errors.StrategyError("no strategy", ["default", "nanning-2012"]).details() == {
        "known": ["default", "nanning-2012"]}
    assert errors.InvalidFile("bad file", ["node #0: name"]).summary == "bad file"
