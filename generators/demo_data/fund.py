"""Technical Support Fund: applications (titles in four languages, some pooled between donors),
tranches and results."""
from __future__ import annotations

import random
from datetime import timedelta

from generators.demo_data.common import AS_OF, THEMES, day, rand_date
from generators.demo_data.places import CYRILLIC

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
            sub = rand_date(rng, day(a), day(b))
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
