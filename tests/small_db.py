"""A small, real store for the sign-in tests, filled through hub.models: five municipalities
and the five demo accounts with their published demo passwords, the ``demo`` setting on.
Tests get it as the ``small_url`` fixture (tests/conftest.py: built once per session, copied).
"""
from __future__ import annotations

from sqlmodel import Session

from hub.accounts import hash_password
from hub.db import get_engine
from hub.models import Municipality, Setting, User

MUNICIPALITIES = [
    ("MK001", "Kumanovo", "Куманово", "MK", 98_104),
    ("MK002", "Čair", "Чаир", "MK", 62_586),
    ("BA001", "Tuzla", "Tuzla", "BA", 110_979),
    ("AL001", "Shkodër", "Shkodër", "AL", 77_075),
    ("RS001", "Novi Pazar", "Нови Пазар", "RS", 100_410),
]

# username -> (display name, role, municipality name, password)
DEMO_ACCOUNTS = {
    "hub.admin": ("Hub administrator", "hub", None, "hub-demo-2026"),
    "donor.demo": ("Donor (demo)", "donor", None, "donor-demo-2026"),
    "mayor.kumanovo": ("Mayor of Kumanovo", "mayor", "Kumanovo", "mayor-demo-2026"),
    "mayor.cair": ("Mayor of Čair", "mayor", "Čair", "mayor-demo-2026"),
    "mayor.tuzla": ("Mayor of Tuzla", "mayor", "Tuzla", "mayor-demo-2026"),
}
PASSWORDS = {u: a[3] for u, a in DEMO_ACCOUNTS.items()}


def build_small_db(url: str) -> str:
    engine = get_engine(url)
    code_of = {name: code for code, name, *_ in MUNICIPALITIES}
    with Session(engine) as s:
        for code, name, local, country, pop in MUNICIPALITIES:
            s.add(Municipality(code=code, name=name, name_local=local, country=country, population=pop))
        s.commit()
        for username, (display, role, city, password) in DEMO_ACCOUNTS.items():
            s.add(User(username=username, display_name=display, role=role,
                       municipality_code=code_of.get(city), email=f"{username}@example.org",
                       password_hash=hash_password(password), demo_password=True))
        s.add(Setting(key="demo", value="1"))
        s.commit()
    return url
