"""Reading curators' spreadsheets (CSV and XLSX) within limits, and the columns every
import-export resource shares.

Why not tablib/openpyxl's readers: they trust the worksheet's declared `<dimension>` and pad
every row to it, so a 4.7 KB file declaring `A1:XFD1048576` became 17 billion cells in memory.
Here the sheet's XML is streamed cell by cell, the declared dimension is ignored, and reading
stops at the first cell, row, byte or string beyond the limits with one sentence saying which.
"""

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from posixpath import dirname, join, normpath
from typing import IO, TYPE_CHECKING, Any, cast

import openpyxl
import tablib
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring, iterparse
from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import widgets
from import_export.formats import base_formats
from openpyxl.styles import Font
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet.worksheet import Worksheet

from heritage.api.renderers import spreadsheet_safe


@dataclass(frozen=True)
class Limits:
    """What one import may read. Rows are data rows (the header is not counted)."""

    max_bytes: int
    max_rows: int
    max_columns: int
    # XLSX only: the parts of the zip once inflated, and the distinct strings of the workbook.
    max_unzipped_bytes: int
    max_strings: int


def admin_limits() -> Limits:
    """Imports through the admin: a page request, previewed and then confirmed."""
    return Limits(**settings.SPREADSHEET_ADMIN_LIMITS)


def command_limits() -> Limits:
    """Imports by `manage.py import_spreadsheet`: streamed, in batches, one transaction."""
    return Limits(**settings.SPREADSHEET_COMMAND_LIMITS)


class UnreadCell(str):
    """An XLSX cell whose value is not imported (a formula without a saved value, an error
    such as #DIV/0!): its text is the sentence saying so, which becomes that row's error in
    the cell's column (SpreadsheetResource.before_import_row)."""


class SpreadsheetRefused(ValueError):
    """A file that is not read, with one sentence for the curator saying why."""


class TooManyRows(SpreadsheetRefused):
    """Beyond the row limit: the admin hands the file to a job, or suggests the command."""


class TooLarge(SpreadsheetRefused):
    """Beyond the byte limit: as TooManyRows."""


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


# --- CSV -------------------------------------------------------------------------------------


def _allow_csv_fields_of(size: int) -> None:
    """Let one CSV field be as large as the whole file may be (the csv module stops at
    131,072 characters, a summary the report form accepts is longer).

    csv.field_size_limit is process-wide: it is only ever raised here, never lowered, so a
    reader in another thread never sees it shrink under it. A field can be no larger than
    the file, which the limits already bound."""
    if csv.field_size_limit() < size:
        csv.field_size_limit(size)


def _csv_rows(file: IO[bytes], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    head = file.read(4)
    file.seek(0)
    if not head:
        raise SpreadsheetRefused("The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        raise SpreadsheetRefused("This is an XLSX file, not CSV: choose the XLSX format.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetRefused(
            "The file is UTF-16 text: save it as “CSV UTF-8 (comma delimited)” and upload that."
        )
    _allow_csv_fields_of(limits.max_bytes)
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    # Strict: a quote left open swallows the rest of the file into one cell, and said so
    # nowhere (a row that looked good in the preview).
    reader = csv.reader(text, strict=True)
    try:
        for line in reader:
            if any("\x00" in cell for cell in line):
                raise SpreadsheetRefused(
                    f"Line {reader.line_num} contains NUL bytes: this is not a CSV text file."
                )
            yield reader.line_num, line
    except UnicodeDecodeError:
        raise SpreadsheetRefused(
            f"Line {reader.line_num + 1} is not UTF-8 text (is the file Latin-1 or another "
            "encoding?): save it as “CSV UTF-8 (comma delimited)” and upload that."
        ) from None
    except csv.Error as error:
        raise SpreadsheetRefused(f"Line {reader.line_num} is not valid CSV ({error}).") from None
    finally:
        if not file.closed:  # give the caller its file back, open
            text.detach()


# --- XLSX ------------------------------------------------------------------------------------

# What a part of an XLSX file may hold, in XML elements, beyond which it is refused: enough for
# every row's cells, values and formulas with room for styled empty cells (a sheet of the
# limits' rows x 50 columns writes about 150 a row), and for rich-text runs in shared strings.
_ELEMENTS_PER_ROW = 400
_ELEMENTS_PER_STRING = 40
_SMALL_PART = 5_000_000  # workbook.xml, its relationships and styles.xml are a few kilobytes
_COLUMN = re.compile(r"^([A-Z]{1,3})(\d+)$")
_OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _local(tag: str) -> str:
    """An element's name without its namespace (transitional and strict OOXML alike)."""
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Workbook:
    """The parts of an XLSX file needed to read its first (active) sheet's values."""

    def __init__(self, file: IO[bytes], limits: Limits) -> None:
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(file)
            parts = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
            raise SpreadsheetRefused(
                "This is not an XLSX file (it is not a readable zip archive): save the sheet "
                "as “Excel Workbook (.xlsx)” or choose the CSV format."
            ) from None
        # The sizes a zip declares bound what is inflated: zipfile stops at them.
        unzipped = sum(part.file_size for part in parts)
        if unzipped > limits.max_unzipped_bytes:
            raise SpreadsheetRefused(
                f"The XLSX file inflates to {megabytes(unzipped)}; at most "
                f"{megabytes(limits.max_unzipped_bytes)} are read."
            )
        self.names = {part.filename for part in parts}
        workbook_path = "xl/workbook.xml"
        workbook = self._small_xml(workbook_path)
        sheets = [el for el in workbook.iter() if _local(el.tag) == "sheet"]
        if not sheets:
            raise SpreadsheetRefused("The XLSX file has no worksheet.")
        views = [
            el.get("activeTab") or "0"
            for el in workbook.iter()
            if _local(el.tag) == "workbookView"
        ]
        active = int(views[0]) if views and views[0].isdigit() else 0
        sheet = sheets[active] if active < len(sheets) else sheets[0]
        date1904 = any(
            _local(el.tag) == "workbookPr" and el.get("date1904") in ("1", "true")
            for el in workbook.iter()
        )
        self.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        targets = self._relationships(workbook_path)
        sheet_path = targets.get(sheet.get(f"{{{_OFFICE_RELS}}}id") or "")
        if sheet_path is None or sheet_path not in self.names:
            raise SpreadsheetRefused("The XLSX file is damaged: its first sheet is missing.")
        self.sheet_path = sheet_path
        strings_path = next(
            (path for rel_type, path in targets.items() if rel_type == "sharedStrings"),
            "xl/sharedStrings.xml",
        )
        self.strings = self._shared_strings(strings_path)
        self.date_styles = self._date_styles("xl/styles.xml")

    def _small_xml(self, path: str):
        if path not in self.names:
            raise SpreadsheetRefused(f"The XLSX file is damaged: {path} is missing.")
        if self.zip.getinfo(path).file_size > _SMALL_PART:
            raise SpreadsheetRefused(f"The XLSX file is damaged: {path} is too large.")
        return fromstring(self._read(path))

    def _read(self, path: str) -> bytes:
        try:
            return self.zip.read(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise SpreadsheetRefused(f"The XLSX file is damaged: {path} cannot be read.") from None

    def _relationships(self, part: str) -> dict[str, str]:
        """Relationship ids (and, for shared strings, the type's last word) -> part paths."""
        folder, name = dirname(part), part.rsplit("/", 1)[-1]
        rels_path = join(folder, "_rels", f"{name}.rels")
        if rels_path not in self.names:
            return {}
        targets = {}
        for rel in self._small_xml(rels_path).iter():
            if _local(rel.tag) != "Relationship" or not rel.get("Target"):
                continue
            target = rel.get("Target")
            path = target.lstrip("/") if target.startswith("/") else normpath(join(folder, target))
            targets[rel.get("Id") or ""] = path
            if (rel.get("Type") or "").endswith("/sharedStrings"):
                targets["sharedStrings"] = path
        return targets

    def _shared_strings(self, path: str) -> list[str]:
        if path not in self.names:
            return []
        strings: list[str] = []
        budget = max(self.limits.max_strings, 1) * _ELEMENTS_PER_STRING
        for event, element in self._stream(path, budget=budget, within="si"):
            if event != "end" or _local(element.tag) != "si":
                continue
            strings.append(_text_of(element))
            element.clear()
            if len(strings) > self.limits.max_strings:
                raise SpreadsheetRefused(
                    f"The XLSX file holds more than {self.limits.max_strings:,} different "
                    "texts; that is more than its rows can need."
                )
        return strings

    def _date_styles(self, path: str) -> set[int]:
        """The cell styles (indexes of cellXfs) whose number format shows a date."""
        if path not in self.names:
            return set()
        styles = self._small_xml(path)
        formats = dict(BUILTIN_FORMATS)
        for fmt in (el for el in styles.iter() if _local(el.tag) == "numFmt"):
            if (fmt.get("numFmtId") or "").isdigit():
                formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode") or ""
        dates = set()
        for xfs in (el for el in styles.iter() if _local(el.tag) == "cellXfs"):
            for index, xf in enumerate(el for el in xfs if _local(el.tag) == "xf"):
                number_format = (
                    formats.get(int(xf.get("numFmtId") or 0))
                    if (xf.get("numFmtId") or "0").isdigit()
                    else None
                )
                if number_format and is_date_format(number_format):
                    dates.add(index)
        return dates

    def _stream(self, path: str, *, budget: int, within: str) -> Iterator[tuple[str, Any]]:
        """The part's (event, element) pairs, "start" and "end". Memory stays flat whatever
        the part holds: once its end has been seen, an element is dropped from its parent,
        except inside a `within` element (a cell, a shared string), whose parts are read when
        it ends. At most `budget` elements are read: past that, the part holds more than a
        table within the limits can need (empty or unknown elements count too)."""
        open_elements: list[Any] = []
        seen = 0
        try:
            with self.zip.open(path) as source:
                for event, element in iterparse(source, events=("start", "end")):
                    if event == "start":
                        seen += 1
                        if seen > budget:
                            raise SpreadsheetRefused(
                                f"The XLSX file is too intricate: {path} holds more than "
                                f"{budget:,} XML elements, more than its rows can need. "
                                "Copy the table alone into a new sheet, or save it as CSV."
                            )
                        open_elements.append(element)
                        yield event, element
                        continue
                    open_elements.pop()
                    yield event, element
                    if open_elements and not any(_local(el.tag) == within for el in open_elements):
                        open_elements[-1].remove(element)
        except (ParseError, DefusedXmlException, zipfile.BadZipFile, EOFError, OSError):
            raise SpreadsheetRefused(
                f"The XLSX file is damaged: {path} is not well-formed XML."
            ) from None

    def rows(self) -> Iterator[tuple[int, dict[int, Any]]]:
        """(row number, {column number: value}) for each row with a value, in order."""
        limits = self.limits
        row_number, column = 0, 0
        cells: dict[int, Any] = {}
        budget = (limits.max_rows + 1) * _ELEMENTS_PER_ROW
        for event, element in self._stream(self.sheet_path, budget=budget, within="c"):
            name = _local(element.tag)
            if event == "start":
                if name == "row":
                    given = element.get("r") or ""
                    row_number = int(given) if given.isdigit() else row_number + 1
                    cells, column = {}, 0
                continue
            if name == "c":
                reference = _COLUMN.match(element.get("r") or "")
                column = _column_number(reference.group(1)) if reference else column + 1
                value = self._value(element)
                element.clear()
                if value is None or value == "":
                    continue
                where = f"{_column_letters(column)}{row_number}"
                if isinstance(value, UnreadCell):
                    value = UnreadCell(f"Cell {where} {value}; type its value instead.")
                if column > limits.max_columns:
                    raise SpreadsheetRefused(
                        f"Cell {where} is beyond the {limits.max_columns} columns read from "
                        "a sheet: remove what is to the right of the table."
                    )
                if row_number > limits.max_rows + 1:
                    raise TooManyRows(
                        f"The sheet has a value in cell {where}: at most "
                        f"{limits.max_rows:,} rows (after the header) are imported here."
                    )
                cells[column] = value
            elif name == "row" and cells:
                yield row_number, cells

    def _value(self, cell) -> Any:
        """The cell's value; a formula's is the value saved with it (what the curator saw),
        and a formula saved without one is an UnreadCell, as is an error value."""
        kind = cell.get("t") or "n"
        if kind == "inlineStr":
            return "".join(_text_of(el) for el in cell if _local(el.tag) == "is")
        raw = next((el.text for el in cell if _local(el.tag) == "v"), None)
        formula = next((el for el in cell if _local(el.tag) == "f"), None)
        if formula is not None and (raw is None or (raw == "" and kind != "str")):
            shown = f" (={formula.text})" if formula.text else ""
            return UnreadCell(
                f"holds a formula{shown} saved without its value: formulas are not imported"
            )
        if raw is None:
            return None
        if kind == "e":
            return UnreadCell(f"holds the spreadsheet error {raw.strip()}")
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise SpreadsheetRefused(
                    "The XLSX file is damaged: a cell refers to a text it does not hold."
                ) from None
        if kind == "b":
            return {"1": True, "0": False}.get(raw.strip(), raw)
        if kind in ("str", "d"):
            return raw
        try:
            number = Decimal(raw.strip())
        except InvalidOperation:
            return raw
        if not number.is_finite() or not math.isfinite(float(number)):
            return raw  # inf, nan, 1E+400: left to the column's own check, which names it
        if (cell.get("s") or "").isdigit() and int(cell.get("s")) in self.date_styles:
            try:
                return from_excel(float(number), self.epoch)
            except (ValueError, OverflowError):
                return raw
        return (
            int(number)
            if number == number.to_integral_value() and "E" not in raw.upper()
            else float(number)
        )


def _text_of(element) -> str:
    """The text of a shared or inline string, rich-text runs joined, phonetic hints left out."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)


def _xlsx_rows(file: IO[bytes], limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    workbook = _Workbook(file, limits)
    width = 0
    for number, cells in workbook.rows():
        width = width or max(cells)
        row = [None] * max(width, max(cells))
        for column, value in cells.items():
            row[column - 1] = value
        yield number, row


# --- Both formats ----------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def iter_spreadsheet(file: IO[bytes], file_format: str, limits: Limits) -> Iterator[list[Any]]:
    """The header (stripped names), then each row that is not blank, as lists of the header's
    width. Raises SpreadsheetRefused, possibly after some rows: callers that write must do so
    in a transaction they roll back."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > limits.max_bytes:
        raise TooLarge(
            f"The file is {megabytes(size)}; at most {megabytes(limits.max_bytes)} are read here."
        )
    if size == 0:
        raise SpreadsheetRefused("The file is empty.")
    rows = _xlsx_rows(file, limits) if file_format == "xlsx" else _csv_rows(file, limits)
    _, header = next(rows, (0, None))
    if header is None or all(_is_blank(name) for name in header):
        raise SpreadsheetRefused("The file has no header row: its first row must name columns.")
    unread = next((name for name in header if isinstance(name, UnreadCell)), None)
    if unread:
        raise SpreadsheetRefused(f"{unread} The header row names the columns.")
    if len(header) > limits.max_columns:
        raise SpreadsheetRefused(
            f"The header has {len(header)} columns; at most {limits.max_columns} are read."
        )
    names = ["" if _is_blank(name) else str(name).strip() for name in header]
    seen = set()
    for name in names:
        if name and name in seen:
            raise SpreadsheetRefused(f"The column {name!r} appears twice in the header.")
        seen.add(name)
    kept = [index for index, name in enumerate(names) if name]
    yield [names[index] for index in kept]
    count = 0
    for line, row in rows:
        if all(_is_blank(value) for value in row):
            continue
        if len(row) < len(names):
            raise SpreadsheetRefused(
                f"Row {line} has {len(row)} cells but the header has {len(names)} columns."
            )
        extra = row[len(names) :]
        unnamed = [index for index, name in enumerate(names) if not name]
        if any(not _is_blank(value) for value in extra) or any(
            not _is_blank(row[index]) for index in unnamed
        ):
            raise SpreadsheetRefused(
                f"Row {line} has a value in a column without a header: name the column or "
                "remove the value."
            )
        count += 1
        if count > limits.max_rows:
            raise TooManyRows(
                f"The file has more than {limits.max_rows:,} rows; at most "
                f"{limits.max_rows:,} are imported here."
            )
        yield [row[index] for index in kept]


def read_dataset(file: IO[bytes], file_format: str, limits: Limits) -> tablib.Dataset:
    rows = iter_spreadsheet(file, file_format, limits)
    dataset = tablib.Dataset(headers=next(rows))
    for row in rows:
        dataset.append(row)
    return dataset


class BoundedFormat:
    """An import-export format that reads through iter_spreadsheet with the admin's limits;
    exports are tablib's."""

    file_format = ""

    def create_dataset(self, in_stream: bytes | str, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return read_dataset(io.BytesIO(in_stream), self.file_format, admin_limits())

    def is_binary(self) -> bool:
        return True  # bytes are decoded here, strictly, whatever the format

    def get_read_mode(self) -> str:
        return "rb"


# import-export's stubs give each format its own create_dataset; BoundedFormat's takes what the
# admin passes all of them (bytes, or str).
class CSV(BoundedFormat, base_formats.CSV):  # type: ignore[misc]
    file_format = "csv"


class XLSX(BoundedFormat, base_formats.XLSX):  # type: ignore[misc]
    file_format = "xlsx"

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        """Every text as a string cell (openpyxl would make "=1+1" a formula cell), so a
        spreadsheet shows it as written and never runs it: the `'` that the resources put
        before formula-like text for CSV is taken off again here."""
        book = openpyxl.Workbook()
        sheet = cast(Worksheet, book.active)  # a new workbook's one sheet
        sheet.title = (dataset.title or "Export")[:31]
        bold = Font(bold=True)
        for number, values in enumerate([dataset.headers or [], *dataset], 1):
            for column, value in enumerate(values, 1):
                if isinstance(value, str) and _NEUTRALISED.match(value):
                    value = value[1:]
                try:
                    cell = sheet.cell(row=number, column=column, value=value)
                except IllegalCharacterError:
                    raise ValueError(
                        f"Row {number - 1} holds a control character that XLSX cannot store: "
                        "export as CSV instead."
                    ) from None
                if isinstance(value, str):
                    cell.data_type = "s"
                if number == 1:
                    cell.font = bold
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


FORMATS = [CSV, XLSX]


# --- Resources -------------------------------------------------------------------------------

_NOT_TEXT = (
    widgets.NumberWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
)
_NEUTRALISED = re.compile(r"^'[=+\-@\t\r]")


def _finite(widget_class: type) -> type:
    """A number widget that refuses inf, nan and overflowing numbers with a sentence, and,
    for whole-number columns (ids, years), fractions: 1.5 was stored as 1."""
    whole = issubclass(widget_class, widgets.IntegerWidget)

    class FiniteWidget(widget_class):
        def clean(self, value: Any, row=None, **kwargs) -> Any:
            if not self.is_empty(value):
                text = str(value).strip()
                try:
                    number = Decimal(text.replace(",", ""))
                except InvalidOperation:
                    raise ValueError(f"{text!r} is not a number.") from None
                if not number.is_finite() or abs(number.adjusted()) > 100:
                    raise ValueError(f"{text!r} is not a number that can be stored.")
                if whole and number != number.to_integral_value():
                    raise ValueError(f"{text!r} is not a whole number.")
            return super().clean(value, row, **kwargs)

    FiniteWidget.__name__ = f"Finite{widget_class.__name__}"
    return FiniteWidget


_TRUE = {"1", "true", "yes", "y"}
_FALSE = {"0", "false", "no", "n"}


class YesNoWidget(widgets.BooleanWidget):
    """A yes/no column: 1/0 (what exports write), true/false, yes/no, y/n in any case, and
    XLSX's own booleans. Anything else is that row's error: a curator's "oui" or "x" in
    location_is_sensitive silently became False, publishing a sensitive site's coordinates.
    Empty cells never reach it (SpreadsheetResource.import_field keeps the value)."""

    def clean(self, value: Any, row=None, **kwargs) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float | Decimal) and value in (0, 1):
            return bool(value)
        text = str(value).strip()
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"{text!r} is not yes or no: write yes or no (or 1 or 0).")


_STRICT: dict[type[widgets.Widget], type[widgets.Widget]] = {
    widgets.BooleanWidget: YesNoWidget,
    **{
        widget: _finite(widget)
        for widget in (widgets.DecimalWidget, widgets.FloatWidget, widgets.IntegerWidget)
    },
}


if TYPE_CHECKING:  # what SpreadsheetResource is mixed into, for its super() calls
    from import_export.resources import ModelResource

    _ResourceBase = ModelResource[Any]
else:
    _ResourceBase = object


class SpreadsheetResource(_ResourceBase):
    """Mixed into every ModelResource of the admin's spreadsheets.

    - Text cells that a spreadsheet would run as a formula are exported with a leading `'`
      (spreadsheet_safe, as the API's CSV; XLSX.export_data writes text cells instead and
      takes it off), and that `'` is taken off again on import, so a round trip
      changes nothing.
    - Numbers must be finite, and whole in whole-number columns; yes/no columns take the
      usual spellings and refuse the rest (YesNoWidget); an empty yes/no cell keeps the
      record's value (a new record's default).
    - An XLSX cell that is not imported (UnreadCell) is its row's error in its column.
    - The columns of a file are checked before any row is read (check_columns).

    Resources call super().before_import_row() first."""

    #: Its name for `manage.py import_spreadsheet`.
    command_name = ""
    #: How rows find their record, for the curator whose file lacks a column for it.
    matched_on = ""

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        widget = super().widget_from_django_field(f, default)
        return _STRICT.get(widget, widget)

    def is_text(self, field) -> bool:
        return not isinstance(field.widget, _NOT_TEXT)

    def export_field(self, field, instance, **kwargs) -> Any:
        value = super().export_field(field, instance, **kwargs)
        return spreadsheet_safe(value) if self.is_text(field) else value

    def import_row(self, row, instance_loader, **kwargs):
        for field in self.get_import_fields():
            value = row.get(field.column_name)
            if isinstance(value, str) and self.is_text(field) and _NEUTRALISED.match(value):
                row[field.column_name] = value[1:]
        return super().import_row(row, instance_loader, **kwargs)

    def before_import_row(self, row, **kwargs) -> None:
        unread = {
            column: [str(value)] for column, value in row.items() if isinstance(value, UnreadCell)
        }
        if unread:
            raise ValidationError(unread)
        super().before_import_row(row, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs) -> None:
        # An empty yes/no cell changes nothing: import-export would set the model's default,
        # and an empty location_is_sensitive would unflag a sensitive site.
        if isinstance(field.widget, widgets.BooleanWidget) and _is_blank(
            row.get(field.column_name)
        ):
            return
        super().import_field(field, instance, row, is_m2m, **kwargs)

    def required_columns(self, headers: list[str]) -> list[str]:
        """The columns a file must have: by default those its rows are matched on."""
        # Set on every field by import-export's metaclass (str() for the stubs' None).
        return [str(self.fields[name].column_name) for name in self.get_import_id_fields()]

    def check_columns(self, headers: list[str]) -> None:
        """Refuse a file missing a column rows are matched on, or with a column we do not
        know (a misspelt one would otherwise be ignored without a word)."""
        known = [str(field.column_name) for field in self.get_export_fields()]
        missing = [name for name in self.required_columns(headers) if name not in headers]
        if missing:
            raise SpreadsheetRefused(
                f"The file has no {_names(missing)} column{'s' if len(missing) > 1 else ''}: "
                f"{self.matched_on}"
            )
        unknown = [name for name in headers if name not in known]
        if unknown:
            raise SpreadsheetRefused(
                f"Unknown column{'s' if len(unknown) > 1 else ''} {_names(unknown)}: the "
                f"columns are {', '.join(known)}."
            )


def _names(names: list[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
