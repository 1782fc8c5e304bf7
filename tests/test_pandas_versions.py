"""What changed under the cleaner with pandas 3, pinned on behaviour both 2.x and 3.x share.

pandas 3 reads text as its ``str`` dtype (missing = NaN, not None), keeps a parsed datetime's own
resolution instead of nanoseconds, compares text into Arrow booleans, and infers ``str``
categories from text. Each test below failed on pandas 3 before the fix it names.
"""

from __future__ import annotations

import datetime as dt

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
