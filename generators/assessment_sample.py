"""Synthetic submissions of the assessment form, written in the shapes KoboToolbox and ODK export.

``python -m generators.assessment_sample --out data/demo/survey_sample_kobo.xlsx`` regenerates the shipped
sample (seeded; every answer is invented). The tests use the same writers for their round trips.
Shapes (see /work/shared notes and docs/data.md): Kobo XLSX = main sheet named after the form title
(≤ 31 characters) with the questions then ``_id, _uuid, _submission_time, _validation_status, _notes,
_status, _submitted_by, __version__, _tags, _index``, and one sheet per repeat group with ``_index,
_parent_table_name, _parent_index, _submission__id, _submission__uuid, ...``; Kobo CSV = the main section,
``;``-separated and quoted; ODK CSV = main file with ``KEY`` and one file per repeat with ``PARENT_KEY``.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import uuid as uuidlib
from datetime import datetime, timedelta
from pathlib import Path

from hub.cli import run
from hub.db import get_engine
from loaders.assessment_form import DATA_SOURCES, FORM_ID, INITIATIVES, FormSpec, Question, form_spec

KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"]
KOBO_REPEAT_META = ["_index", "_parent_table_name", "_parent_index", "_submission__id", "_submission__uuid",
                    "_submission__submission_time", "_submission__validation_status", "_submission__notes",
                    "_submission__status", "_submission__submitted_by", "_submission___version__",
                    "_submission__tags"]
STATUS_LABELS = {"validation_status_approved": "Approved", "validation_status_not_approved": "Not approved",
                 "validation_status_on_hold": "On hold", "": ""}


def synthetic_submissions(spec: FormSpec, cities: list[str], period: str, *, seed: int = 14,
                          start: datetime = datetime(2025, 3, 3, 9, 0)) -> list[dict]:
    """One plausible submission per city: every indicator answered within its goalposts, 3–4 ranked
    themes, 0–2 initiatives."""
    rnd = random.Random(seed)
    country = {c: k for c, _, _, k in spec.municipalities}
    out = []
    for i, code in enumerate(cities):
        values = {}
        for q in spec.indicator_questions:
            if q.list_name == "yes_no":
                values[q.name] = rnd.choice([0.0, 1.0])
            else:
                hi = q.maximum if q.maximum is not None else 50.0
                x = rnd.uniform(q.minimum or 0.0, hi)
                values[q.name] = float(round(x)) if q.integer else round(x, 1 if "step=0.1" in q.parameters else 2)
        themes = list(spec.themes)
        rnd.shuffle(themes)
        ranks = {th: r for r, th in enumerate(themes[:rnd.choice([3, 4])], start=1)}
        initiatives = [{"initiative_name": f"Initiative {i + 1}.{k + 1} (synthetic)",
                        "partner": rnd.choice(["Local youth NGO", "OSCE mission", "Municipal school board"]),
                        "partner_type": rnd.choice(["civil_society", "international", "school"]),
                        "themes": _in_order(spec.themes, rnd.sample(spec.themes, 2)),
                        "start_year": rnd.choice([2021, 2022, 2023, 2024])} for k in range(rnd.choice([0, 1, 2]))]
        when = start + timedelta(days=i, minutes=rnd.randint(0, 600))
        out.append({
            "uuid": str(uuidlib.UUID(int=rnd.getrandbits(128), version=4)), "submission_time": when,
            "validation_status": "validation_status_approved", "economy": country[code], "municipality": code,
            "period": period, "assessed_on": (when - timedelta(days=1)).date(),
            "data_sources": _in_order(list(DATA_SOURCES), rnd.sample(["police_records", "municipal_records",
                                                                      "household_survey", "cso_reports"], 2)),
            "values": values, "ranks": ranks, "initiatives": initiatives, "version": spec.version,
        })
    return out


def _in_order(order: list[str], chosen: list[str]) -> list[str]:
    return [x for x in order if x in chosen]


# --- answers as an export writes them ------------------------------------------------------------------
def _header(spec: FormSpec, q: Question, lang: str | None, sep: str, option: str | None = None) -> str:
    if lang is None:
        base = f"{q.group}{sep}{q.name}" if q.group else q.name
    else:
        groups = spec.groups | spec.repeats
        label = q.labels.get(lang) or q.name
        base = f"{groups[q.group][lang]}{sep}{label}" if q.group else label
    if option is None:
        return base
    choice = spec.choice_value(q.list_name, option)
    return f"{base}/{option if lang is None else choice.labels[lang]}"


def _choice(spec: FormSpec, q: Question, name: str, lang: str | None) -> str:
    return name if lang is None else spec.choice_value(q.list_name, name).labels[lang]


def _sections(spec: FormSpec) -> tuple[list[Question], list[Question]]:
    """The questions of the main section and of the ``initiatives`` repeat."""
    return ([q for q in spec.questions if q.group not in spec.repeats],
            [q for q in spec.questions if q.group == INITIATIVES])


def _answers(spec: FormSpec, sub: dict, lang: str | None) -> dict[str, object]:
    """Question name -> exported answer (XML values, or labels in ``lang``) of the main section;
    ``data_sources__names`` = the XML names chosen (for split select_multiple columns)."""
    a: dict[str, object] = {"form_version": sub["version"], "period": sub["period"],
                            "assessed_on": sub["assessed_on"].isoformat()}
    for name in ("economy", "municipality"):
        a[name] = _choice(spec, spec.question(name), sub[name], lang)
    a["data_sources"] = " ".join(_choice(spec, spec.question("data_sources"), s, lang) for s in sub["data_sources"])
    for q in spec.indicator_questions:
        if q.name not in sub["values"]:
            continue
        v = sub["values"][q.name]
        a[q.name] = _choice(spec, q, "yes" if v == 1 else "no", lang) if q.list_name == "yes_no" else v
    for th, r in sub["ranks"].items():
        a[f"rank_{th}"] = str(r)
    a["data_sources__names"] = sub["data_sources"]
    return a


def _table(spec: FormSpec, subs: list[dict], lang: str | None, sep: str, multiple: str,
           questions: list[Question], answers) -> tuple[list[str], list[list]]:
    header: list[str] = []
    cols: list[tuple[Question, str | None]] = []
    for q in questions:
        if q.type == "calculate" and q.name != "form_version":
            continue
        if not q.multiple or multiple in ("single", "both"):
            header.append(_header(spec, q, lang, sep))
            cols.append((q, None))
        if q.multiple and multiple in ("split", "both"):
            for c in spec.choices[q.list_name]:
                header.append(_header(spec, q, lang, sep, c.name))
                cols.append((q, c.name))
    rows = []
    for s in subs:
        a = answers(s)
        row = []
        for q, opt in cols:
            v = a.get(q.name)
            if opt is None:
                row.append(v if v not in (None, "") else None)
            else:
                chosen = a.get(f"{q.name}__names", [])
                row.append(1 if opt in chosen else 0)
        rows.append(row)
    return header, rows


def kobo_tables(spec: FormSpec, subs: list[dict], *, lang: str | None = None, sep: str = "/",
                multiple: str = "both") -> dict[str, tuple[list[str], list[list]]]:
    """Sheet name -> (header, rows) as Kobo exports them: the main sheet and the repeat sheet."""
    main_qs, rep_qs = _sections(spec)
    header, rows = _table(spec, subs, lang, sep, multiple, main_qs, lambda s: _answers(spec, s, lang))
    header += KOBO_META
    for i, (s, row) in enumerate(zip(subs, rows), start=1):
        status = s["validation_status"] if lang is None else STATUS_LABELS[s["validation_status"]]
        row += [1000 + i, s["uuid"], s["submission_time"].strftime("%Y-%m-%dT%H:%M:%S"), status or None, None,
                "submitted_via_web", None, "vKobo" + spec.version, None, i]
    rep_subs, parents = [], []
    for i, s in enumerate(subs, start=1):
        for init in s["initiatives"]:
            rep_subs.append(init)
            parents.append((i, s))

    def rep_answers(init):
        a = {k: v for k, v in init.items() if k != "themes"}
        a["partner_type"] = _choice(spec, spec.question("partner_type"), init["partner_type"], lang)
        a["themes"] = " ".join(_choice(spec, spec.question("themes"), t, lang) for t in init["themes"])
        a["themes__names"] = init["themes"]
        return a
    rheader, rrows = _table(spec, rep_subs, lang, sep, multiple, rep_qs, rep_answers)
    rheader += KOBO_REPEAT_META
    for k, (row, (i, s)) in enumerate(zip(rrows, parents), start=1):
        row += [k, spec.title[:31], i, 1000 + i, s["uuid"], s["submission_time"].strftime("%Y-%m-%dT%H:%M:%S"),
                s["validation_status"], None, "submitted_via_web", None, "vKobo" + spec.version, None]
    return {spec.title[:31]: (header, rows), INITIATIVES: (rheader, rrows)}


def kobo_xlsx(spec: FormSpec, subs: list[dict], **kw) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in kobo_tables(spec, subs, **kw).items():
        ws = wb.create_sheet(name)
        ws.append(header)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def kobo_csv(spec: FormSpec, subs: list[dict], *, hxl: bool = True, **kw) -> bytes:
    """The main section, ``;``-separated, every field quoted, an HXL row under the header."""
    header, rows = next(iter(kobo_tables(spec, subs, **kw).values()))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    if hxl:
        w.writerow(["#adm2+code" if h.endswith("municipality") else ("#date" if h.endswith("assessed_on") else "")
                    for h in header])
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue().encode("utf-8")


def odk_csv(spec: FormSpec, subs: list[dict], *, split: bool = False) -> dict[str, bytes]:
    """ODK Central's CSV export: ``<form_id>.csv`` with ``KEY`` and ``<form_id>-initiatives.csv``."""
    main_qs, rep_qs = _sections(spec)
    header, rows = _table(spec, subs, None, "-", "both" if split else "single", main_qs,
                          lambda s: _answers(spec, s, None))
    header = ["SubmissionDate"] + header + ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
                                            "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
                                            "DeviceID", "Edits", "FormVersion"]
    out_rows = []
    for s, r in zip(subs, rows):
        key = f"uuid:{s['uuid']}"
        out_rows.append([s["submission_time"].strftime("%Y-%m-%dT%H:%M:%S.000Z")] + r
                        + [key, key, 7, "enumerator.demo", 0, 0, "", "approved", "collect:synthetic", 0,
                           s["version"]])
    rep_header = [_header(spec, q, None, "-") for q in rep_qs] + ["PARENT_KEY", "KEY"]
    rep_rows = []
    for s in subs:
        for k, init in enumerate(s["initiatives"], start=1):
            rep_rows.append([init["initiative_name"], init["partner"], init["partner_type"], " ".join(init["themes"]),
                             init["start_year"], f"uuid:{s['uuid']}", f"uuid:{s['uuid']}/initiatives[{k}]"])

    def to_csv(h, rs):
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(h)
        w.writerows([["" if v is None else v for v in r] for r in rs])
        return buf.getvalue().encode("utf-8")
    return {f"{FORM_ID}.csv": to_csv(header, out_rows), f"{FORM_ID}-initiatives.csv": to_csv(rep_header, rep_rows)}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m generators.assessment_sample",
                                description="Write a synthetic Kobo XLSX export of the assessment form.")
    p.add_argument("--out", required=True)
    p.add_argument("--period", default="2025")
    p.add_argument("--lang", default="mk", help="labels of this language as headers ('xml' for XML names)")
    p.add_argument("--database-url")
    args = p.parse_args(argv)
    engine = get_engine(args.database_url) if args.database_url else get_engine()
    spec = form_spec(engine)
    cities = [c for c, _, _, k in spec.municipalities if k == "MK"][:4] + ["BA001"]
    subs = synthetic_submissions(spec, cities, args.period)
    subs[-1]["validation_status"] = "validation_status_on_hold"
    Path(args.out).write_bytes(kobo_xlsx(spec, subs, lang=None if args.lang == "xml" else args.lang,
                                         multiple="split"))
    print(f"{args.out}: {len(subs)} synthetic submissions, form version {spec.version}")
    return 0


if __name__ == "__main__":
    run(main)


