"""Loaders: files hub staff keep (CSV or .xlsx) → validated rows in the store.

Python API (used by the Data page and tests)::

    from loaders import load_file, DATASETS, LoadRefused
    report = load_file("fund_applications", uploaded_file, file_name="tsf.xlsx", user=viewer.username)
    report.inserted, report.updated, report.warnings
    # a refused file raises LoadRefused; exc.errors is a list of LoadError(file, row, column, problem)

Command line: ``python -m loaders --help``.
"""
from loaders.core import load_file, rescore
from loaders.errors import LoadError, LoadRefused, LoadReport
from loaders.registry import DATASETS, get_spec, template_csv
from loaders.spec import Column, DatasetSpec

__all__ = ["load_file", "rescore", "LoadError", "LoadRefused", "LoadReport", "DATASETS", "get_spec", "template_csv",
           "Column", "DatasetSpec"]
