"""users: the people who may sign in, their role and (for mayors) their city."""
from __future__ import annotations

from hub.models import LANGUAGES, ROLES, User
from loaders.datasets.common import municipality_code
from loaders.spec import Column, DatasetSpec


def check(ctx) -> None:
    for rownum, rec in ctx.rows:
        if rec.get("role") != "donor" and rec.get("donor"):
            ctx.error(rownum, "donor", "only donor accounts belong to a donor")
    if "municipality_code" not in ctx.present:
        return
    for rownum, rec in ctx.rows:
        if rec.get("role") == "mayor" and not rec.get("municipality_code"):
            ctx.error(rownum, "municipality_code", "a mayor account needs its municipality code")


SPEC = DatasetSpec(
    name="users",
    model=User,
    key=("username",),
    description="User accounts: role and, for mayors, their city. Passwords are never loaded from files.",
    columns=(
        Column("username", "text", True, "sign-in name", "mayor.kumanovo", pattern=(
            r"[a-z0-9][a-z0-9._-]*", "lower-case letters, digits, dots, dashes, e.g. mayor.kumanovo")),
        Column("display_name", "text", True, "name shown in the app", "Mayor of Kumanovo"),
        Column("role", "text", True, "what the user may see", "mayor", choices=ROLES),
        municipality_code(False, "the mayor's municipality; empty for hub and donor accounts"),
        Column("language", "text", False, "interface language (default en)", "mk", choices=LANGUAGES,
               default="en"),
        Column("email", "text", False, "e-mail address", "mayor@kumanovo.gov.mk",
               pattern=(r"[^@\s]+@[^@\s]+\.[^@\s]+", "an e-mail address")),
        Column("donor", "text", False, "for donor accounts: the donor (as in fund_applications.donor), or a "
               "named group of donors separated by ';'; empty = the whole fund only", "Switzerland"),
    ),
    check=check,
    depends_on=("municipalities",),
)
