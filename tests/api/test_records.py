"""The information base over real HTTP: record a partnership, an exchange and a school pairing, then read
the timeline, indicators and annual report; bad fields get a 422 listing each field's problem in the
caller's language; a viewer cannot write."""

from __future__ import annotations

import io
import uuid
from datetime import date

from openpyxl import load_workbook

NANNING = "geonames:1799869"
LAST = date.today().year - 1


def test_a_planner_records_and_reads_back_the_information_base(api):
    editor, reader = api.client("editor"), api.client("viewer")
    name = f"Testville {uuid.uuid4().hex[:6]}"
    made = editor.post(f"/cities/{NANNING}/partnerships", json={
        "partner_mode": "new", "city_name": name, "city_country": "NZ", "tier": "friendly", "status": "signed",
        "since": "2019-04-02", "proposed_on": "2018"})
    assert made.status_code == 201, made.text
    partner = made.json()["partner"]["id"]
    trip = editor.post(f"/cities/{NANNING}/exchanges", json={
        "counterpart_id": partner, "field": "education", "date": f"{LAST}-10-08", "title": "Teachers' visit",
        "direction": "inbound", "participants": 9, "head_of_delegation": "Mayor Jones"})
    assert trip.status_code == 201, trip.text
    upgraded = editor.post(f"/cities/{NANNING}/partnerships/{partner}/upgrade", json={"since": f"{LAST}-11-30"})
    edge = upgraded.json()["edge"]
    assert (edge["type"], edge["friendly_since"], edge["since"]) == ("SISTER_CITY", "2019-04-02", f"{LAST}-11-30")
    school = editor.post(f"/cities/{NANNING}/institutions", json={
        "kind": "School", "name": f"Nanning School {name}", "partner_school": f"{name} High",
        "partner_school_city_id": partner, "since": f"{LAST - 2}-03"})
    assert school.status_code == 201 and {e["type"] for e in school.json()["edges"]} == {"LOCATED_IN",
                                                                                        "PARTNER_SCHOOL"}
    events = reader.get(f"/cities/{NANNING}/timeline", params={"lang": "zh"}).json()["events"]
    mine = [(e["date"], e["code"]) for e in events if e["other"] == partner or name in e["text"]]
    assert mine == [(f"{LAST}-11-30", "upgraded"), (f"{LAST}-10-08", "education"), (f"{LAST - 2}-03", "PARTNER_SCHOOL"),
                    ("2019-04-02", "friendly_signed"), ("2018", "proposed")]
    assert any("升级为友好城市" in e["text"] for e in events)
    found = reader.get(f"/cities/{NANNING}/activity").json()
    tie = next(t for t in found["ties"] if t["partner"] == partner)
    assert (tie["tier"], tie["last_exchange"], tie["per_year"][str(LAST)]) == ("sister", f"{LAST}-10-08",
                                                                               {"education": 1})
    report = reader.get(f"/cities/{NANNING}/annual", params={"year": LAST}).json()
    assert report["by_field"] == {"education": 1} and report["by_country"] == {"NZ": 1}
    book = load_workbook(io.BytesIO(reader.get(f"/cities/{NANNING}/report.xlsx").content))
    assert name in [row[0] for row in book["Partners"].iter_rows(values_only=True)]
    audit = [(e["action"], e["actor"]) for e in api.client("admin").get("/audit", params={"limit": 10}).json()["items"]]
    assert ("record_institution", f"key:{api.key_ids['editor']}") in audit


def test_bad_fields_get_a_422_naming_each_problem_in_the_callers_language(api):
    editor = api.client("editor")
    response = editor.post(f"/cities/{NANNING}/partnerships", params={"lang": "zh"},
                           json={"partner": "Atlantis", "tier": "cousin", "since": "2099-01-01", "notes": ["x"]})
    assert response.status_code == 422
    body = response.json()
    assert {(f["field"], f["code"]) for f in body["details"]["fields"]} == {
        ("partner", "unknown_city"), ("tier", "bad_choice"), ("notes", "bad_choice")}
    assert "找不到名为“Atlantis”的城市" in body["message"]
    response = editor.post(f"/cities/{NANNING}/exchanges", json={"counterpart": "Khon Kaen", "field": "education",
                                                                  "date": "2999-01-01", "title": "t",
                                                                  "direction": "outbound"})
    assert response.status_code == 422 and response.json()["details"]["fields"][0]["code"] == "future_step"


def test_a_viewer_cannot_write(api):
    response = api.client("viewer").post(f"/cities/{NANNING}/partnerships", json={"partner": "Osaka",
                                                                                   "tier": "sister"})
    assert response.status_code == 403
    assert api.client(None).post(f"/cities/{NANNING}/exchanges", json={}).status_code == 401
