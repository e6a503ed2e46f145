"""components.data.shared_cache: one shared object per key, and no caller can change it for the others."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import data


def test_callers_edits_never_reach_the_shared_value():
    calls = []

    @data.shared_cache
    def build(key: str) -> dict:
        calls.append(key)
        return {"table": pd.DataFrame({"v": [1.0, 2.0]}), "rows": [{"a": 1}], "pair": (pd.Series([1, 2]), "x"),
                "fig": go.Figure()}

    first = build("k")
    first["table"]["v"] = [99.0, 99.0]          # overwrite a column
    first["table"].loc[0, "v"] = -1.0           # and a cell
    first["table"]["new"] = 1                   # add a column
    first["rows"][0]["a"] = 42
    first["rows"].append({"b": 2})
    first["pair"][0].iloc[0] = 7
    first["extra"] = True

    second = build("k")
    assert calls == ["k"]                       # built once, shared
    assert second["table"]["v"].tolist() == [1.0, 2.0] and "new" not in second["table"].columns
    assert second["rows"] == [{"a": 1}]
    assert second["pair"][0].tolist() == [1, 2]
    assert "extra" not in second
    assert second["fig"] is first["fig"]        # figures are handed out as they are (read-only by convention)


def test_shared_tables_are_views_not_the_cached_frame():
    a = data.facts()
    b = data.facts()
    assert a is not b and a.equals(b)
    n = len(b.columns)
    a["scratch"] = 0
    assert len(data.facts().columns) == n


def test_prepared_figure_sends_the_same_chart():
    import json

    import plotly.io as pio
    import plotly.tools as pt

    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2], name="n"))
    fig.update_layout(title="Members")
    prepared = data.PreparedFigure(fig)
    # what st.plotly_chart sends: the figure's dict as JSON
    sent = json.loads(pio.to_json(pt.return_figure_from_figure_or_data(prepared, validate_figure=True), validate=False))
    assert sent == json.loads(pio.to_json(fig, validate=False))
    assert prepared.layout.title.text == "Members"
