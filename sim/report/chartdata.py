"""The data of a deck's native chart, whose embedded workbook holds every name as text.

PowerPoint keeps a native chart's figures in a small workbook inside the deck (its
"Edit Data"). python-pptx writes that workbook with XlsxWriter's ``write``, which
reads a string starting with ``=`` as a formula and one starting with ``http://`` as a
link: a layer or unit named ``=IC()`` became a formula there. Here the workbook is
written with both readings off, so a series or category name is the text it is, the
same text the chart shows (no leading ``'``, which the chart would show too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.util import lazyproperty
from xlsxwriter import Workbook

#: XlsxWriter's options for a workbook whose strings are text, never formulas or links
TEXT_ONLY = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


class _TextWorkbookWriter(CategoryWorkbookWriter):
    @contextmanager
    def _open_worksheet(self, xlsx_file: IO[bytes]) -> Iterator[tuple[Any, Any]]:
        workbook = Workbook(xlsx_file, TEXT_ONLY)
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class TextChartData(CategoryChartData):
    """:class:`~pptx.chart.data.CategoryChartData` whose workbook holds names as text."""

    @lazyproperty
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _TextWorkbookWriter(self)
