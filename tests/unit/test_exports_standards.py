"""Standard exports (issue 15): IATI 2.03 validates against the shipped XSD (and a broken activity
does not), 360Giving has the standard's required fields and formats, HXL parses with libhxl, and
every export's totals equal the fund page's headline for the same role and filters."""
from __future__ import annotations

import csv
import io
from datetime import date

import hxl
import jsonschema
import pandas as pd
import pytest
from lxml import etree
from openpyxl import load_workbook
from sqlmodel import Session

from hub import exports
from hub.access import Viewer
from hub.accounts import load_viewer
from hub.db import get_engine
from hub.models import FundApplication, Municipality
from hub.queries import fund

# The 360Giving grant fields every file must have, with the standard's JSON names, types and formats
# (https://standard.threesixtygiving.org/en/latest/technical/reference/): the equivalent of running
# flattentool + the package schema, whose files no registry package ships.
TITLES_360 = {"Identifier": "id", "Title": "title", "Description": "description", "Currency": "currency",
              "Amount Awarded": "amountAwarded", "Amount Disbursed": "amountDisbursed", "Award Date": "awardDate",
              "Recipient Org:Identifier": ("recipientOrganization", "id"),
              "Recipient Org:Name": ("recipientOrganization", "name"),
              "Funding Org:Identifier": ("fundingOrganization", "id"),
              "Funding Org:Name": ("fundingOrganization", "name"), "Last Modified": "lastModified"}
ORG = {"type": "object", "required": ["id", "name"],
       "properties": {"id": {"type": "string", "pattern": r"^[A-Z0-9]{2,}-[A-Za-z0-9_-]+"},
                      "name": {"type": "string", "minLength": 1}}}
GRANT_SCHEMA = {
    "type": "object",
    "required": ["id", "title", "description", "currency", "amountAwarded", "awardDate", "recipientOrganization",
                 "fundingOrganization"],
    "properties": {
        "id": {"type": "string", "pattern": r"^[A-Z0-9]+-[A-Za-z0-9-]+$"},
        "title": {"type": "string", "minLength": 1}, "description": {"type": "string", "minLength": 1},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "amountAwarded": {"type": "number", "minimum": 0}, "amountDisbursed": {"type": "number", "minimum": 0},
        "awardDate": {"type": "string", "format": "date"}, "lastModified": {"type": "string", "format": "date-time"},
        "recipientOrganization": {"type": "array", "minItems": 1, "items": ORG},
        "fundingOrganization": {"type": "array", "minItems": 1, "items": ORG},
    },
}


def grants_from_rows(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        g = {"recipientOrganization": [{}], "fundingOrganization": [{}]}
        for title, key in TITLES_360.items():
            v = r[title]
            if title.startswith("Amount"):
                v = float(v)
            if isinstance(key, tuple):
                g[key[0]][0][key[1]] = v
            else:
                g[key] = v
        out.append(g)
    return out


def validate_360(grants: list[dict]) -> None:
    checker = jsonschema.Draft202012Validator(GRANT_SCHEMA, format_checker=jsonschema.FormatChecker())
    for g in grants:
        checker.validate(g)


@pytest.fixture(scope="module")
def eng(demo_url):
    return get_engine(demo_url)


@pytest.fixture(scope="module")
def viewers(eng):
    return {"donor": load_viewer("donor.demo", eng), "hub": load_viewer("hub.admin", eng)}


def _headline(viewer, eng, **filters):
    h = fund.headline(viewer, engine=eng, **filters).iloc[0]
    if h["contribution_of"]:
        return round(h["contribution_approved_eur"], 2), round(h["contribution_disbursed_eur"], 2)
    return round(h["approved_eur"], 2), round(h["disbursed_eur"], 2)


CASES = [("donor", {}), ("hub", {}), ("hub", {"donors": ["Norway"]}), ("donor", {"countries": ["MK"]}),
         ("hub", {"themes": ["youth_engagement"], "years": ["2024"]})]


# --- IATI ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("role,filters", CASES)
def test_iati_validates_and_totals_equal_the_headline(eng, viewers, role, filters):
    xml = exports.iati_xml(viewers[role], engine=eng, **filters)
    assert exports.validate_iati(xml) == []
    doc = etree.fromstring(xml)
    total = lambda code: round(sum(float(v.text) for v in doc.xpath(
        f"//transaction[transaction-type/@code='{code}']/value")), 2)
    assert (total("2"), total("3")) == _headline(viewers[role], eng, **filters)
    ids = doc.xpath("//iati-identifier/text()")
    assert len(ids) == len(set(ids)) and all(i.startswith(exports.settings()["reporting_org_id"] + "-") for i in ids)


def test_iati_donor_file_names_no_other_donor_and_kosovo_is_xk(eng, viewers):
    doc = etree.fromstring(exports.iati_xml(viewers["donor"], engine=eng))
    funders = set(doc.xpath("//participating-org[@role='1']/narrative/text()"))
    assert funders == {"Switzerland"}
    assert set(doc.xpath("//participating-org[@role='1']/@ref")) == {"CH-4"}
    hub_doc = etree.fromstring(exports.iati_xml(viewers["hub"], engine=eng))
    assert "XK" in hub_doc.xpath("//recipient-country/@code")


def test_a_broken_activity_fails_the_schema(eng, viewers):
    doc = etree.fromstring(exports.iati_xml(viewers["donor"], engine=eng))
    act = doc.find("iati-activity")
    country, status = act.find("recipient-country"), act.find("activity-status")
    status.addprevious(country)                                   # wrong element order
    errors = exports.validate_iati(etree.tostring(doc))
    assert errors and any("recipient-country" in e for e in errors)
    doc2 = etree.fromstring(exports.iati_xml(viewers["donor"], engine=eng))
    doc2.find("iati-activity").remove(doc2.find("iati-activity/iati-identifier"))   # required element missing
    assert exports.validate_iati(etree.tostring(doc2))


# --- 360Giving ----------------------------------------------------------------------------------
@pytest.mark.parametrize("role,filters", CASES)
def test_360giving_csv_and_xlsx_valid_and_totals_equal_the_headline(eng, viewers, role, filters):
    csv_bytes, name, _ = exports.export("360giving-csv", viewers[role], engine=eng, **filters)
    assert name.endswith(".csv") and not csv_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8"))))
    assert list(rows[0]) == exports.GIVING360_COLUMNS
    validate_360(grants_from_rows(rows))
    total = lambda col: round(sum(float(r[col]) for r in rows), 2)
    assert (total("Amount Awarded"), total("Amount Disbursed")) == _headline(viewers[role], eng, **filters)
    assert len({r["Identifier"] for r in rows}) == len(rows)
    xlsx, _, _ = exports.export("360giving-xlsx", viewers[role], engine=eng, **filters)
    ws = load_workbook(io.BytesIO(xlsx)).active
    values = list(ws.values)
    assert list(values[0]) == exports.GIVING360_COLUMNS
    validate_360(grants_from_rows([dict(zip(values[0], v)) for v in values[1:]]))


def test_360giving_schema_check_catches_a_bad_grant(eng, viewers):
    rows = exports.giving360_frame(viewers["donor"], engine=eng).astype(str).to_dict("records")
    grants = grants_from_rows(rows)
    grants[0]["awardDate"] = "12/07/2023"
    with pytest.raises(jsonschema.ValidationError):
        validate_360(grants)
    del grants[1]["currency"]
    with pytest.raises(jsonschema.ValidationError):
        validate_360(grants[1:])


def test_360giving_donor_rows_are_its_own(eng, viewers):
    df = exports.giving360_frame(viewers["donor"], engine=eng)
    assert set(df["Funding Org:Name"]) == {"Switzerland"} and set(df["Funding Org:Identifier"]) == {"CH-4"}


# --- HXL ----------------------------------------------------------------------------------------
def _hxl(content: bytes):
    return hxl.data(io.BytesIO(content), hxl.InputOptions(allow_local=True))


@pytest.mark.parametrize("role,filters", CASES)
def test_hxl_flows_parse_and_totals_equal_the_headline(eng, viewers, role, filters):
    data = _hxl(exports.hxl_flows(viewers[role], engine=eng, **filters))
    tags = [c.display_tag for c in data.columns]
    assert {"#country+code", "#adm2+code", "#adm2+name", "#org+funding", "#date", "#currency"} <= set(tags)
    rows = list(data)
    total = lambda tag: round(sum(float(r.get(tag)) for r in rows), 2)
    assert (total("#value+committed"), total("#value+disbursed")) == _headline(viewers[role], eng, **filters)


def test_hxl_indicator_values_respect_the_donor_sensitivity_rule(eng, viewers):
    from hub.models import Indicator
    with Session(eng) as s:
        sensitive = {i.code for i in s.query(Indicator).filter(Indicator.sensitive.is_(True))}
    donor = _hxl(exports.hxl_indicators(viewers["donor"], engine=eng))
    assert [c.display_tag for c in donor.columns] == [t for _, t in exports.HXL_INDICATORS]
    donor_codes = {r.get("#indicator+code") for r in donor}
    assert donor_codes and not donor_codes & sensitive
    hub_codes = {r.get("#indicator+code") for r in _hxl(exports.hxl_indicators(viewers["hub"], engine=eng))}
    assert sensitive <= hub_codes
    values = [r.get("#indicator+value+num") for r in donor]
    assert all(float(v) == float(v) for v in values)


# --- formulas, settings, command line -------------------------------------------------------------
def test_formulas_are_neutralised_in_every_spreadsheet_export(empty_url):
    eng = get_engine(empty_url)
    with Session(eng) as s:
        s.add(Municipality(code="MK001", name="=HYPERLINK(\"x\")", country="MK", member_since=date(2018, 1, 1)))
        s.commit()
        s.add(FundApplication(application_id="A1", municipality_code="MK001", title="=1+1", theme="online_harms",
                              submitted_on=date(2024, 1, 1), requested_eur=10, status="approved",
                              decided_on=date(2024, 2, 1), approved_eur=10, donor="@Donor"))
        s.commit()
    hub = Viewer("h", "hub")
    rows = list(csv.DictReader(io.StringIO(exports.export("360giving-csv", hub, engine=eng)[0].decode())))
    assert rows[0]["Title"] == "'=1+1" and rows[0]["Funding Org:Name"] == "'@Donor"
    ws = load_workbook(io.BytesIO(exports.export("360giving-xlsx", hub, engine=eng)[0])).active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    flows = exports.hxl_flows(hub, engine=eng).decode()
    assert "'@Donor" in flows and "'=HYPERLINK" in flows
    assert exports.validate_iati(exports.iati_xml(hub, engine=eng)) == []


def test_settings_file_has_org_ids_for_every_demo_donor():
    cfg = exports.settings()
    assert {"reporting_org_id", "grant_prefix", "recipient_prefix"} <= set(cfg)
    assert set(cfg["donors"]) == {"European Union", "Norway", "Switzerland", "United Kingdom"}


def test_command_line_writes_a_valid_file(demo_env, tmp_path, capsys):
    out = tmp_path / "iati.xml"
    assert exports.main(["iati", "--user", "donor.demo", "--country", "MK", "-o", str(out)]) == 0
    assert exports.validate_iati(out.read_bytes()) == []
    assert exports.main(["hxl-flows", "--user", "hub.admin", "--donor", "Norway", "-o", str(tmp_path / "f.csv")]) == 0
    rows = pd.read_csv(tmp_path / "f.csv", skiprows=[1])
    assert set(rows["Donor"]) == {"Norway"}


# --- the download the fund page offers ----------------------------------------------------------
def test_download_builds_the_export_and_audits_it(demo_copy_env):
    from tests.dbutil import sql
    donor = load_viewer("donor.demo", get_engine(demo_copy_env))
    before = sql(demo_copy_env, "select count(*) from audit_log where username = ? and action = 'download'",
                 "donor.demo")[0][0]
    content = exports.download("360giving-csv", donor, lang="en")
    same = exports.export("360giving-csv", donor, lang="en")[0]      # (its Last Modified is the export time)
    assert content.splitlines()[0] == same.splitlines()[0] and len(content.splitlines()) == len(same.splitlines())
    rows = sql(demo_copy_env, "select target from audit_log where username = ? and action = 'download'", "donor.demo")
    assert len(rows) == before + 1 and exports.FILES["360giving-csv"][1] in [r[0] for r in rows]
