"""The home-country policy files: China's is complete and consistent, and the module reads any."""

from __future__ import annotations

import re

import pytest
import yaml

from graph_service.ingest.geo import country_codes
from graph_service.policy import Policy, policy_codes, policy_for
from graph_service.resources import resource

UN_MEMBERS_WITHOUT_RELATIONS = {"BZ", "BT", "SZ", "GT", "HT", "MH", "PW", "PY", "KN", "LC", "VC", "TV"}
UN_MEMBERS = 193
NON_UN_WITH_RELATIONS = {"CK", "NU", "PS"}


@pytest.fixture(scope="module")
def cn() -> Policy:
    return policy_for("CN")


def test_china_ships_a_policy_and_every_file_validates():
    assert "CN" in policy_codes()
    for code in policy_codes():
        raw = yaml.safe_load(resource("policies").joinpath(f"{code}.yaml").read_text(encoding="utf-8"))
        assert Policy.model_validate(raw).country == code


@pytest.mark.parametrize("code", policy_codes())
def test_every_geonames_code_is_classified_exactly_once(code):
    """What the README asks of every policy file with a table of relations, China's included."""
    policy = policy_for(code)
    if policy.diplomatic_relations is None:
        pytest.skip(f"{code}.yaml has no table of relations: every country is eligible")
    groups = {
        "home": {policy.country}, "domestic": set(policy.domestic_codes),
        "relations": set(policy.diplomatic_relations.countries), "no_relations": set(policy.no_relations),
        "territories": set(policy.territories),
    }
    every = [cc for members in groups.values() for cc in members]
    assert len(every) == len(set(every)), "a code is listed twice"
    assert set(every) == set(country_codes()), set(country_codes()) ^ set(every)
    assert policy.diplomatic_relations.count == len(policy.diplomatic_relations.countries)


def test_china_classifies_every_standing(cn):
    assert {cn.classify(cc) for cc in country_codes()} == {"home", "domestic", "eligible", "no_relations", "territory"}


def test_183_countries_with_relations_and_the_13_without(cn):
    relations = cn.diplomatic_relations
    assert relations.count == len(relations.countries) == 183
    assert set(cn.no_relations) == UN_MEMBERS_WITHOUT_RELATIONS | {"VA"}
    # 192 UN members other than China, less the 12 without relations, plus the Cook Islands, Niue, Palestine
    un_with_relations = set(relations.countries) - NON_UN_WITH_RELATIONS
    assert len(un_with_relations) == UN_MEMBERS - 1 - len(UN_MEMBERS_WITHOUT_RELATIONS) == 180
    assert set(relations.countries) >= NON_UN_WITH_RELATIONS
    assert "中华人民共和国与各国建立外交关系日期简表" in relations.source


def test_dates_are_dates_and_unconfirmed_ones_say_so(cn):
    relations = cn.diplomatic_relations.countries
    for code, relation in relations.items():
        assert re.fullmatch(r"(19[4-9]\d|20[0-2]\d)-\d{2}-\d{2}", relation.since), code
        assert relation.since >= "1949-10-01", code
    assert relations["NR"].since == "2024-01-24" and relations["NR"].checked == "date"
    assert relations["PS"].since == "1988-11-20" and relations["PS"].checked == "date"
    assert relations["HN"].checked == "year"
    unconfirmed = [c for c, r in relations.items() if r.checked == "unconfirmed"]
    assert unconfirmed, "dates written from memory must be marked"


def test_domestic_territories_are_named_as_parts_of_china(cn):
    assert {cc: (cn.country_name(cc, "zh"), cn.country_name(cc, "en")) for cc in ("TW", "HK", "MO")} == {
        "TW": ("中国台湾", "Taiwan, China"),
        "HK": ("中国香港特别行政区", "Hong Kong SAR, China"),
        "MO": ("中国澳门特别行政区", "Macao SAR, China"),
    }
    assert cn.domestic.label.zh == "港澳台交流"
    for cc in ("TW", "HK", "MO", "CN"):
        assert not cn.is_foreign(cc) and not cn.is_eligible(cc) and not cn.is_excluded(cc)


@pytest.mark.parametrize("code, standing", [
    ("JP", "eligible"), ("US", "eligible"), ("PS", "eligible"), ("NR", "eligible"), ("CK", "eligible"),
    ("PY", "no_relations"), ("VA", "no_relations"), ("TV", "no_relations"),
    ("FK", "territory"), ("EH", "territory"), ("XK", "territory"), ("GU", "territory"), ("AN", "territory"),
    ("TW", "domestic"), ("CN", "home"), ("ZZ", "unknown"), (None, "unknown"),
])
def test_classify(cn, code, standing):
    assert cn.classify(code) == standing


def test_territories_of_china_follow_chinas_policy_and_other_countries_get_the_neutral_one():
    assert policy_for("TW") is policy_for("CN") and policy_for("MO").country == "CN"
    fr = policy_for("FR")
    assert fr.country == "FR" and fr.domestic is None
    assert [fr.classify(cc) for cc in ("FR", "TW", "PY", "FK")] == ["home", "eligible", "eligible", "eligible"]
    assert not fr.is_foreign("FR") and fr.is_foreign("DE")
    assert policy_for(None).classify("JP") == "eligible"
