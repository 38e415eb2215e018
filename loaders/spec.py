"""How a dataset is declared: its columns (type, required, allowed values, reference), natural key,
the table it lands in, and its own cross-row / cross-table checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

TYPES = ("text", "int", "number", "date", "bool")
SLUG = (r"[a-z0-9][a-z0-9_]*", "lower-case letters, digits and underscores, e.g. youth_engagement")
CODE = (r"[^\s,;]+", "no spaces, commas or semicolons, e.g. MK001")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"                     # text | int | number | date | bool
    required: bool = False                 # a value is required in every row
    description: str = ""
    example: str = ""
    choices: tuple[str, ...] | None = None  # allowed values (text)
    minimum: float | None = None
    maximum: float | None = None
    ref: tuple[str, str] | None = None     # (table, column) the value must exist in
    pattern: tuple[str, str] | None = None  # (regex, human hint)
    default: Any = None                    # stored when the cell is empty
    optional_header: bool = False          # the column may be left out of the file entirely
    always: bool = False                   # left out of the file: every row still gets the default
                                           # (stored values are reset, not kept)

    def __post_init__(self) -> None:
        assert self.type in TYPES, self.type

    @property
    def type_label(self) -> str:
        return {"text": "text", "int": "whole number", "number": "number", "date": "date",
                "bool": "true/false"}[self.type]


@dataclass
class CheckContext:
    """What a dataset's own checks see: the parsed rows, a connection to the store, and
    functions to record errors and warnings at a row and column."""
    file: str
    rows: list[tuple[int, dict[str, Any]]]
    conn: Any
    present: frozenset[str]
    error: Callable[[int | None, str | None, str], None]
    warn: Callable[[int | None, str | None, str], None]


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    model: Any                              # SQLModel table class
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    check: Callable[[CheckContext], None] | None = None
    rescore: bool = False                   # scores depend on this dataset
    depends_on: tuple[str, ...] = field(default_factory=tuple)

    @property
    def table(self):
        return self.model.__table__

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def header_required(self) -> tuple[str, ...]:
        """Columns a file must have: the key and every column whose values are required."""
        return tuple(c.name for c in self.columns if c.name in self.key or c.required)
