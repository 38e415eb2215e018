"""The demo accounts (their demo-only passwords are set by ``loaders.demo``, not written here)."""
from __future__ import annotations


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
