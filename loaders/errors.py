"""What a load reports: the errors that refuse a file, and the summary of a load that landed."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LoadError:
    """One problem in one file. ``row`` is the spreadsheet row (header = 1, first data row = 2);
    ``row`` and ``column`` are None for problems with the file as a whole."""
    file: str
    row: int | None
    column: str | None
    problem: str

    def __str__(self) -> str:
        if self.row is None and self.column is None:
            return f"{self.file}: {self.problem}"
        return f"{self.file}:{self.row if self.row is not None else ''}:{self.column or ''}: {self.problem}"


class LoadRefused(Exception):
    """A file was refused; nothing from it was written. ``errors`` holds every problem found."""

    def __init__(self, errors: list[LoadError], dataset: str | None = None, file: str | None = None):
        self.errors = list(errors)
        self.dataset = dataset
        self.file = file or (self.errors[0].file if self.errors else None)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        n = len(self.errors)
        head = f"{self.file}: refused ({n} problem{'s' if n != 1 else ''}); nothing was written"
        return "\n".join([head, *(str(e) for e in self.errors)])


@dataclass
class LoadReport:
    """The outcome of a load that landed."""
    dataset: str
    file: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[LoadError] = field(default_factory=list)
    sha256: str = ""

    def __str__(self) -> str:
        return (f"{self.file}: {self.dataset}: {self.rows} rows, {self.inserted} inserted, "
                f"{self.updated} updated, {self.unchanged} unchanged")
