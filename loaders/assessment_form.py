"""The City Needs Assessment as an XLSForm, generated from the methodology and the indicator catalogue.

``python -m loaders assessment-form --out FILE.xlsx`` writes the questionnaire hub staff upload to
KoboToolbox or ODK Central. ``form_spec()`` is the one description of the form: the generator writes it
as the sheets ``survey``, ``choices`` and ``settings``, and the assessment loader (``loaders.assessment``)
reads exports back through the same object (XML names, labels in the four languages, choice lists,
version). The ``version`` is a hash of what the answers mean (questions, types, constraints and goalposts,
units, choice names, municipalities): it changes whenever the methodology or the catalogue changes
that, and a submission made with another version is refused on loading. Labels and hints are left
out: a wording or translation change must not turn away submissions already collected.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from hub.i18n import LANGUAGES, has_key, place_name, t
from hub.labels import country_name

FORM_ID = "scn_wb_city_assessment"
FORM_LANGUAGES = {"en": "English (en)", "sq": "Shqip (sq)", "bcms": "BCMS (sh)", "mk": "Македонски (mk)"}
DEFAULT_LANGUAGE = "en"
PERIOD_REGEX = r"^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$"
YES_NO = {"yes": 1.0, "no": 0.0}
DATA_SOURCES = ("police_records", "municipal_records", "household_survey", "focus_groups", "cso_reports",
                "national_statistics", "other")
PARTNER_TYPES = ("civil_society", "international", "national_government", "school", "religious_community",
                 "media", "private_sector", "other")
GENERAL, PRIORITIES, INITIATIVES = "general", "priorities", "initiatives"
_COUNT_UNITS = re.compile(r"^(count|\w+ per year)$")
_SCALE_UNITS = re.compile(r"^0\s*[–-]\s*(5|10)$")


def _labels(key: str, **params) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def _same(text: str) -> dict[str, str]:
    return {lang: text for lang in LANGUAGES}


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Question:
    name: str                              # XML name
    type: str                              # XLSForm type, e.g. "decimal", "select_one yes_no"
    group: str = ""                        # enclosing group or repeat ("" = top level)
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    required: bool = False
    constraint: str = ""
    constraint_messages: dict[str, str] = field(default_factory=dict)
    choice_filter: str = ""
    parameters: str = ""
    calculation: str = ""
    minimum: float | None = None
    maximum: float | None = None
    indicator: str | None = None           # the indicator a question measures
    integer: bool = False
    unit: str = ""                         # the catalogue's unit of the answer (part of its meaning)

    @property
    def list_name(self) -> str | None:
        parts = self.type.split()
        return parts[1] if len(parts) == 2 and parts[0].startswith("select_") else None

    @property
    def multiple(self) -> bool:
        return self.type.startswith("select_multiple")

    @property
    def path(self) -> str:
        return f"{self.group}/{self.name}" if self.group else self.name


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)   # choice_filter columns (municipality: economy)


@dataclass
class FormSpec:
    title: str
    groups: dict[str, dict[str, str]]                      # group name -> labels (in order)
    repeats: dict[str, dict[str, str]]                     # repeat name -> labels
    questions: list[Question]
    choices: dict[str, list[Choice]]
    themes: list[str]
    municipalities: list[tuple[str, str, str | None, str]]   # code, name, name_local, country
    version: str = ""

    @property
    def form_id(self) -> str:
        return FORM_ID

    def question(self, name: str) -> Question:
        return next(q for q in self.questions if q.name == name)

    @property
    def indicator_questions(self) -> list[Question]:
        return [q for q in self.questions if q.indicator]

    def choice_value(self, list_name: str, name: str) -> Choice | None:
        return next((c for c in self.choices[list_name] if c.name == name), None)

    # --- the XLSForm sheets ---------------------------------------------------------------
    def sheets(self) -> dict[str, list[list[Any]]]:
        langs = [FORM_LANGUAGES[lang] for lang in LANGUAGES]
        head = (["type", "name"] + [f"label::{x}" for x in langs] + [f"hint::{x}" for x in langs]
                + ["required", "constraint"] + [f"constraint_message::{x}" for x in langs]
                + ["choice_filter", "parameters", "calculation"])

        def row(type_, name, labels=None, hints=None, required=False, constraint="", messages=None,
                choice_filter="", parameters="", calculation=""):
            return ([type_, name] + [(labels or {}).get(lang, "") for lang in LANGUAGES]
                    + [(hints or {}).get(lang, "") for lang in LANGUAGES]
                    + ["yes" if required else "", constraint]
                    + [(messages or {}).get(lang, "") for lang in LANGUAGES]
                    + [choice_filter, parameters, calculation])

        survey = [head]
        current = ""
        for q in self.questions:
            if q.group != current:
                if current:
                    survey.append(row("end_repeat" if current in self.repeats else "end_group", ""))
                if q.group:
                    kind = "begin_repeat" if q.group in self.repeats else "begin_group"
                    survey.append(row(kind, q.group, (self.repeats | self.groups)[q.group]))
                current = q.group
            survey.append(row(q.type, q.name, q.labels, q.hints, q.required, q.constraint, q.constraint_messages,
                              q.choice_filter, q.parameters, q.calculation))
        if current:
            survey.append(row("end_repeat" if current in self.repeats else "end_group", ""))
        extra_cols = sorted({k for cs in self.choices.values() for c in cs for k in c.extra})
        choices = [["list_name", "name"] + [f"label::{x}" for x in langs] + extra_cols]
        for list_name, items in self.choices.items():
            for c in items:
                choices.append([list_name, c.name] + [c.labels.get(lang, "") for lang in LANGUAGES]
                               + [c.extra.get(k, "") for k in extra_cols])
        settings = [["form_title", "form_id", "version", "default_language", "allow_choice_duplicates"],
                    [self.title, FORM_ID, self.version, FORM_LANGUAGES[DEFAULT_LANGUAGE], "no"]]
        return {"survey": survey, "choices": choices, "settings": settings}

    def to_xlsx(self) -> bytes:
        import openpyxl
        from openpyxl.styles import Font
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
        for name, rows in self.sheets().items():
            ws = wb.create_sheet(name)
            for r in rows:
                ws.append(["" if v is None else v for v in r])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            ws.freeze_panes = "C2" if name == "survey" else "A2"
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


# --- from the methodology and the catalogue ---------------------------------------------------
@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    domain: str
    unit: str
    description: str


def catalogue_from_store(engine) -> list[CatalogueEntry]:
    from sqlalchemy import select

    from hub.models import Indicator
    t_ = Indicator.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t_.c.code, t_.c.name, t_.c.domain, t_.c.unit, t_.c.description)
                            .order_by(t_.c.code)).all()
    return [CatalogueEntry(r[0], r[1], r[2], r[3] or "", r[4] or "") for r in rows]


def catalogue_from_file(path: str | Path) -> list[CatalogueEntry]:
    """The catalogue from an ``indicators`` file (CSV or .xlsx, as ``python -m loaders indicators`` reads)."""
    from loaders.parsing import read_input, read_table, parse_text
    data, name = read_input(path)
    table = read_table(data, name)
    idx = {h: i for i, h in enumerate(table.header)}
    missing = [c for c in ("code", "name", "domain") if c not in idx]
    if missing:
        from loaders.errors import LoadError, LoadRefused
        raise LoadRefused([LoadError(name, 1, c, f"required column {c!r} is missing") for c in missing])

    def cell(cells, col):
        i = idx.get(col)
        v = cells[i] if i is not None and i < len(cells) else None
        return parse_text(v) if v is not None else ""
    return [CatalogueEntry(cell(c, "code"), cell(c, "name"), cell(c, "domain"), cell(c, "unit"),
                           cell(c, "description")) for _, c in table.rows]


def municipalities_from_store(engine) -> list[tuple[str, str, str | None, str]]:
    from sqlalchemy import select

    from hub.models import Municipality
    m = Municipality.__table__
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(m.c.code, m.c.name, m.c.name_local, m.c.country)
                                               .order_by(m.c.country, m.c.code)).all()]


def _meaning(spec: FormSpec) -> dict:
    """What a submission's answers mean, for the form's version: every question's name, place, type,
    constraint, goalposts and unit, and every choice list's names (with the municipalities' economy);
    not labels, hints or constraint messages, which may be reworded or translated at any time."""
    wording = {"labels", "hints", "constraint_messages"}
    return {"form_id": FORM_ID, "groups": list(spec.groups), "repeats": list(spec.repeats),
            "questions": [{k: v for k, v in asdict(q).items() if k not in wording} for q in spec.questions],
            "choices": {name: [[c.name, c.extra] for c in cs] for name, cs in spec.choices.items()}}


def _indicator_question(entry: CatalogueEntry, ind) -> Question:
    """The question for one indicator: type and constraint from its goalposts and unit."""
    lo = ind.min if ind is not None else None
    hi = ind.max if ind is not None else None
    unit = (ind.unit if ind is not None and ind.unit else entry.unit) or ""
    if lo is None and hi is None and unit.startswith("%"):
        lo, hi = 0.0, 100.0
    name = {lang: (t(f"city.indicator.{entry.code}", lang) if has_key(f"city.indicator.{entry.code}", "en")
                   else entry.name) for lang in LANGUAGES}
    unit_text = {lang: (t(f"survey.unit.{entry.code}", lang) if has_key(f"survey.unit.{entry.code}", "en")
                        else unit) for lang in LANGUAGES}
    integer = False
    parameters = ""
    if lo == 0 and hi == 1:
        type_ = "select_one yes_no"
        constraint, messages = "", {}
        hints = {lang: t("survey.hint.flag", lang) for lang in LANGUAGES}
    else:
        if lo is not None and hi is not None and lo == 0 and _SCALE_UNITS.match(unit):
            type_ = "range"
            parameters = f"start=0 end={_num(hi)} step={'1' if hi <= 5 else '0.1'}"
            integer = hi <= 5
        elif _COUNT_UNITS.match(unit):
            type_, integer = "integer", True
        else:
            type_ = "decimal"
        low = 0.0 if lo is None else lo
        if hi is not None:
            constraint = f". >= {_num(low)} and . <= {_num(hi)}"
            messages = _labels("survey.constraint.between", min=_num(low), max=_num(hi))
        else:
            constraint = f". >= {_num(low)}"
            messages = _labels("survey.constraint.at_least", min=_num(low))
        hints = {lang: t("survey.hint.unit", lang, unit=unit_text[lang]) for lang in LANGUAGES}
        lo = low
    if entry.description:
        hints["en"] = f"{hints['en']} {entry.description}".strip()
    return Question(entry.code, type_, entry.domain, name, hints, False, constraint, messages,
                    parameters=parameters, minimum=lo, maximum=hi, indicator=entry.code, integer=integer,
                    unit=unit)


def form_spec(engine=None, *, methodology_path: str | Path | None = None,
              catalogue: list[CatalogueEntry] | None = None) -> FormSpec:
    """The assessment form for the store's municipalities, the methodology and the catalogue (the
    store's ``indicators`` table unless ``catalogue`` is given)."""
    from hub.db import get_engine
    from hub.scoring import load_methodology
    engine = engine or get_engine()
    method = load_methodology(methodology_path)
    entries = catalogue if catalogue is not None else catalogue_from_store(engine)
    if not entries:
        # No catalogue anywhere: the methodology's own indicators still make a form.
        entries = [CatalogueEntry(i.id, i.name or i.id, i.dimension, i.unit, i.description)
                   for i in method.indicators.values()]
    municipalities = municipalities_from_store(engine)
    themes = list(method.priority.themes)

    dims = list(method.dimensions) + sorted({e.domain for e in entries} - set(method.dimensions))
    groups: dict[str, dict[str, str]] = {GENERAL: _labels("survey.group.general")}
    for d in dims:
        groups[d] = (_labels(f"city.dimension.{d}") if has_key(f"city.dimension.{d}", "en")
                     else _same(method.dimensions[d].name if d in method.dimensions else d))
    groups[PRIORITIES] = _labels("survey.group.priorities")
    repeats = {INITIATIVES: _labels("survey.group.initiatives")}

    qs: list[Question] = [
        Question("form_version", "calculate", "", calculation="'{version}'"),
        Question("economy", "select_one economy", GENERAL, _labels("survey.q.economy"), required=True),
        Question("municipality", "select_one municipality", GENERAL, _labels("survey.q.municipality"),
                 _labels("survey.hint.municipality"), required=True, choice_filter="economy=${economy}"),
        Question("period", "text", GENERAL, _labels("survey.q.period"), _labels("survey.hint.period"),
                 required=True, constraint=f"regex(., '{PERIOD_REGEX}')",
                 constraint_messages=_labels("survey.constraint.period")),
        Question("assessed_on", "date", GENERAL, _labels("survey.q.assessed_on"), required=True),
        Question("data_sources", "select_multiple data_source", GENERAL, _labels("survey.q.data_sources")),
    ]
    order = {e.code: i for i, e in enumerate(entries)}
    for d in dims:
        for e in sorted((e for e in entries if e.domain == d),
                        key=lambda e: (list(method.indicators).index(e.code) if e.code in method.indicators
                                       else len(method.indicators) + order[e.code])):
            qs.append(_indicator_question(e, method.indicators.get(e.code)))
    n = len(themes)
    for th in themes:
        others = " and ".join(f". != ${{rank_{o}}}" for o in themes if o != th)
        qs.append(Question(f"rank_{th}", "select_one rank", PRIORITIES,
                           {lang: t("survey.q.rank", lang, theme=t(f"city.theme.{th}", lang)) for lang in LANGUAGES},
                           _labels("survey.hint.rank", n=n), constraint=others,
                           constraint_messages=_labels("survey.constraint.rank")))
    qs += [
        Question("initiative_name", "text", INITIATIVES, _labels("survey.q.initiative_name"), required=True),
        Question("partner", "text", INITIATIVES, _labels("survey.q.partner")),
        Question("partner_type", "select_one partner_type", INITIATIVES, _labels("survey.q.partner_type")),
        Question("themes", "select_multiple theme", INITIATIVES, _labels("survey.q.themes")),
        Question("start_year", "integer", INITIATIVES, _labels("survey.q.start_year"),
                 constraint=". >= 1990 and . <= 2100", constraint_messages=_labels("survey.constraint.year"),
                 minimum=1990, maximum=2100, integer=True),
    ]
    economies = [c for c in dict.fromkeys(m[3] for m in municipalities)]
    choices: dict[str, list[Choice]] = {
        "yes_no": [Choice("yes", _labels("survey.choice.yes")), Choice("no", _labels("survey.choice.no"))],
        "economy": [Choice(c, {lang: country_name(c, lang) for lang in LANGUAGES}) for c in economies],
        "municipality": [Choice(code, {lang: place_name(name, local, lang, country) for lang in LANGUAGES},
                                {"economy": country}) for code, name, local, country in municipalities],
        "rank": [Choice(str(i), _same(str(i))) for i in range(1, n + 1)],
        "data_source": [Choice(s, _labels(f"survey.source.{s}")) for s in DATA_SOURCES],
        "partner_type": [Choice(p, _labels(f"survey.partner.{p}")) for p in PARTNER_TYPES],
        "theme": [Choice(th, _labels(f"city.theme.{th}") if has_key(f"city.theme.{th}", "en") else _same(th))
                  for th in themes],
    }
    spec = FormSpec(t("survey.form_title", "en"), groups, repeats, qs, choices, themes, municipalities)
    digest = hashlib.sha256(json.dumps(_meaning(spec), ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    spec.version = "v" + digest[:10]
    spec.questions[0] = Question("form_version", "calculate", "", calculation=f"'{spec.version}'")
    return spec


def write_form(out: str | Path, engine=None, *, catalogue_path: str | Path | None = None,
               methodology_path: str | Path | None = None) -> FormSpec:
    catalogue = catalogue_from_file(catalogue_path) if catalogue_path else None
    spec = form_spec(engine, methodology_path=methodology_path, catalogue=catalogue)
    Path(out).write_bytes(spec.to_xlsx())
    return spec
