"""Excel workbooks a reader can use as they open: a frozen, filtered header, fitting column
widths, rates as percentages (the stored value stays the fraction), and dates in Brussels
local time in Dutch and French workbooks (UTC in English, as the CSV files always are).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from typingtest.analysis.labels import LOCAL_TIME_ZONE
from typingtest.vocabulary import INDICATORS

__all__ = ["PERCENT_FORMAT", "is_rate_column", "write_xlsx"]

#: Excel number format of a rate column: 0.0301 shows as 3.01 % (Excel writes the decimal
#: separator of the reader's locale: 3,01 % in a Belgian Excel).
PERCENT_FORMAT = "0.00%"
DATE_FORMATS = {"nl": "dd-mm-yyyy hh:mm", "fr": "dd/mm/yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
#: Fractions that are not named ``*_rate``: the registry's fractions (``typingtest.vocabulary``) and
#: the report's own columns.
_FRACTIONS = frozenset({i.name for i in INDICATORS.values() if i.unit == "fraction"}
                       | {"pass_rate", "missed_share", "shrunk_error_rate", "error_rate"})  # fmt: skip
#: Columns whose value is a rate only on rows whose ``indicator`` is one (statistics, thresholds, values).
_BY_INDICATOR = frozenset({"value", "threshold", "mean", "sd", "median", "q1", "q3", "min", "max"})
_MAX_WIDTH = 60


def is_rate_column(name: str) -> bool:
    """True for a column holding fractions: ``*_rate``, ``*_rate_ci_low/high``, the applicants'
    ``task:indicator`` value columns of a rate, and the other fractions (``_FRACTIONS``)."""
    base = str(name).split(":")[1] if ":" in str(name) and str(name).count(":") == 1 else str(name)
    if ":" in str(name) and str(name).count(":") > 1:
        return False  # "copy-typing:msd_error_rate:passed" and the like
    base = base.removesuffix("_ci_low").removesuffix("_ci_high")
    return base.endswith("_rate") or base in _FRACTIONS


def _is_rate_indicator(indicator: object) -> bool:
    return isinstance(indicator, str) and is_rate_column(indicator)


def write_xlsx(path: str | Path, tables: Mapping[str, pd.DataFrame], lang: str = "nl") -> Path:
    """Write one sheet per table into ``path`` with the header frozen and filtered, widths to fit,
    rate columns (``is_rate_column``, and value columns on rate rows) as ``PERCENT_FORMAT``,
    and dates (naive ones taken as UTC) in Brussels time for Dutch and French."""
    from openpyxl.utils import get_column_letter

    path = Path(path)
    zone = LOCAL_TIME_ZONE if lang in ("nl", "fr") else "UTC"
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for name, frame in tables.items():
            out = frame.copy()
            for col in out.columns:
                if pd.api.types.is_datetime64_any_dtype(out[col]):
                    series = out[col] if isinstance(out[col].dtype, pd.DatetimeTZDtype) else \
                        out[col].dt.tz_localize("UTC")  # fmt: skip
                    out[col] = series.dt.tz_convert(zone).dt.tz_localize(None)
            sheet = str(name)[:31]
            out.to_excel(xw, sheet_name=sheet, index=False)
            ws = xw.sheets[sheet]
            ws.freeze_panes = "A2"
            if len(out.columns):
                ws.auto_filter.ref = f"A1:{get_column_letter(len(out.columns))}{len(out) + 1}"
            rate_rows = [_is_rate_indicator(v) for v in out["indicator"]] if "indicator" in out else []
            for j, col in enumerate(out.columns, start=1):
                letter = get_column_letter(j)
                whole = is_rate_column(str(col))
                by_row = str(col) in _BY_INDICATOR and bool(rate_rows)
                dates = pd.api.types.is_datetime64_any_dtype(out[col])
                for i in range(len(out)):
                    cell = ws.cell(row=i + 2, column=j)
                    if dates:
                        cell.number_format = DATE_FORMATS.get(lang, DATE_FORMATS["en"])
                    elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool) and (
                            whole or (by_row and rate_rows[i])):  # fmt: skip
                        cell.number_format = PERCENT_FORMAT
                texts = [str(col), *("" if _blank(v) else str(v) for v in out[col].head(500))]
                width = max(len(t) for t in texts) + 2
                ws.column_dimensions[letter].width = min(max(width, 16 if dates else 8), _MAX_WIDTH)
    return path


def _blank(value: object) -> bool:
    """True for an empty cell: None, NaN, NaT or ``pd.NA`` (a nullable integer column's gap)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell is not blank
        return False
