"""Who funds what: donor accounts' scope and the pro-rata rule for pooled projects.

Rules (documented in README and docs/data.md):

- ``users.donor`` names the donor a donor account belongs to, or a named group of donors
  separated by ``;`` (e.g. ``Norway; Switzerland``): the account's *my contribution* is the sum
  of those donors' parts.
- ``fund_applications.donor`` names who funds a project: one donor (earmarked, 100 %), or several
  separated by ``;`` (a pooled project). Each pooled donor's part is **pro rata to its stated
  share** (``Switzerland:60; Norway:40``); without stated shares the donors share equally.
  Stated shares must all be given, be positive and add up to 100.
- A donor's part of an amount (approved, each tranche) is the amount × share, rounded to the cent
  by the largest-remainder rule, so that the parts of every amount add up to it to the cent.
"""
from __future__ import annotations

import math

SEPARATOR = ";"
SHARE_MARK = ":"


class DonorSyntaxError(ValueError):
    pass


def parse_group(text: str | None) -> tuple[str, ...]:
    """The donors of a donor account (``users.donor``), in a stable order, no duplicates."""
    names = [n.strip() for n in (text or "").split(SEPARATOR)]
    return tuple(sorted({n for n in names if n}))


def parse_shares(text: str | None) -> list[tuple[str, float]]:
    """The donors of a project and their shares (0..1, adding up to 1): ``[]`` when none is named.
    Raises ``DonorSyntaxError`` for malformed shares."""
    parts = [p.strip() for p in (text or "").split(SEPARATOR) if p.strip()]
    if not parts:
        return []
    named: list[tuple[str, float | None]] = []
    for p in parts:
        if SHARE_MARK in p:
            name, _, pct = p.rpartition(SHARE_MARK)
            try:
                value = float(pct.strip().rstrip("%").replace(",", "."))
            except ValueError:
                raise DonorSyntaxError(f"{p!r}: the share after ':' must be a percentage, e.g. 'Norway:40'") from None
            if not math.isfinite(value) or value <= 0:
                raise DonorSyntaxError(f"{p!r}: a share must be more than 0")
            named.append((name.strip(), value))
        else:
            named.append((p, None))
    names = [n for n, _ in named]
    if any(not n for n in names):
        raise DonorSyntaxError("a donor name is empty")
    if len(set(names)) != len(names):
        raise DonorSyntaxError("a donor is named twice")
    stated = [v for _, v in named if v is not None]
    if not stated:
        return [(n, 1 / len(names)) for n in names]
    if len(stated) != len(named):
        raise DonorSyntaxError("give every donor's share or none (then they share equally)")
    if abs(sum(stated) - 100) > 0.01:
        raise DonorSyntaxError(f"the shares add up to {sum(stated):g} %, not 100 %")
    return [(n, v / 100) for n, v in named]


def split_cents(amount: float, shares: list[float]) -> list[float]:
    """``amount`` split by ``shares`` (adding up to 1), each part in whole cents, the parts adding up
    to the amount rounded to the cent (largest remainder; ties to the earlier share)."""
    total = round(float(amount or 0) * 100)
    raw = [total * s for s in shares]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(shares)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return [p / 100 for p in parts]
