"""Recommendations: which practices and actors answer a city's needs, and why.

The rule, for one city in one period (the latest with scores unless given):

1. **Needs.** The city's dimensions by need: its position among all scored cities in each dimension
   (share of cities with less need). Dimensions in the top quarter, and at least its two highest,
   are its high-need dimensions. Its stated priority themes (rank 1-3) count too. A help-desk
   request narrows this to the themes of its topic (``TOPIC_THEMES``).
2. **Themes.** Each theme backs one dimension (``[priority.themes]`` of the methodology).
3. **Practices.** From *peer* cities (the same population band as ``hub.queries.city.peer_band``)
   that address one of those themes and have *less need* in the theme's dimension; peers first,
   then other member cities when peers offer fewer than ``MIN_PEER_PRACTICES``. Ordered by how
   high the city's need is there, then stage (established first) and the gap.
4. **Actors.** Working on one of those themes in the city's economy (or across the region).

Every row carries a translated reason. Scope: the viewer must be allowed to see the city
(``hub.queries.scope.city``: hub any city, a mayor their own); donors and anyone else get nothing. The other city's
score and the gap are returned only when the viewer may see that city's scores (hub staff);
otherwise the reason says "lower need" and ``other_score``/``gap`` are empty. Entries that are
not public are recommended to hub staff only.
"""
from __future__ import annotations

from functools import lru_cache

import pandas as pd
from sqlalchemy import select

from hub.access import Viewer
from hub.i18n import fmt_number, fold, pick_text, place_name, t
from hub.labels import country_name
from hub.models import Actor, DimensionScore, HelpdeskRequest, Municipality, Practice, Priority
from hub.queries import scope
from hub.queries.base import empty, latest, read
from hub.queries.city import peer_band
from hub.queries.knowledge import split

DS = DimensionScore.__table__
M = Municipality.__table__
P = Practice.__table__
A = Actor.__table__
PR = Priority.__table__
H = HelpdeskRequest.__table__

TOP_QUARTER = 0.75
MIN_HIGH_DIMENSIONS = 2
STATED_UP_TO = 3
MIN_PEER_PRACTICES = 3
MAX_PRACTICES = 6
MAX_ACTORS = 6
STAGE_ORDER = {"established": 0, "pilot": 1, "idea": 2}

# Help-desk topics (as the demo and the hub's forms name them) -> themes; other topics are matched
# by the themes' names inside the topic, or fall back to the city's own needs.
TOPIC_THEMES = {
    "action plan drafting": ("national_local_cooperation",),
    "referral mechanism": ("multi_stakeholder_prevention", "national_local_cooperation"),
    "online hate response": ("online_harms",),
    "youth council set-up": ("youth_engagement",),
}
TOPIC_OFFERS = {"funding guidance": "funding", "data and assessment": "research"}

COLUMNS = ("kind", "item_id", "title", "theme", "dimension", "municipality_code", "city", "country", "peer",
           "stage", "year_started", "own_score", "own_position", "other_score", "gap", "offers", "contact",
           "link", "reason")


@lru_cache(maxsize=4)
def theme_dimensions(path: str | None = None) -> dict[str, str]:
    """theme -> the dimension whose need backs it (the methodology's ``[priority.themes]``)."""
    from hub.scoring import load_methodology
    return dict(load_methodology(path).priority.themes)


def topic_themes(topic: str | None) -> tuple[str, ...]:
    """The themes a help-desk topic is about (empty: none recognised)."""
    if not topic:
        return ()
    key = " ".join(str(topic).lower().replace("_", " ").split())
    if key in TOPIC_THEMES:
        return TOPIC_THEMES[key]
    folded = fold(key)
    return tuple(th for th in theme_dimensions() if fold(th.replace("_", " ")) in folded)


def _latest(city: str, engine) -> str | None:
    """The city's latest period with dimension scores."""
    return latest(DS.c.period, engine, DS.c.municipality_code == city)


def city_needs(viewer: Viewer, *, city: str, period: str | None = None, engine=None) -> pd.DataFrame:
    """The city's dimensions with its score and its need position among all scored cities in the
    period (0..1, 1 = more need than every other city), highest need first; ``high`` marks the
    high-need dimensions of the rule."""
    cols = ["dimension", "score", "position", "n", "high"]
    if not scope.city(viewer, city):
        return pd.DataFrame(columns=cols)
    period = period or _latest(city, engine)
    if period is None:
        return pd.DataFrame(columns=cols)
    scores = read(select(DS.c.municipality_code, DS.c.dimension, DS.c.score)
                   .where(DS.c.period == period).where(DS.c.score.is_not(None)), engine)
    own = scores[scores["municipality_code"] == city]
    rows = []
    for dim, score in zip(own["dimension"], own["score"]):
        others = scores.loc[scores["dimension"] == dim, "score"]
        n = len(others)
        position = ((others < score).sum() + 0.5 * ((others == score).sum() - 1)) / max(n - 1, 1)
        rows.append({"dimension": dim, "score": float(score), "position": float(position), "n": n})
    out = pd.DataFrame(rows, columns=cols[:-1]).sort_values(["position", "dimension"], ascending=[False, True])
    out["high"] = [(p >= TOP_QUARTER or i < MIN_HIGH_DIMENSIONS) for i, p in enumerate(out["position"])]
    return out.reset_index(drop=True)


def _may_see_score(viewer: Viewer, code: str | None, dimension: str, sensitive: set[str]) -> bool:
    """Whether the viewer may see another city's score in a dimension (hub staff: yes; nobody else)."""
    if code is None or not scope.city(viewer, code):
        return False
    return viewer.sees_sensitive_city_values or dimension not in sensitive


def recommendations(viewer: Viewer, *, city: str, period: str | None = None, topic: str | None = None,
                    lang: str = "en", engine=None) -> pd.DataFrame:
    """Practices and actors for ``city`` (and, with ``topic``, for a help-desk request about it),
    best first, each with its ``reason`` in ``lang``. See the module docstring for the rule."""
    if not scope.city(viewer, city):
        return empty(*COLUMNS)
    period = period or _latest(city, engine)
    cities = read(select(M.c.code, M.c.name, M.c.name_local, M.c.country, M.c.population, M.c.member_since),
                  engine).set_index("code")
    if city not in cities.index:
        return empty(*COLUMNS)
    me = cities.loc[city]
    needs = city_needs(viewer, city=city, period=period, engine=engine) if period else pd.DataFrame(
        columns=["dimension", "score", "position", "n", "high"])
    need_by_dim = needs.set_index("dimension").to_dict("index")
    theme_dim = theme_dimensions()
    stated = (read(select(PR.c.theme, PR.c.rank).where(PR.c.municipality_code == city)
                   .where(PR.c.period == period).where(PR.c.rank <= STATED_UP_TO), engine)
              if period else pd.DataFrame(columns=["theme", "rank"]))
    stated_rank = dict(zip(stated["theme"], stated["rank"]))

    # Which themes, and why (in order: the request's, the stated ones, the high-need ones)
    asked = topic_themes(topic)
    themes: dict[str, list[str]] = {}
    if asked:
        for th in asked:
            themes[th] = [t("recommend.why.topic", lang, theme=_theme(th, lang))]
    else:
        for dim in needs.loc[needs["high"], "dimension"]:
            for th, d in theme_dim.items():
                if d == dim:
                    themes.setdefault(th, [])
        for th in sorted(stated_rank, key=stated_rank.get):
            themes.setdefault(th, [])
    for th, why in themes.items():
        dim = theme_dim.get(th)
        nd = need_by_dim.get(dim)
        if nd is not None and (nd["high"] or nd["position"] >= TOP_QUARTER):
            key = "recommend.why.need_top" if nd["position"] >= TOP_QUARTER else "recommend.why.need_high"
            why.append(t(key, lang, dimension=_dimension(dim, lang)))
        if th in stated_rank:
            why.append(t("recommend.why.stated", lang, theme=_theme(th, lang), rank=int(stated_rank[th])))

    rows = _practice_rows(viewer, city, me, cities, themes, theme_dim, need_by_dim, period, lang, engine)
    rows += _actor_rows(viewer, me, themes, TOPIC_OFFERS.get(" ".join(str(topic or "").lower().split())),
                        lang, engine)
    if not rows:
        return empty(*COLUMNS)
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _practice_rows(viewer, city, me, cities, themes, theme_dim, need_by_dim, period, lang, engine) -> list[dict]:
    if not themes or period is None:
        return []
    practices = read(select(P).where(scope.public(viewer, P.c.public), P.c.municipality_code.is_not(None),
                                     P.c.municipality_code != city), engine)
    if practices.empty:
        return []
    scores = read(select(DS.c.municipality_code, DS.c.dimension, DS.c.score)
                   .where(DS.c.period == period)
                   .where(DS.c.municipality_code.in_(list(practices["municipality_code"].unique()))), engine)
    score_of = {(c, d): s for c, d, s in zip(scores["municipality_code"], scores["dimension"], scores["score"])}
    band = peer_band(me["population"])
    sensitive = scope.sensitive_dimensions(engine)
    candidates = []
    for r in practices.itertuples(index=False):
        other = cities.loc[r.municipality_code] if r.municipality_code in cities.index else None
        if other is None:
            continue
        best = None
        for th in split(r.themes):
            dim = theme_dim.get(th)
            if th not in themes or dim not in need_by_dim:
                continue
            mine, theirs = need_by_dim[dim]["score"], score_of.get((r.municipality_code, dim))
            if theirs is None or theirs != theirs or not theirs < mine:
                continue          # the rule: they must have less need where the city needs help
            key = (-need_by_dim[dim]["position"], -(mine - theirs))
            if best is None or key < best[0]:
                best = (key, th, dim, mine, theirs)
        if best is None:
            continue
        _, th, dim, mine, theirs = best
        peer = band is not None and peer_band(other["population"]) == band
        candidates.append((r, other, th, dim, mine, theirs, peer))
    peers = [c for c in candidates if c[6]]
    chosen = peers + ([c for c in candidates if not c[6]] if len(peers) < MIN_PEER_PRACTICES else [])
    chosen.sort(key=lambda c: (not c[6], -need_by_dim[c[3]]["position"], STAGE_ORDER.get(c[0].stage, 9),
                               -(c[4] - c[5]), c[0].practice_id))
    out = []
    for r, other, th, dim, mine, theirs, peer in chosen[:MAX_PRACTICES]:
        city_name = place_name(other["name"], other["name_local"], lang, other["country"])
        title = pick_text({lg: getattr(r, f"title_{lg}") for lg in ("en", "sq", "bcms", "mk")}, lang)
        shown = _may_see_score(viewer, r.municipality_code, dim, sensitive)
        year = None if r.year_started is None or r.year_started != r.year_started else int(r.year_started)
        params = dict(city=city_name, title=title, year=year, stage=t(f"practices.stage.{r.stage}", lang),
                      dimension=_dimension(dim, lang), gap=fmt_number(mine - theirs, lang, 0))
        key = "recommend.why.practice_" + ("gap" if shown else "lower") + ("" if year else "_noyear")
        peer_note = t("recommend.why.peer" if peer else "recommend.why.not_peer", lang)
        out.append({
            "kind": "practice", "item_id": r.practice_id, "title": title, "theme": th, "dimension": dim,
            "municipality_code": r.municipality_code, "city": city_name, "country": other["country"],
            "peer": peer, "stage": r.stage, "year_started": year, "own_score": float(mine),
            "own_position": float(need_by_dim[dim]["position"]),
            "other_score": float(theirs) if shown else None, "gap": float(mine - theirs) if shown else None,
            "offers": None, "contact": r.contact_organisation, "link": (split(r.links) or [None])[0],
            "reason": " ".join([*themes[th], t(key, lang, **params), peer_note]),
        })
    return out


def _actor_rows(viewer, me, themes, offer, lang, engine) -> list[dict]:
    if not themes and not offer:
        return []
    actors = read(select(A).where(scope.public(viewer, A.c.public)), engine)
    country = me["country"]
    found = []
    for r in actors.itertuples(index=False):
        economies = split(r.economies)
        if economies and country not in economies:
            continue
        common = [th for th in split(r.themes) if th in themes]
        offers = split(r.offers)
        if not common and not (offer and offer in offers):
            continue
        found.append((r, common, offers, economies))
    # In the city's own economy first, then by themes in common, the wanted offer, and the name
    found.sort(key=lambda x: (not x[3], -len(x[1]), not (offer and offer in x[2]), x[0].actor_id))
    out = []
    for r, common, offers, economies in found[:MAX_ACTORS]:
        name = pick_text({lg: getattr(r, f"name_{lg}") for lg in ("en", "sq", "bcms", "mk")}, lang)
        theme_names = ", ".join(_theme(th, lang) for th in common) or "—"
        key = "recommend.why.actor_economy" if economies else "recommend.why.actor_region"
        parts = [t(key, lang, themes=theme_names, economy=country_name(country, lang))]
        if offers:
            parts.append(t("recommend.why.actor_offers", lang,
                           offers=", ".join(t(f"practices.offer.{o}", lang) for o in offers)))
        out.append({
            "kind": "actor", "item_id": r.actor_id, "title": name, "theme": common[0] if common else None,
            "dimension": None, "municipality_code": None, "city": None, "country": country, "peer": None,
            "stage": r.kind, "year_started": None, "own_score": None, "own_position": None, "other_score": None,
            "gap": None, "offers": r.offers, "contact": r.contact, "link": r.website, "reason": " ".join(parts),
        })
    return out


def _theme(theme: str, lang: str) -> str:
    key = f"city.theme.{theme}"
    name = t(key, lang)
    return theme.replace("_", " ") if name == key else name


def _dimension(dim: str | None, lang: str) -> str:
    key = f"city.dimension.{dim}"
    name = t(key, lang)
    return str(dim).replace("_", " ") if name == key else name


# --- help-desk requests -----------------------------------------------------------------------
REQUEST_COLUMNS = ("request_id", "municipality_code", "name", "name_local", "country", "opened_on", "topic",
                   "channel", "status", "resolved_on")


def _requests_stmt(viewer: Viewer):
    """The help-desk requests in the viewer's scope (the help desk's: hub all, a mayor their city's)."""
    return (select(H.c.request_id, H.c.municipality_code, M.c.name, M.c.name_local, M.c.country, H.c.opened_on,
                   H.c.topic, H.c.channel, H.c.status, H.c.resolved_on)
            .select_from(H.join(M, M.c.code == H.c.municipality_code))
            .where(scope.cities(viewer, H.c.municipality_code, donors=False)))


def request_list(viewer: Viewer, *, countries=None, topics=None, channels=None, statuses=None, years=None,
                 limit: int = 300, engine=None) -> pd.DataFrame:
    """The newest requests in the viewer's scope (hub: all; mayor: their city's), open ones first,
    with the help desk's filters; at most ``limit`` rows."""
    from hub.queries.helpdesk import _filtered
    stmt = _filtered(viewer, _requests_stmt(viewer), countries=countries, topics=topics, channels=channels,
                     statuses=statuses, years=years)
    stmt = stmt.order_by((H.c.status == "resolved"), H.c.opened_on.desc(), H.c.request_id).limit(limit)
    return read(stmt, engine)


def request_detail(viewer: Viewer, *, request_id: str, engine=None) -> pd.DataFrame:
    """One request in the viewer's scope (empty otherwise)."""
    return read(_requests_stmt(viewer).where(H.c.request_id == request_id), engine)


def request_matches(viewer: Viewer, *, request_id: str, lang: str = "en", engine=None) -> pd.DataFrame:
    """Practices and actors for one help-desk request: its city's recommendations narrowed to the
    request's topic (the city's needs when the topic names no theme)."""
    req = request_detail(viewer, request_id=request_id, engine=engine)
    if req.empty:
        return empty(*COLUMNS)
    r = req.iloc[0]
    return recommendations(viewer, city=r["municipality_code"], topic=r["topic"], lang=lang, engine=engine)
