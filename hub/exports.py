"""Table exports (CSV, Excel) that spreadsheet programs cannot turn into formulas."""
from __future__ import annotations

import io

import pandas as pd

# What starts a formula (OWASP's list), and the full-width forms some spreadsheet locales read as the same
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe: one that starts
    with a formula character, also after leading spaces or line breaks (spreadsheets trim them on import)."""
    if isinstance(value, str) and (value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START)):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out


def _csv(df: pd.DataFrame) -> str:
    """RFC 4180 CSV: CRLF between rows, so a cell holding a line break of either kind is quoted (with
    pandas' "\n" a lone "\r" in a cell went out unquoted and split its row in spreadsheets)."""
    return df.to_csv(index=False, lineterminator="\r\n")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    # UTF-8 with BOM so that Excel opens Cyrillic and diacritics correctly.
    return _csv(safe_frame(df)).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        safe_frame(df).to_excel(xw, index=False, sheet_name=sheet[:31])
        # Cells that still look like formulas are stored as text, never evaluated.
        ws = xw.sheets[sheet[:31]]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return buf.getvalue()


# --- reporting standards: IATI 2.03, 360Giving, HXL (issue 15) -----------------------------------
# Every export is built from the fund query layer for one viewer and one set of filters, so it holds
# the rows that viewer may see and its totals equal the fund page's headline figures: the contribution
# figures when there is one (a donor account, or the hub with a donor filter), else the whole fund.
ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
SETTINGS_FILE = ROOT / "data" / "exports.toml"
IATI_XSD = ROOT / "standards" / "iati-2.03" / "iati-activities-schema.xsd"
GIVING360_COLUMNS = [
    "Identifier", "Title", "Description", "Currency", "Amount Awarded", "Amount Disbursed", "Award Date",
    "Planned Dates:Start Date", "Recipient Org:Identifier", "Recipient Org:Name", "Funding Org:Identifier",
    "Funding Org:Name", "Beneficiary Location:Name", "Beneficiary Location:Country Code",
    "Beneficiary Location:Geographic Code", "Beneficiary Location:Geographic Code Type", "Last Modified",
]
HXL_INDICATORS = [("Country code", "#country+code"), ("Municipality code", "#adm2+code"),
                  ("Municipality", "#adm2+name"), ("Indicator", "#indicator+code"),
                  ("Value", "#indicator+value+num"), ("Period", "#date")]
HXL_FLOWS = [("Project", "#activity+code"), ("Country code", "#country+code"), ("Municipality code", "#adm2+code"),
             ("Municipality", "#adm2+name"), ("Donor", "#org+funding"), ("Theme", "#sector"),
             ("Decided on", "#date"), ("Approved", "#value+committed"), ("Disbursed", "#value+disbursed"),
             ("Currency", "#currency")]
IATI_STATUS = {"approved": "2", "completed": "3"}     # ActivityStatus: 2 implementation, 3 finalisation


def settings(path=None) -> dict:
    """The ``[exports]`` table of ``data/exports.toml`` (or ``path``)."""
    import tomllib
    with open(path or SETTINGS_FILE, "rb") as f:
        return tomllib.load(f)["exports"]


def _donor_org(cfg: dict, name: str) -> tuple[str | None, str | None, str]:
    """(identifier, IATI organisation type, name) of a donor; "" = no donor named = the hub itself."""
    if not name:
        return cfg["reporting_org_id"], cfg.get("reporting_org_type"), cfg["reporting_org_name"]
    d = cfg.get("donors", {}).get(name, {})
    return d.get("id"), d.get("type"), name


def _recipient_id(cfg: dict, code: str) -> str:
    return f"{cfg['recipient_prefix']}-{code}"


def _funded(viewer, engine, lang, filters):
    """(projects, parts): the funded projects the export covers and the money in them, per donor."""
    from hub.queries import fund as q
    flow = q.flow(viewer, engine=engine, lang=lang, **filters)
    projects = q.projects(viewer, engine=engine, lang=lang, **filters)
    projects = projects[projects["application_id"].isin(flow["application_id"])]
    return projects, flow


def _iso(d) -> str | None:
    return None if d is None or pd.isna(d) else pd.Timestamp(d).date().isoformat()


def _money(v: float) -> str:
    return f"{float(v):.2f}"


def iati_xml(viewer, *, engine=None, lang: str = "en", cfg: dict | None = None, now=None, **filters) -> bytes:
    """IATI Activity Standard 2.03: one ``iati-activity`` per funded project the viewer may see, its
    budget and transactions being the contribution (donor accounts; the hub with a donor filter) or
    the whole project: commitment (type 2) on the decision date, one disbursement (type 3) per
    tranche (a donor's part of each tranche, split to the cent so that they add up to its part of
    the total), results with the latest baseline, target and actual."""
    from datetime import datetime, timedelta, timezone

    from lxml import etree

    from hub.i18n import t
    from hub.queries import fund as q

    cfg = cfg or settings()
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    projects, flow = _funded(viewer, engine, "en", filters)
    titles = {lg: q.projects(viewer, engine=engine, lang=lg, **filters).set_index("application_id")["title"]
              for lg in ("sq", "bcms", "mk")}
    res = q.results(viewer, engine=engine, **filters)
    paid = q.tranche_parts(viewer, engine=engine, **filters)
    root = etree.Element("iati-activities", version="2.03", attrib={"generated-datetime": now.isoformat()})
    cur = cfg.get("currency", "EUR")

    def narrative(parent, text, lg=None):
        n = etree.SubElement(parent, "narrative")
        if lg:
            n.set("{http://www.w3.org/XML/1998/namespace}lang", {"bcms": "sr"}.get(lg, lg))
        n.text = str(text)

    def org(parent, tag, ref, typ, name, **attrs):
        el = etree.SubElement(parent, tag, **{k.replace("_", "-"): v for k, v in attrs.items()})
        if ref:
            el.set("ref", ref)
        if typ:
            el.set("type", typ)
        narrative(el, name)
        return el

    for p in projects.itertuples(index=False):
        parts = flow[flow["application_id"] == p.application_id]
        approved, paid_total = float(parts["approved_eur"].sum()), float(parts["disbursed_eur"].sum())
        act = etree.SubElement(root, "iati-activity", attrib={
            "last-updated-datetime": now.isoformat(), "{http://www.w3.org/XML/1998/namespace}lang": "en",
            "default-currency": cur})
        etree.SubElement(act, "iati-identifier").text = f"{cfg['reporting_org_id']}-{p.application_id}"
        org(act, "reporting-org", cfg["reporting_org_id"], cfg.get("reporting_org_type"), cfg["reporting_org_name"])
        title = etree.SubElement(act, "title")
        narrative(title, p.title)
        for lg, s in titles.items():
            if s.get(p.application_id) and s[p.application_id] != p.title:
                narrative(title, s[p.application_id], lg)
        desc = etree.SubElement(act, "description", type="1")
        narrative(desc, f"{t(f'fund.theme.{p.theme}', 'en')} — {p.municipality} ({p.country}); "
                        f"Technical Support Fund application {p.application_id}.")
        for name in parts["donor"]:
            ref, typ, label = _donor_org(cfg, name)
            org(act, "participating-org", ref, typ, label, role="1")
        org(act, "participating-org", _recipient_id(cfg, p.municipality_code), cfg.get("recipient_org_type"),
            f"Municipality of {p.municipality}", role="4")
        etree.SubElement(act, "activity-status", code=IATI_STATUS.get(p.status, "2"))
        etree.SubElement(act, "activity-date", type="1", attrib={"iso-date": _iso(p.decided_on)})
        if _iso(p.first_paid_on):
            etree.SubElement(act, "activity-date", type="2", attrib={"iso-date": _iso(p.first_paid_on)})
        etree.SubElement(act, "recipient-country", code=p.country, percentage="100")
        start = pd.Timestamp(p.decided_on).date()
        budget = etree.SubElement(act, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", attrib={"iso-date": start.isoformat()})
        etree.SubElement(budget, "period-end", attrib={"iso-date": (start + timedelta(days=364)).isoformat()})
        etree.SubElement(budget, "value", currency=cur, attrib={"value-date": start.isoformat()}).text = _money(approved)

        def transaction(code, day, value, provider):
            tr = etree.SubElement(act, "transaction")
            etree.SubElement(tr, "transaction-type", code=code)
            etree.SubElement(tr, "transaction-date", attrib={"iso-date": day})
            etree.SubElement(tr, "value", currency=cur, attrib={"value-date": day}).text = _money(value)
            ref, typ, label = _donor_org(cfg, provider)
            org(tr, "provider-org", ref, typ, label)
            org(tr, "receiver-org", _recipient_id(cfg, p.municipality_code), cfg.get("recipient_org_type"),
                f"Municipality of {p.municipality}")

        for part in parts.itertuples(index=False):
            transaction("2", _iso(p.decided_on), part.approved_eur, part.donor)
            # this donor's part of each tranche, adding up to its part of the total paid
            for tranche in paid[(paid["application_id"] == p.application_id)
                               & (paid["donor"] == part.donor)].itertuples(index=False):
                transaction("3", _iso(tranche.paid_on), tranche.amount_eur, part.donor)
        for r in res[res["application_id"] == p.application_id].itertuples(index=False):
            result = etree.SubElement(act, "result", type="1", attrib={"aggregation-status": "1"})
            narrative(etree.SubElement(result, "title"), r.indicator)
            ind = etree.SubElement(result, "indicator", measure="1", ascending="1")
            narrative(etree.SubElement(ind, "title"), r.indicator)
            if not pd.isna(r.baseline):
                etree.SubElement(ind, "baseline", year=str(start.year), attrib={
                    "iso-date": start.isoformat(), "value": f"{float(r.baseline):g}"})
            period = etree.SubElement(ind, "period")
            etree.SubElement(period, "period-start", attrib={"iso-date": start.isoformat()})
            etree.SubElement(period, "period-end", attrib={"iso-date": _iso(r.reported_on)})
            if not pd.isna(r.target):
                etree.SubElement(period, "target", value=f"{float(r.target):g}")
            if not pd.isna(r.actual):
                etree.SubElement(period, "actual", value=f"{float(r.actual):g}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_iati(xml: bytes) -> list[str]:
    """Errors of an IATI XML document against the shipped 2.03 schema ([] = valid)."""
    from lxml import etree
    schema = _iati_schema()
    doc = etree.fromstring(xml)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


@__import__("functools").lru_cache(maxsize=1)
def _iati_schema():
    from lxml import etree
    return etree.XMLSchema(etree.parse(str(IATI_XSD)))


def giving360_frame(viewer, *, engine=None, lang: str = "en", cfg: dict | None = None, now=None,
                    **filters) -> pd.DataFrame:
    """360Giving grants, one row per funded project and donor (a pooled project's donors each get
    their part, identifier suffixed ``-<n>``), with the standard's column titles
    (``GIVING360_COLUMNS``). Amount Awarded / Disbursed add up to the page's approved / disbursed
    (contribution or whole fund)."""
    from datetime import datetime, timezone

    from hub.i18n import t
    cfg = cfg or settings()
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    projects, flow = _funded(viewer, engine, lang, filters)
    info = projects.set_index("application_id")
    rows = []
    for app_id, parts in flow.groupby("application_id", sort=True):
        p = info.loc[app_id]
        for n, part in enumerate(parts.itertuples(index=False), start=1):
            ref, _, name = _donor_org(cfg, part.donor)
            suffix = f"-{n}" if len(parts) > 1 else ""
            rows.append({
                "Identifier": f"{cfg['grant_prefix']}-{app_id}{suffix}", "Title": p["title"],
                "Description": f"{t(f'fund.theme.{p.theme}', lang)} — {p['municipality']} ({p['country']})",
                "Currency": cfg.get("currency", "EUR"), "Amount Awarded": round(part.approved_eur, 2),
                "Amount Disbursed": round(part.disbursed_eur, 2), "Award Date": _iso(p["decided_on"]),
                "Planned Dates:Start Date": _iso(p["first_paid_on"]) or _iso(p["decided_on"]),
                "Recipient Org:Identifier": _recipient_id(cfg, p["municipality_code"]),
                "Recipient Org:Name": f"Municipality of {p['municipality']}",
                "Funding Org:Identifier": ref or "", "Funding Org:Name": name,
                "Beneficiary Location:Name": p["municipality"], "Beneficiary Location:Country Code": p["country"],
                "Beneficiary Location:Geographic Code": p["municipality_code"],
                "Beneficiary Location:Geographic Code Type": "MUNI",
                "Last Modified": now.isoformat(),
            })
    return pd.DataFrame(rows, columns=GIVING360_COLUMNS)


def giving360_csv(df: pd.DataFrame) -> bytes:
    """The 360Giving CSV: UTF-8 without a byte-order mark (the standard's tools read the first cell as
    the ``Identifier`` title), formulas neutralised."""
    return _csv(safe_frame(df)).encode("utf-8")


def _hxl_csv(df: pd.DataFrame, columns: list[tuple[str, str]]) -> bytes:
    """CSV with the HXL hashtag row under the header, formulas neutralised (no BOM: HXL tools read
    the first row as the header)."""
    out = safe_frame(df)
    out.columns = [c for c, _ in columns]
    tags = pd.DataFrame([[tag for _, tag in columns]], columns=out.columns)
    return _csv(pd.concat([tags, out], ignore_index=True)).encode("utf-8")


def hxl_indicators(viewer, *, engine=None, period: str | None = None) -> bytes:
    """HXL CSV of the assessment indicator values the viewer may see at city level."""
    from hub.queries import fund as q
    df = q.indicator_values(viewer, engine=engine, period=period)
    return _hxl_csv(df[["country", "municipality_code", "municipality", "indicator_code", "value", "period"]],
                    HXL_INDICATORS)


def hxl_flows(viewer, *, engine=None, lang: str = "en", cfg: dict | None = None, **filters) -> bytes:
    """HXL CSV of the fund flows (one row per funded project and donor, as on the fund page)."""
    from hub.queries import fund as q
    cfg = cfg or settings()
    f = q.flow(viewer, engine=engine, lang=lang, **filters)
    projects = q.projects(viewer, engine=engine, lang=lang, **filters).set_index("application_id")
    df = pd.DataFrame({
        "p": f["application_id"], "c": f["country"], "m": f["municipality_code"], "n": f["municipality"],
        "d": [_donor_org(cfg, d)[2] for d in f["donor"]], "t": f["theme"],
        "o": [_iso(projects.at[a, "decided_on"]) for a in f["application_id"]],
        "a": f["approved_eur"].round(2), "b": f["disbursed_eur"].round(2), "x": cfg.get("currency", "EUR")})
    return _hxl_csv(df, HXL_FLOWS)


FILES = {   # kind -> (builder, file name, MIME type)
    "iati": (lambda v, e, lang, f: iati_xml(v, engine=e, **f), "iati-activities.xml", "application/xml"),
    "360giving-csv": (lambda v, e, lang, f: giving360_csv(giving360_frame(v, engine=e, lang=lang, **f)),
                      "360giving-grants.csv", "text/csv"),
    "360giving-xlsx": (lambda v, e, lang, f: to_xlsx_bytes(giving360_frame(v, engine=e, lang=lang, **f), "grants"),
                       "360giving-grants.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "hxl-indicators": (lambda v, e, lang, f: hxl_indicators(v, engine=e), "hxl-indicator-values.csv", "text/csv"),
    "hxl-flows": (lambda v, e, lang, f: hxl_flows(v, engine=e, lang=lang, **f), "hxl-fund-flows.csv", "text/csv"),
}
KINDS = tuple(FILES)


def export(kind: str, viewer, *, engine=None, lang: str = "en", **filters) -> tuple[bytes, str, str]:
    """(content, file name, MIME type) of one export for one viewer and the fund page's filters."""
    if kind not in FILES:
        raise ValueError(f"unknown export {kind!r}; known: {', '.join(KINDS)}")
    build, name, mime = FILES[kind]
    return build(viewer, engine, lang, filters), name, mime


def audit_download(username: str | None, file_name: str) -> None:
    from hub.audit import audit
    audit(username, "download", file_name)


def download(kind: str, viewer, *, lang: str = "en", **filters) -> bytes:
    """The bytes of one export, built when its download button is clicked, with the audit line of
    that download. (Auditing here rather than in a button callback spares the page a rerun on every
    click, which in Streamlit also invalidates the other buttons' deferred files until it lands.)"""
    content, file_name, _ = export(kind, viewer, lang=lang, **filters)
    audit_download(viewer.username, file_name)
    return content


def main(argv=None) -> int:
    """``python -m hub.exports KIND --user USERNAME [filters] [-o FILE]``: one export as that user sees it."""
    import argparse
    import sys

    from hub.accounts import load_viewer
    ap = argparse.ArgumentParser(prog="python -m hub.exports", description=main.__doc__)
    ap.add_argument("kind", choices=KINDS)
    ap.add_argument("--user", required=True, help="the account whose view is exported (its role and donor)")
    ap.add_argument("--lang", default="en", choices=("en", "sq", "bcms", "mk"))
    for name in ("country", "theme", "donor", "year", "status"):
        ap.add_argument(f"--{name}", action="append", default=None, help=f"filter: {name} (repeatable)")
    ap.add_argument("-o", "--output", help="file to write (default: standard output)")
    a = ap.parse_args(argv)
    viewer = load_viewer(a.user)
    if viewer is None:
        ap.error(f"no user {a.user!r}")
    filters = {k: v for k, v in {"countries": a.country, "themes": a.theme, "donors": a.donor,
                                 "years": a.year, "statuses": a.status}.items() if v}
    content, name, _ = export(a.kind, viewer, lang=a.lang, **filters)
    if a.kind == "iati" and (errors := validate_iati(content)):
        print("\n".join(errors), file=sys.stderr)
        return 1
    if a.output:
        with open(a.output, "wb") as f:
            f.write(content)
        print(f"{a.output}: {len(content):,} bytes ({name})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
