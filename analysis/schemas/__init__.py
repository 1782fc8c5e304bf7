"""One pandera schema per processed table (``analysis.schemas.<table>.SCHEMA``), and the dtypes
they share."""

from __future__ import annotations

import pandas as pd

#: Text columns are Arrow-backed strings: pandera checks their dtype once (not cell by cell)
#: and the pattern checks run in Arrow — validating 500,000 rows takes well under a second.
TEXT = pd.StringDtype("pyarrow")
