"""SQLModel tables: the data contract.

Input datasets (filled by ``loaders``) keep the column names of the files the
hub keeps (see docs/data.md). Derived tables (scores) are written by
``hub.scoring.store`` whenever a load lands, never on a page view.
Operational tables (users, audit, load log, boundaries) belong to the app.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from pydantic import NaiveDatetime  # naive UTC in the store (sqlmodel refuses naive `datetime`)
from sqlalchemy import Column, Index, Text, event
from sqlmodel import Field, SQLModel

from hub.labels import COUNTRIES  # noqa: F401  (re-exported: the vocabulary of ``country`` columns)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --- vocabularies (COUNTRIES, the economies, comes from hub.labels with their names) ---------------------
POLARITIES = ("higher_is_worse", "higher_is_better")
FUND_STATUSES = ("submitted", "under_review", "approved", "rejected", "withdrawn", "completed")
FUNDED_STATUSES = ("approved", "completed")   # money is approved (committed) and paid under these
HELPDESK_STATUSES = ("open", "in_progress", "resolved")
# Not yet resolved; spelled as a list so the status index serves it (status != 'resolved' walked
# every request by date at 100,000 requests: 0.42 s against 0.07 s).
HELPDESK_OPEN_STATUSES = tuple(s for s in HELPDESK_STATUSES if s != "resolved")
EVENT_KINDS = ("roundtable", "workshop", "training", "visit")
LANGUAGES = ("en", "sq", "bcms", "mk")
PARTICIPANT_ROLES = (
    "mayor", "deputy_mayor", "municipal_official", "civil_society", "youth",
    "international", "national_government",
)
THEMES = (
    "national_local_cooperation", "multi_stakeholder_prevention", "youth_engagement",
    "online_harms", "social_cohesion", "gender_and_inclusion",
)
ROLES = ("hub", "donor", "mayor")


# --- input datasets -----------------------------------------------------------
class Municipality(SQLModel, table=True):
    __tablename__ = "municipalities"
    code: str = Field(primary_key=True)
    name: str
    name_local: Optional[str] = None
    country: str = Field(index=True)
    region: Optional[str] = None
    population: Optional[int] = None
    youth_population: Optional[int] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    member_since: Optional[date] = None


class Indicator(SQLModel, table=True):
    __tablename__ = "indicators"
    code: str = Field(primary_key=True)
    name: str
    domain: str = Field(index=True)
    unit: Optional[str] = None
    polarity: str
    description: Optional[str] = None
    source: Optional[str] = None
    sensitive: bool = False


class IndicatorValue(SQLModel, table=True):
    __tablename__ = "indicator_values"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    indicator_code: str = Field(foreign_key="indicators.code", primary_key=True)
    period: str = Field(primary_key=True)
    value: Optional[float] = None
    source: Optional[str] = None
    note: Optional[str] = None
    # survey stream: provenance of the value (a file load writes method="file" and no submission)
    method: Optional[str] = None           # file | survey
    submission_uuid: Optional[str] = Field(default=None, index=True)   # Kobo _uuid / ODK instanceID
    # Covering (value, city) so that per-period/per-indicator counts and youth aggregates at 100x
    # read the index alone instead of one table lookup per row (~1.5 s -> ~0.1 s cold).
    __table_args__ = (Index("ix_indicator_values_period_indicator_value", "period", "indicator_code", "value",
                            "municipality_code"),)


class Priority(SQLModel, table=True):
    __tablename__ = "priorities"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    period: str = Field(primary_key=True)
    theme: str = Field(primary_key=True)
    rank: int


class FundApplication(SQLModel, table=True):
    __tablename__ = "fund_applications"
    application_id: str = Field(primary_key=True)
    municipality_code: str = Field(foreign_key="municipalities.code", index=True)
    title: str
    theme: str
    submitted_on: date
    requested_eur: float
    status: str = Field(index=True)
    decided_on: Optional[date] = None
    approved_eur: Optional[float] = None
    donor: Optional[str] = None
    # donors stream (issue 15): the project title in the other interface languages (``title`` is English)
    title_sq: Optional[str] = None
    title_bcms: Optional[str] = None
    title_mk: Optional[str] = None


class Disbursement(SQLModel, table=True):
    __tablename__ = "disbursements"
    application_id: str = Field(foreign_key="fund_applications.application_id", primary_key=True)
    tranche: int = Field(primary_key=True)
    paid_on: date
    amount_eur: float


class Result(SQLModel, table=True):
    __tablename__ = "results"
    application_id: str = Field(foreign_key="fund_applications.application_id", primary_key=True)
    indicator: str = Field(primary_key=True)
    reported_on: date = Field(primary_key=True)
    baseline: Optional[float] = None
    target: Optional[float] = None
    actual: Optional[float] = None


class HelpdeskRequest(SQLModel, table=True):
    __tablename__ = "helpdesk_requests"
    request_id: str = Field(primary_key=True)
    municipality_code: str = Field(foreign_key="municipalities.code", index=True)
    opened_on: date = Field(index=True)
    topic: str
    channel: str
    status: str = Field(index=True)
    resolved_on: Optional[date] = None
    # Covers per-city counts by status (overview, quadrant): 1 s -> 50 ms at 100,000 requests.
    __table_args__ = (Index("ix_helpdesk_requests_city_status_resolved", "municipality_code", "status",
                            "resolved_on"),)


class Event(SQLModel, table=True):
    __tablename__ = "events"
    event_id: str = Field(primary_key=True)
    kind: str
    title: str
    held_on: date
    language: str
    location: Optional[str] = None
    virtual: bool = False


class Participant(SQLModel, table=True):
    __tablename__ = "participants"
    event_id: str = Field(foreign_key="events.event_id", primary_key=True)
    organisation: str = Field(primary_key=True)
    role: str = Field(primary_key=True)
    municipality_code: Optional[str] = Field(default=None, foreign_key="municipalities.code", index=True)
    count: int = 1


# --- derived: scores (written by hub.scoring.store on every load) -------------
class NeedScore(SQLModel, table=True):
    """Need index per municipality and period, with its robustness."""
    __tablename__ = "need_scores"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    period: str = Field(primary_key=True, index=True)
    score: Optional[float] = None          # 0..scale; None when not computable
    coverage: float = 0.0                  # share of weight observed, 0..1
    flagged: bool = False                  # coverage below the methodology threshold
    rank: Optional[int] = None             # 1 = highest need, within the period
    rank_p05: Optional[float] = None       # Monte Carlo rank interval
    rank_p95: Optional[float] = None
    rank_uncertain: bool = False
    top_mover: Optional[str] = None        # indicator whose omission moves the rank most
    method_id: Optional[str] = None


class DimensionScore(SQLModel, table=True):
    __tablename__ = "dimension_scores"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    period: str = Field(primary_key=True, index=True)
    dimension: str = Field(primary_key=True)
    score: Optional[float] = None          # 0..scale
    coverage: float = 0.0


class IndicatorContribution(SQLModel, table=True):
    """Explains a score: weight x normalised value of each indicator."""
    __tablename__ = "indicator_contributions"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    period: str = Field(primary_key=True, index=True)
    indicator_code: str = Field(primary_key=True)
    dimension: str
    value: Optional[float] = None
    normalised: Optional[float] = None     # 0..1, oriented so that 1 = most need
    weight: float = 0.0                    # effective weight in the index (after renormalising)
    contribution: Optional[float] = None   # on 0..scale; sums to the score (arithmetic)


class PriorityScore(SQLModel, table=True):
    __tablename__ = "priority_scores"
    municipality_code: str = Field(foreign_key="municipalities.code", primary_key=True)
    period: str = Field(primary_key=True, index=True)
    theme: str = Field(primary_key=True)
    stated: float = 0.0                    # s = (T - r + 1) / T, 0 when not stated
    need: Optional[float] = None           # g, 0..1, measured need in the matching dimension
    score: Optional[float] = None          # P on 0..scale
    rank: Optional[int] = None             # within the city, 1 = top priority


# --- operational --------------------------------------------------------------
class LoadLog(SQLModel, table=True):
    __tablename__ = "load_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    dataset: str = Field(index=True)
    file_name: str
    sha256: str
    rows_inserted: int = 0
    rows_updated: int = 0
    loaded_by: Optional[str] = None
    loaded_at: NaiveDatetime = Field(default_factory=utcnow)
    outcome: str                           # ok | refused
    message: Optional[str] = Field(default=None, sa_column=Column(Text))


class User(SQLModel, table=True):
    __tablename__ = "users"
    username: str = Field(primary_key=True)
    display_name: str
    role: str
    municipality_code: Optional[str] = Field(default=None, foreign_key="municipalities.code")
    language: str = "en"
    email: Optional[str] = Field(default=None, index=True)
    password_hash: Optional[str] = None
    failed_attempts: int = 0
    locked_until: Optional[NaiveDatetime] = None
    demo_password: bool = False            # set by the demo builder; shows a warning at sign-in
    # donors stream (issue 15): a donor account's donor, or a named group of donors separated by ";"
    donor: Optional[str] = None


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: Optional[int] = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(default_factory=utcnow, index=True)
    username: Optional[str] = None
    action: str                            # sign_in_ok | sign_in_failed | refused | download | load | ...
    target: Optional[str] = None
    detail: Optional[str] = Field(default=None, sa_column=Column(Text))


class Boundary(SQLModel, table=True):
    """User-supplied municipal polygons (``python -m loaders boundaries``)."""
    __tablename__ = "boundaries"
    country: str = Field(primary_key=True)
    level: str = Field(primary_key=True)
    feature_code: str = Field(primary_key=True)
    name: str
    municipality_code: Optional[str] = Field(default=None, foreign_key="municipalities.code")
    geojson: str = Field(sa_column=Column(Text, nullable=False))


class Setting(SQLModel, table=True):
    """Key-value facts about the store itself (e.g. ``demo = 1`` while the demo data is in use)."""
    __tablename__ = "settings"
    key: str = Field(primary_key=True)
    value: str


# --- survey stream: City Needs Assessment submissions (python -m loaders assessment) -------------
class AssessmentSubmission(SQLModel, table=True):
    """One accepted Kobo/ODK submission of the assessment form; indicator values point here by uuid."""
    __tablename__ = "assessment_submissions"
    uuid: str = Field(primary_key=True)                    # Kobo _uuid, ODK KEY / meta instanceID
    municipality_code: str = Field(foreign_key="municipalities.code", index=True)
    period: str
    submitted_at: Optional[NaiveDatetime] = None           # _submission_time / SubmissionDate (UTC)
    assessed_on: Optional[date] = None                     # the form's assessment date, else submitted_at
    form_version: str
    validation_status: Optional[str] = None
    source_format: str                                     # kobo_xlsx | kobo_csv | odk_csv
    file_name: str
    loaded_at: NaiveDatetime = Field(default_factory=utcnow)


class AssessmentInitiative(SQLModel, table=True):
    """A row of the form's optional repeat group: a prevention initiative and its partner."""
    __tablename__ = "assessment_initiatives"
    submission_uuid: str = Field(foreign_key="assessment_submissions.uuid", primary_key=True)
    seq: int = Field(primary_key=True)                     # 1, 2, ... within the submission
    municipality_code: str = Field(foreign_key="municipalities.code", index=True)
    period: str
    name: str
    partner: Optional[str] = None
    partner_type: Optional[str] = None
    themes: Optional[str] = None                           # space-separated theme codes
    start_year: Optional[int] = None


# --- stream: alerts (issue 17) ------------------------------------------------------
class AlertSubscription(SQLModel, table=True):
    """Who receives the alerts digest and what it carries. No row: hub staff receive everything,
    donors and mayors nothing until they opt in (``python -m hub.alerts subscribe``)."""
    __tablename__ = "alert_subscriptions"
    username: str = Field(foreign_key="users.username", primary_key=True)
    enabled: bool = True
    rules: Optional[str] = None            # comma-separated rule ids; None = every rule of the role
    email: Optional[str] = None            # None = users.email
    feed: bool = True                      # also write the HTML digest and the Atom feed


class AlertSent(SQLModel, table=True):
    """What each recipient was already told: one row per item key, with the fingerprint told."""
    __tablename__ = "alert_sent"
    username: str = Field(foreign_key="users.username", primary_key=True)
    item_key: str = Field(primary_key=True)
    fingerprint: str = ""
    rule: str = Field(index=True)
    sent_at: NaiveDatetime = Field(default_factory=utcnow)


class AlertSnapshot(SQLModel, table=True):
    """The latest period's need scores as they stood after a load (``load_id`` = the latest ok
    ``load_log.id`` then), so changes between the last two loads can be told."""
    __tablename__ = "alert_snapshots"
    load_id: int = Field(primary_key=True)
    municipality_code: str = Field(primary_key=True)
    period: str
    score: Optional[float] = None
    rank: Optional[int] = None
    rank_p05: Optional[float] = None
    rank_p95: Optional[float] = None
    ranked: int = 0                        # cities ranked in that period
    underserved: bool = False
    fund_approved_eur: float = 0.0         # committed to the city's applications by then
    fund_disbursed_eur: float = 0.0        # paid to them by then
    taken_at: NaiveDatetime = Field(default_factory=utcnow)


class UserVisit(SQLModel, table=True):
    """When a user last opened a page (for the overview's "new since your last visit")."""
    __tablename__ = "user_visits"
    username: str = Field(foreign_key="users.username", primary_key=True)
    page: str = Field(primary_key=True)
    previous_visit: Optional[NaiveDatetime] = None
    last_visit: NaiveDatetime = Field(default_factory=utcnow)


# --- stream load: data version and stale scores ---------------------------------
class DataVersion(SQLModel, table=True):
    """One row (id = 1): a counter bumped by every committed write of data (loads, refused loads'
    log rows, boundaries, rescores) in the same transaction. Cached reads are keyed on it
    (``ui.cache``); a write transaction updates this row first, so writers queue on its lock."""
    __tablename__ = "data_version"
    id: int = Field(default=1, primary_key=True)
    version: int = 0


@event.listens_for(DataVersion.__table__, "after_create")
def _data_version_row(target, connection, **_kw) -> None:
    """The one row exists from the moment the table does (a migration must insert it too)."""
    connection.execute(target.insert().values(id=1, version=0))


class StaleScores(SQLModel, table=True):
    """Periods whose stored scores lag behind their inputs (``period = '*'``: every period),
    written in the load's own transaction and removed by the rescore that catches up
    (``hub.scoring.store``); ``version`` is the data version of the load that marked it."""
    __tablename__ = "stale_scores"
    period: str = Field(primary_key=True)
    version: int = 0


# --- stream web: sign-in throttling and generated files, both in the store so replicas agree ---
from sqlalchemy import LargeBinary  # noqa: E402


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted per key (``addr:<client address>``, ``user:<name>``,
    ``device:<id>``) in a window; ``blocked_until`` set once a key has too many."""
    __tablename__ = "sign_in_throttle"
    key: str = Field(primary_key=True)
    failures: int = 0
    window_start: NaiveDatetime = Field(default_factory=utcnow)
    blocked_until: Optional[NaiveDatetime] = Field(default=None, index=True)


class GeneratedFile(SQLModel, table=True):
    """A download the app generated (PDF, CSV, xlsx) for one user: served at ``/media/<file_id>``
    only to that user, by any app process; old rows are purged (``hub.media``)."""
    __tablename__ = "generated_files"
    file_id: str = Field(primary_key=True)
    owner: str = Field(primary_key=True)
    file_name: Optional[str] = None
    mimetype: str
    downloadable: bool = True
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: NaiveDatetime = Field(default_factory=utcnow, index=True)


# --- stream know (issue 16): the Help Desk's knowledge: good practices and actors --------------
# Text shown to users comes per language (``<field>_en``, ``_sq``, ``_bcms``, ``_mk``), shown in the
# viewer's language with a fallback (``hub.i18n.pick_text``). Lists (themes, tags, economies, offers)
# are stored as ``;``-separated values, normalised by the loaders.
PRACTICE_STAGES = ("idea", "pilot", "established")
ACTOR_KINDS = ("international", "regional", "national", "local", "civil_society")
ACTOR_OFFERS = ("funding", "training", "referral", "research")


class Practice(SQLModel, table=True):
    """A good practice, policy, structure or model a city created."""
    __tablename__ = "practices"
    practice_id: str = Field(primary_key=True)
    municipality_code: Optional[str] = Field(default=None, foreign_key="municipalities.code", index=True)
    title_en: Optional[str] = None
    title_sq: Optional[str] = None
    title_bcms: Optional[str] = None
    title_mk: Optional[str] = None
    summary_en: Optional[str] = Field(default=None, sa_column=Column(Text))
    summary_sq: Optional[str] = Field(default=None, sa_column=Column(Text))
    summary_bcms: Optional[str] = Field(default=None, sa_column=Column(Text))
    summary_mk: Optional[str] = Field(default=None, sa_column=Column(Text))
    themes: str                              # e.g. "youth_engagement;social_cohesion"
    year_started: Optional[int] = None
    stage: str                               # PRACTICE_STAGES
    contact_organisation: Optional[str] = None
    links: Optional[str] = Field(default=None, sa_column=Column(Text))   # URLs as text, never fetched
    tags: Optional[str] = None
    public: bool = True                      # False: hub staff only


class Actor(SQLModel, table=True):
    """An organisation cities can turn to: international, regional, national, local or civil society."""
    __tablename__ = "actors"
    actor_id: str = Field(primary_key=True)
    name_en: Optional[str] = None
    name_sq: Optional[str] = None
    name_bcms: Optional[str] = None
    name_mk: Optional[str] = None
    kind: str                                # ACTOR_KINDS
    economies: Optional[str] = None          # country codes; empty = the whole region
    themes: str
    offers: Optional[str] = None             # ACTOR_OFFERS
    contact: Optional[str] = None
    website: Optional[str] = None            # text, never fetched
    public: bool = True
