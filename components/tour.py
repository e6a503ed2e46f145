"""/tour?step=N: a guided presenter story through the app's real views.

Each step is one slide that fits a 1280×720 projector: one headline number, small chart or map computed
from the data, a one-line source caption (a chart's is inside the chart, so its picture carries it; full
sources and exact quotes in a collapsed panel), one sentence, a progress indicator, previous/next buttons
(also on the keyboard and a clicker: see ``components.presenter``), an on-screen presentation-mode switch,
and a link out to the full interactive page in the same state.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cluster_data import atlas as A
from cluster_data import lessons as L
from cluster_data import map_image, provenance, urlstate
from cluster_data.display import MISSING, fmt_int, fmt_pct
from cluster_data.schema import FIELD_LABELS
from components import chart_export, compare_charts, data, maps, presenter, ui
from components.frame import Frame

N_STEPS = len(L.TOUR_STEPS)
BAR_COLOUR = "#0072B2"  # Okabe-Ito blue
CLAIM_COLOUR = "#E69F00"  # Okabe-Ito orange
# Where a source's link is a repository copy, the slide names the producer's table instead of the host.
REPOSITORY_HOSTS = ("github.com",)
# Chart text sizes (px): at least 16 px on a projector.
FONT_PX = {False: 14, True: 18}
SOURCE_PX = {False: 12, True: 16}  # a chart's source line (px)
# characters a source line (52 fits a phone; a projector has the room for more): a full-width chart, a column's
SOURCE_WIDTH = {False: 52, True: 100}
SOURCE_WIDTH_COLUMN = {False: 52, True: 64}
LABEL_WRAP = {False: 16, True: 24}  # bar labels wrapped (characters a line); a projector's slide has more room
MAP_HEIGHT = {False: 380, True: 330}


# ----------------------------------------------------------------------------- figure builder (no st calls)
def bar_figure(df: pd.DataFrame, x_title: str, colours: list[str] | None = None, height: int | None = None,
               text_position: str = "auto", font_px: int = FONT_PX[False], source: str = "",
               source_px: int = SOURCE_PX[False], source_width: int = 52, wrap: int | None = None) -> go.Figure:
    """Small horizontal bar chart: df has columns label, value, text. Rows with a missing value are dropped
    (the caller lists them as "no source" — never drawn as a zero bar). With a ``source`` the figure carries
    its source line (issue 17, point 13: the chart names where its numbers come from). ``wrap``: the labels
    wrapped at that many characters (a phone leaves the bars no room beside long one-line labels)."""
    d = df.dropna(subset=["value"])
    labels = [str(x) for x in d["label"]]
    ticks = compare_charts.chart_labels(labels, wrap, 3) if wrap else labels
    fig = go.Figure(go.Bar(
        x=d["value"], y=labels, orientation="h", text=d["text"], textposition=text_position, textangle=0,
        textfont=dict(size=max(font_px, 16)), cliponaxis=False, marker_color=colours[: len(d)] if colours else BAR_COLOUR,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_layout(height=height or 80 + 42 * max(len(d), 1), margin=dict(l=10, r=40, t=10, b=30),
                      xaxis_title=x_title, showlegend=False, font=dict(size=font_px),
                      yaxis=dict(autorange="reversed", type="category", tickmode="array", tickvals=labels,
                                 ticktext=ticks, tickfont=dict(size=font_px)),
                      xaxis=dict(tickfont=dict(size=font_px), tickformat=",~r",
                                 title=dict(text=x_title, font=dict(size=font_px))))
    if source:  # no title of its own: the slide's heading is right above it
        fig = chart_export.with_source(fig, source, width=source_width, size=source_px, keep=chart_export.MIN_GAP)
    return fig


# ----------------------------------------------------------------------------- step content (cached by key)
@data.shared_cache
def _facts(key: str) -> list[L.TourFact]:
    return L.tour_facts(data.case_studies(), data.sources(), key)


@data.shared_cache
def _map_content() -> L.MapSlide:
    return L.map_slide(data.shipped_organisations(), data.facts())


def map_points() -> list[dict]:
    """The tour map's points: every placed cluster organisation, sized by members (the atlas's builder)."""
    orgs = data.shipped_organisations()
    co = orgs[orgs["row_type"] == "cluster_org"]
    return maps.point_records(co, "members_total", A.SIZE_MEASURES["members_total"])


@data.shared_cache
def _map_png() -> bytes:
    """The tour's map as a picture drawn on the server from the shipped land outlines (drawn once per
    process). A slide needs no hovering, and a picture is on screen at once on any laptop: deck.gl's
    WebGL map took 3-4 s to draw where WebGL is software-rendered (no GPU), against 0.5 s for a bare page."""
    focus = maps.focus_features(data.geojson("nuts2_2016.geojson"), data.geojson("nuts3_2016_uk_dk_es.geojson"))
    return map_image.render_slide_png(data.geojson("countries.geojson"), map_points(), focus)


@data.shared_cache
def _compare_content() -> L.CompareSlide:
    return L.compare_slide(data.shipped_organisations(), data.facts(), data.sources())


@data.shared_cache
def _lessons_stats() -> L.LessonsStats:
    return L.lessons_stats(data.case_studies())


# ----------------------------------------------------------------------------- rendering helpers
def _source_name(item: dict) -> str:
    """The words a slide names a source by: publisher and date (the full title is in the sources panel)."""
    return (" ".join(str(x) for x in (item.get("publisher"), item.get("date")) if x and str(x) != "nan")
            or str(item.get("title") or "source"))


def _short_source(item: dict | None) -> str:
    """A one-line source link for a slide: the publisher and date linked to the page; the full title is
    in the sources panel."""
    if not item:
        return "no source"
    url = item.get("url")
    if str(item.get("publisher") or "") in REPOSITORY_HOSTS:  # a repository copy: name the producer's table
        return ui.source_link({k: v for k, v in item.items() if k != "publisher"})
    name = ui.md_escape(_source_name(item))
    if isinstance(url, str) and url.startswith(("http://", "https://")) and " " not in url and ")" not in url:
        return f"[{name}]({url})"
    return name


def _chart_source(items: list[dict | None], prefix: str = "Sources") -> str:
    """The caption's source line as plain text, for inside a chart (a repository copy is named by its title)."""
    names = list(dict.fromkeys(
        " — ".join(str(x) for x in (i.get("title"), i.get("date")) if x and str(x) != "nan")
        if str(i.get("publisher") or "") in REPOSITORY_HOSTS else _source_name(i) for i in items if i))
    return f"{prefix}: " + " · ".join(names) if names else "No source holds these values."


def _sources_line(items: list[dict | None], prefix: str = "Sources") -> None:
    """One caption line naming each source once (publisher, date) with its link."""
    links = list(dict.fromkeys(_short_source(i) for i in items if i))
    st.caption(f"{prefix}: " + " · ".join(links) if links else "No source holds these values.")


def _sources_panel(facts: list[L.TourFact], extra: list[dict] | None = None) -> None:
    """Full sources and exact quotes, collapsed (a presenter opens it when asked)."""
    with st.expander("Sources and exact quotes"):
        for f in facts:
            r = f.row
            if not r:
                st.caption(f"**{ui.md_escape(f.label)}:** no source holds this value.")
                continue
            q = r.get("quote") or "(no quote stored)"
            st.caption(f"**{ui.md_escape(f.label)}:** {ui.md_escape(L.fact_value_text(r))} — {ui.md_escape(r.get('fact'))}  \n"
                       f"> “{ui.md_escape(q)}”  \nSource: {ui.source_link(r)}")
        for it in extra or []:
            st.caption(f"**{ui.md_escape(it['label'])}:** {ui.md_escape(it['text'])} — Source: {ui.source_link(it['item'])}")


def _fact_metric(f: L.TourFact) -> None:
    st.metric(f.label, L.fact_value_text(f.row))
    if f.row:
        st.caption(f"Source: {_short_source(f.row)}")
    else:
        st.caption("No source holds this value.")


def _plot(fig: go.Figure) -> None:
    # no mode bar on a projector slide (it would float over the chart); the figure still carries its title
    # and source line
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False, "staticPlot": False})


def _metric_columns(facts: list[L.TourFact]) -> None:
    cols = st.columns(len(facts) or 1)
    for col, f in zip(cols, facts):
        with col:
            _fact_metric(f)


# ----------------------------------------------------------------------------- steps
def _step_question(fr: Frame) -> None:
    facts = _facts("question")
    _metric_columns(facts)
    _sources_panel(facts)


def _step_map(fr: Frame) -> None:
    c = _map_content()
    left, right = st.columns([1, 2.6])
    with left:
        st.metric("Cluster organisations in the atlas", fmt_int(c.n))
        st.metric("Countries", fmt_int(c.countries))
        top = ", ".join(f"{r['country']} {fmt_int(r['count'])}" for _, r in c.top.iterrows())
        st.caption(f"Computed from the atlas's data; most in {ui.md_escape(top)}. "
                   f"{fmt_int(c.sources)} distinct sources behind their facts.")
    with right:
        w, h = map_image.SLIDE_SIZE
        st.image(_map_png(), width=int(MAP_HEIGHT[fr.present] * w / h),
                 alt=f"Map of Europe: {fmt_int(c.drawn)} cluster organisations drawn as points sized by members "
                     f"({A.HOLLOW_NOTE}), the focus regions outlined.")
        st.caption(f"{fmt_int(c.drawn)} organisations with a sourced location drawn; point size by members "
                   f"({A.HOLLOW_NOTE}). "
                   "© EuroGeographics for the administrative boundaries · Made with Natural Earth.")


def _step_southern_denmark(fr: Frame) -> None:
    facts = _facts("southern_denmark")
    df = pd.DataFrame([{"label": f.label, "value": (f.row or {}).get("value_num"), "text": L.fact_number_text(f.row)}
                       for f in facts])
    _plot(bar_figure(df, "Jobs", colours=[CLAIM_COLOUR, BAR_COLOUR, BAR_COLOUR], font_px=FONT_PX[fr.present],
                     height=215 if fr.present else 235, source=_chart_source([f.row for f in facts]),
                     source_px=SOURCE_PX[fr.present], source_width=SOURCE_WIDTH[fr.present],
                     wrap=LABEL_WRAP[fr.present]))
    st.caption(" · ".join(f"**{ui.md_escape(f.label)}:** {ui.md_escape(L.fact_value_text(f.row))}" for f in facts))
    _sources_panel(facts)  # the one-line source caption is the chart's own source line


def _step_valencia(fr: Frame) -> None:
    facts = _facts("valencia")
    _metric_columns(facts)
    _sources_panel(facts)


def _step_compare(fr: Frame) -> None:
    c = _compare_content()
    df = pd.DataFrame([{"label": r.label, "value": r.value, "text": r.text} for r in c.rows])
    left, right = st.columns([3, 2])
    with left:
        _plot(bar_figure(df, FIELD_LABELS.get("employees_in_members", "Employees in member firms"),
                         font_px=FONT_PX[fr.present], height=260 if fr.present else 230,
                         source=_chart_source([r.item for r in c.rows]),
                         source_px=SOURCE_PX[fr.present], source_width=SOURCE_WIDTH_COLUMN[fr.present],
                         wrap=LABEL_WRAP[fr.present]))
    with right:
        missing = [r.label for r in c.rows if not r.item]
        if missing:
            st.caption("No source for: " + ui.md_escape(", ".join(missing)) + " (shown as missing, not zero).")
        if c.intl:
            il = [f"- {ui.md_escape(r.label)}: {ui.md_escape(provenance.field_label(r.field).lower())} "
                  f"{ui.md_escape(r.text)}" for r in c.intl]
            st.caption("Internationalisation, where a source gives it:  \n" + "  \n".join(il))
    known = [r for r in c.rows if r.item]
    with st.expander("Sources and exact quotes"):  # the one-line source caption is the chart's own source line
        st.caption("Employees in member firms (each organisation's headline value):  \n" + "  \n".join(
            f"- {ui.md_escape(r.label)}: {ui.md_escape(r.text)} — {ui.source_link(r.item)}" for r in known))
        for r in c.intl:
            st.caption(f"{ui.md_escape(r.label)}, {ui.md_escape(provenance.field_label(r.field).lower())}: "
                       f"{ui.md_escape(r.text)} — {ui.source_link(r.item)}")


def _step_greenwich(fr: Frame) -> None:
    facts = _facts("greenwich")
    by_id = {f.fact_id: f.row for f in facts}
    part, whole = (by_id.get(i) for i in L.TOUR_GREENWICH_SHARE)
    share = L.share_pct((part or {}).get("value_num"), (whole or {}).get("value_num"))
    st.metric("Information and communication share of GVA, Bexley and Greenwich",
              MISSING if share is None else fmt_pct(share, decimals=1))
    if share is not None:
        st.caption(f"Computed: {ui.md_escape(L.fact_value_text(part))} ÷ {ui.md_escape(L.fact_value_text(whole))}"
                   f" (ONS, the statistical area combining Bexley and Greenwich).")
    _sources_line([part, whole], prefix="Source")
    st.caption("The Greenwich Digital Cluster itself is a placeholder: no member, job or funding figures exist yet.")
    _sources_panel(facts)


def _step_sustainability(fr: Frame) -> None:
    facts = _facts("sustainability")
    _metric_columns(facts)
    _sources_panel(facts)


def _step_lessons(fr: Frame) -> None:
    s = _lessons_stats()
    metric_col, note_col = st.columns([1, 2], vertical_alignment="center")
    metric_col.metric("Sourced case facts behind the lessons", fmt_int(s.facts))
    note_col.caption(f"Computed: count of case-study facts for the {s.cases} peer cases in the app's case-study table, "
               f"drawn from {fmt_int(s.sources)} distinct sources; each is shown with its source link on the Lessons page.")
    st.markdown("\n".join(f"- {ui.md_escape(L.TAKEAWAYS[c][0])}" for c in L.CASES))
    st.caption("Our plain-language reading of the case facts — not itself a sourced fact.")


STEP_RENDERERS = {
    "question": _step_question, "map": _step_map, "southern_denmark": _step_southern_denmark,
    "valencia": _step_valencia, "compare": _step_compare, "greenwich": _step_greenwich,
    "sustainability": _step_sustainability, "lessons": _step_lessons,
}


def _go(step: int) -> None:
    """Button callback: move the tour to ``step`` (the URL is the state; present=1 and other params stay)."""
    st.query_params["step"] = str(step)


def _nav(fr: Frame, n: int) -> None:
    """One row: previous, progress, next, presentation switch. Buttons that rewrite ?step= (a page_link to
    the same page changes the view but leaves the browser address bar on the old step, so the view would
    not reopen from its URL). The keyboard and a clicker press the same buttons."""
    prev_col, prog_col, next_col = st.columns([1, 2, 1], vertical_alignment="center")
    with prev_col:
        if n > 1:
            st.button("Previous step", key="tour_prev", icon=":material/arrow_back:", on_click=_go, args=(n - 1,),
                      help=f"Step {n - 1}: {L.TOUR_STEPS[n - 2]['title']} (← or Page Up)")
    with prog_col:
        st.progress(n / N_STEPS, text=f"Step {n} of {N_STEPS}")
    with next_col:
        if n < N_STEPS:
            st.button("Next step", key="tour_next", icon=":material/arrow_forward:", on_click=_go, args=(n + 1,),
                      help=f"Step {n + 1}: {L.TOUR_STEPS[n]['title']} (→, Page Down or Space)")
        else:
            st.button("Start again", key="tour_restart", icon=":material/replay:", on_click=_go,
                      args=(1,), help=f"Step 1: {L.TOUR_STEPS[0]['title']}")
    presenter.keyboard_navigation()


def _link_out(fr: Frame, n: int) -> None:
    """The link out to the full page in the same state, and the presentation-mode switch beside it."""
    page, params, label = L.TOUR_STEPS[n - 1]["link"]
    link_col, mode_col = st.columns([3, 1], vertical_alignment="center")
    with link_col:
        fr.page_link(page, label, params, icon=":material/open_in_new:")
    with mode_col:
        presenter.present_switch(fr.present, key="tour_present")


def render(fr: Frame) -> None:
    n, notice = urlstate.parse_int(st.query_params.get("step"), 1, 1, N_STEPS, key="step")
    n = int(n or 1)
    fr.notify(notice)
    # Always (re)write the step: a page_link to this same page changes the script's params but the browser
    # address bar keeps the old ones unless the script writes them back.
    # Step 1 with no step in the link is the plain /tour link: nothing to write (a write on arrival made Back
    # from the tour land on another page's URL carrying step=1).
    if n != 1 or "step" in st.query_params:
        st.query_params["step"] = str(n)
    st.html(presenter.tour_css(fr.present))
    step = L.TOUR_STEPS[n - 1]
    with st.container(key="tour_slide"):
        _nav(fr, n)
        st.title(step["title"])
        st.markdown(ui.md_escape(step["sentence"]))
        STEP_RENDERERS[step["key"]](fr)
        _link_out(fr, n)
