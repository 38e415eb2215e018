"""Account maintenance from the command line.

    python -m hub.users set-password USERNAME     # prompts twice, or reads one line from stdin
    python -m hub.users unlock USERNAME           # clears a lockout after failed sign-ins

Accounts themselves are created or updated by ``python -m loaders users FILE``.
Setting a password clears the demo-password mark and ends the user's open sessions.
"""
from __future__ import annotations

import argparse
import getpass
import sys

MIN_LENGTH = 12


def _read_password() -> str:
    stdin = sys.stdin
    if stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != first:
            raise SystemExit("The two passwords differ; nothing changed.")
        return first
    return stdin.readline().rstrip("\r\n")


def set_password_cmd(username: str, password: str, engine=None) -> int:
    from hub.accounts import set_password
    if len(password) < MIN_LENGTH:
        print(f"A password needs at least {MIN_LENGTH} characters; nothing changed.", file=sys.stderr)
        return 2
    if not set_password(username, password, engine):
        print(f"No user {username!r}; create it with `python -m loaders users FILE` first.", file=sys.stderr)
        return 1
    print(f"Password set for {username}.")
    return 0


def unlock_cmd(username: str, engine=None) -> int:
    from hub.accounts import unlock
    from hub.audit import audit
    if not unlock(username, engine):
        print(f"No user {username!r}.", file=sys.stderr)
        return 1
    audit(None, "unlock", target=username, engine=engine)
    print(f"{username} unlocked.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.users", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("set-password", help="set a user's password (prompt, or one line on stdin)")
    p.add_argument("username")
    u = sub.add_parser("unlock", help="clear a lockout")
    u.add_argument("username")
    args = parser.parse_args(argv)
    if args.cmd == "set-password":
        return set_password_cmd(args.username, _read_password())
    return unlock_cmd(args.username)


if __name__ == "__main__":
    raise SystemExit(main())
