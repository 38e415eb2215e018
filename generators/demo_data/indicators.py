"""The indicator catalogue (codes are the contract between demo data, methodology and pages)."""
from __future__ import annotations

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


def build_indicators() -> list[dict]:
    return [{"code": c, "name": n, "domain": d, "unit": u, "polarity": p, "description": desc,
             "source": src, "sensitive": d == "threat_landscape"}
            for c, n, d, u, p, _lo, _hi, _k, src, desc in INDICATORS]
