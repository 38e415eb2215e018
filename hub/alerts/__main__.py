"""python -m hub.alerts run [--dry-run] | subscribe USERNAME [--off] [--rules a,b] [--email X] | rules

``run`` evaluates the rules for every recipient and delivers one digest each (e-mail when
``HUB_SMTP_HOST`` is set, and an HTML file and an Atom feed under ``HUB_ALERTS_DIR``, default
data/alerts/); ``--dry-run`` prints the digests and sends or records nothing.
"""
from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hub.alerts", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="evaluate the rules and deliver the digests")
    run.add_argument("--dry-run", action="store_true", help="print the digests; send and record nothing")
    run.add_argument("--today", help="evaluate as of this day (YYYY-MM-DD; default: today, UTC)")
    run.add_argument("--out", help="folder for the HTML digests and Atom feeds (default: $HUB_ALERTS_DIR or data/alerts)")
    run.add_argument("--user", action="append", help="only this recipient (repeatable)")
    run.add_argument("--settings", help="thresholds file (default: $HUB_ALERTS_SETTINGS or data/alerts.toml)")
    s = sub.add_parser("subscribe", help="switch a user's digest on or off")
    s.add_argument("username")
    s.add_argument("--off", action="store_true", help="switch the digest off")
    s.add_argument("--rules", help="comma-separated rules (default: every rule of the user's role)")
    s.add_argument("--email", help="send to this address instead of the user's own")
    s.add_argument("--no-feed", action="store_true", help="no HTML file or Atom feed for this user")
    sub.add_parser("rules", help="list the rules and the roles that receive them")
    args = parser.parse_args(argv)

    if args.command == "rules":
        from hub.access import Viewer
        from hub.queries.alerts import role_rules
        for role in ("hub", "donor", "mayor"):
            print(f"{role}: {', '.join(role_rules(Viewer('-', role, 'X')))}")
        return 0
    if args.command == "subscribe":
        from hub.alerts.subscriptions import SubscriptionError, subscribe
        try:
            row = subscribe(args.username, enabled=not args.off,
                            rules=[r.strip() for r in args.rules.split(",") if r.strip()] if args.rules else None,
                            email=args.email, feed=not args.no_feed)
        except SubscriptionError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"{row.username}: {'on' if row.enabled else 'off'}; rules: {row.rules or 'all of the role'}")
        return 0
    from hub.alerts.run import run as run_alerts
    from hub.alerts.settings import SettingsError
    try:
        outcomes = run_alerts(dry_run=args.dry_run, today=args.today, out_dir=args.out, usernames=args.user,
                              settings_path=args.settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not args.dry_run:
        for o in outcomes:
            how = "mailed" if o.mailed else "files only"
            print(f"{o.username} [{o.lang}]: {o.items} new items, {how}")
        if not outcomes:
            print("nothing new for anyone")
    return 0


if __name__ == "__main__":
    sys.exit(main())
