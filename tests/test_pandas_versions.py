"""What changed under the cleaner with pandas 3, pinned on behaviour both 2.x and 3.x share.

pandas 3 reads text as its ``str`` dtype (missing = NaN, not None), keeps a parsed datetime's own
resolution instead of nanoseconds, compares text into Arrow booleans, and infers ``str``
categories from text. Each test below failed on pandas 3 before the fix it names.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.clean import countries
from analysis.clean.base import concat_frames
from analysis.clean.longform import is_gap
from analysis.clean.sources.ledgers import http_url_ok, partial_date_ok
from analysis.parse.dates import excel_serials_to_dates


def test_country_names_map_whatever_pandas_reads_namibia_as() -> None:
    """country_converter's own table read fails on pandas 3 (Namibia's ISO2 ``NA``)."""
    names = pd.Series(["Namibia", "Iran, Islamic Rep.", "Czechoslovakia", "West Bank and Gaza"])
    assert countries.iso3_from_names(names).tolist() == ["NAM", "IRN", "CSK", "PSE"]
    named = countries.short_names(pd.Series(["NAM", "IRN"]), pd.Series(["x", "y"]))
    assert named.tolist() == ["Namibia", "Iran"]


def test_missing_value_tokens_are_gaps_in_text_columns() -> None:
    """SIPRI's ``...`` in a pandas 3 ``str`` column is a gap, not a bad number."""
    for dtype in (object, "string"):
        cells = pd.Series(["...", "12.5", None, " n/a "], dtype=dtype)
        assert is_gap(cells).tolist() == [True, False, True, True]


def test_dates_outside_the_nanosecond_range_are_unreadable_not_a_crash() -> None:
    days = pd.Series([dt.date(2018, 1, 2), dt.date(2647, 10, 4), None], dtype=object)
    out = excel_serials_to_dates(days)
    assert str(out.dtype) == "datetime64[ns]"
    assert out.iloc[0] == pd.Timestamp("2018-01-02") and out.iloc[1:].isna().all()


def test_categoricals_of_text_and_object_categories_stack() -> None:
    as_str = pd.Series(pd.Categorical(pd.Series(["IRN", "IRQ"], dtype="string")))
    as_object = pd.Series(pd.Categorical(np.array(["PSE"], dtype=object)))
    frames = [pd.DataFrame({"code": as_str}), pd.DataFrame({"code": as_object})]
    stacked = concat_frames(frames)["code"]
    assert isinstance(stacked.dtype, pd.CategoricalDtype)
    assert stacked.astype(str).tolist() == ["IRN", "IRQ", "PSE"]


def test_an_empty_ledger_cell_read_as_nan_is_empty() -> None:
    """pandas 3 gives NaN, not None, for an empty cell of a text column."""
    assert partial_date_ok(np.nan) and partial_date_ok(None)
    assert not http_url_ok(np.nan)


def test_validated_tables_keep_arrow_text_with_na() -> None:
    """pandera coerces Arrow strings to pandas 3's ``str`` (NaN for missing); the tables do not."""
    import pandera.pandas as pa

    from analysis.clean import pipeline
    from analysis.clean.base import TableResult
    from analysis.schemas import TEXT

    schema = pa.DataFrameSchema(
        {"name": pa.Column(TEXT, nullable=True), "n": pa.Column(int)}, coerce=True
    )
    frame = pd.DataFrame({"name": pd.array(["a", None], dtype=TEXT), "n": [1, 2]})
    table = pipeline.validate(TableResult(frame, rows_read=2), schema, "t").table
    assert table["name"].dtype == TEXT and table["name"].iloc[1] is pd.NA


def test_a_nul_byte_in_a_csv_line_is_quarantined_whole_on_every_pandas(tmp_path: Path) -> None:
    """pandas 2's C reader cut ``Urb\\0an`` to ``Urb`` (a new series kept); pandas 3's kept the NUL
    and the schema then refused three rows of one line, losing two from the count."""
    from analysis.clean.sources import sci_cpi

    folder = tmp_path / sci_cpi.FOLDER
    folder.mkdir()
    text = "Year,region,CPI,food\n1400,Urb\x00\x00an,100,100\n1400,Rural,100.0,1\x00\n"
    (folder / "cpi.csv").write_bytes(text.encode())
    result = sci_cpi.load(tmp_path)
    assert result.balanced() and result.rows_read == 4 and result.rows_kept == 1
    assert result.table["indicator_code"].astype(str).tolist() == ["SCI.CPI.RURAL"]
    quarantine = result.quarantine.astype({"source_row": int})
    assert quarantine[["source_file", "source_row", "column", "value"]].values.tolist() == [
        ["iran-sci-cpi/cpi.csv", 2, "region", "Urb\\x00\\x00an"],
        ["iran-sci-cpi/cpi.csv", 2, "region", "Urb\\x00\\x00an"],
        ["iran-sci-cpi/cpi.csv", 3, "food", "1\\x00"],
    ]
    assert (quarantine["check"] == "printable_text").all()
    assert quarantine["reason"].str.contains("NUL").all()


def test_schema_failures_of_several_cells_of_one_line_keep_the_count() -> None:
    """Three table rows from one wide line refused by the schema: one quarantined row and two
    more cells of it, not two rows lost."""
    import pandera.pandas as pa

    from analysis.clean import pipeline
    from analysis.clean.base import TableResult
    from analysis.clean.longform import SAME_ROW

    schema = pa.DataFrameSchema({"code": pa.Column(str, pa.Check.str_matches(r"^[A-Z]+$"))})
    frame = pd.DataFrame(
        {"code": ["OK", "b1", "b2", "b3"], "source_file": "f.csv", "source_row": [2, 3, 3, 3]}
    )
    result = pipeline.validate(TableResult(frame, rows_read=4), schema, "t")
    assert result.rows_kept == 1 and result.rows_quarantined == 1
    assert result.excluded == {SAME_ROW: 2} and result.balanced()
    pipeline.check_balance("t", result)
