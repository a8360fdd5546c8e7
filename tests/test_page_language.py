"""Every page, view and tab shows its interface in the chosen language only.

Each page is rendered through AppTest (starting at app.py) and every text a reader can see is
collected from the element tree: Markdown, captions, headings, alerts, metrics, badges, widget
labels, help texts, placeholders and options, button, tab and expander labels, table and
dataframe column names and cells, column-configuration labels and help, code blocks, and the
Vega-Lite charts' titles, subtitles, axis, legend, header and tooltip titles and the data values
their encodings show (mark labels, axis and facet labels, tooltip contents).

In English, no Chinese may remain once the Chinese that is legitimately there is taken out:
- the verbatim record of the documents, which has no English by design: the source texts, every
  clause and target quote (and restatement), the section headings they stand under, document
  numbers, the words that carry a value (全覆盖), the scraping artifacts as they stand and as
  corrected, and excerpts of these cut short with "…";
- a document's original title, but only with its English translation in the same or the next
  element (a record that has an English field must otherwise be shown in English: issuer,
  metric, short name, taxonomy labels … are never excepted);
- an original term cited beside its English gloss by an English string: a part of an en locale
  string that has English words (`Document number (文号)`, `units (家)`), or an English field of
  the data quoting the original ("(到2022年)");
- the amount unit 万元, kept as the documents write it (see AMOUNT_UNIT), and the language switch,
  which names each language in that language.

In Chinese, no English may show: no text matching an en locale string that differs from its zh
one (whole, or one of its longer phrases anywhere), no English field of a record that has the
Chinese one, and no English-only note of the data (provenance and correction notes, clause
notes) unless the text, its table column or its row says it is in English (英文).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, is_dataclass
from dataclasses import fields as dataclass_fields
from functools import cache
from pathlib import Path

import pytest
from google.protobuf.message import Message
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

import policies
from components import compare as cmp
from components import data
from components import simulate_inputs as inputs
from components import sources as src
from components import targets as tg
from components import url_keys as keys
from components.display import md_escape
from components.i18n import LANG_LABELS, strings, t
from policies.fields import help_text
from policies.loader import DataError, load_all
from policies.models import Atlas, Frozen
from policies.presets import load_presets
from policies.profile import Profile

ROOT = Path(__file__).resolve().parents[1]


@cache
def interface_strings(lang: str) -> dict[str, str]:
    """Every interface string of one language: the locale's, and the help each profile field
    declares (policies.profile), keyed as `simulate.help.<field>`."""
    declared = {f"simulate.help.{n}": help_text(n, lang) for n in Profile.model_fields}
    return {**strings(lang), **declared}


SWITCH_LABEL = "语言 · Language"  # app.py: the switch names each language in that language

# --- what a page shows -----------------------------------------------------------------------

# Proto fields that carry no visible text: ids, keys, URLs, icons, raw widget values bound to
# the URL, and the chart spec, column configuration and HTML (read separately below).
INVISIBLE_FIELDS = frozenset(
    {
        "id", "form_id", "page_script_hash", "url", "type", "icon", "tag", "query_param_key",
        "page", "theme", "name", "spec", "columns", "raw_values", "raw_value", "default",
        "query_string", "data", "selection_mode", "mime", "file_name", "language", "css",
        "deferred_file_id",
    }
)  # fmt: skip
CHART_TEXT_KEYS = ("title", "subtitle", "text")
CONFIG_TEXT_KEYS = ("label", "help")
STYLE = re.compile(r"<style.*?</style>|<[^>]+>", re.S)


@dataclass(frozen=True)
class Shown:
    """One visible text; `context` is what labels it (a table cell's column and row)."""

    where: str
    text: str
    context: str = ""


def _proto_texts(msg: Message, where: str, out: list[Shown]) -> None:
    for fd, value in msg.ListFields():
        if fd.name in INVISIBLE_FIELDS:
            continue
        values = value if fd.is_repeated else [value]
        if fd.type == fd.TYPE_MESSAGE:
            if not fd.message_type.GetOptions().map_entry:
                for item in values:
                    _proto_texts(item, f"{where}.{fd.name}", out)
        elif fd.type == fd.TYPE_STRING:
            out.extend(Shown(f"{where}.{fd.name}", v) for v in values if v)


def _config_texts(node: object, out: list[str]) -> list[str]:
    """Labels and help texts anywhere in a column configuration (options included)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CONFIG_TEXT_KEYS and isinstance(value, str):
                out.append(value)
            else:
                _config_texts(value, out)
    elif isinstance(node, list):
        for value in node:
            _config_texts(value, out)
    return out


def _frame_texts(frame, where: str, out: list[Shown], config: dict | None = None) -> None:
    """Column names (unless configured with a label) and text cells, each cell with its column
    and row as context."""
    config = config or {}
    for column in frame.columns:
        settings = config.get(str(column))
        if not (isinstance(settings, dict) and settings.get("label")):
            out.append(Shown(f"{where} column", str(column)))
        if isinstance(settings, dict):
            out.extend(Shown(f"{where} column setting", v) for v in _config_texts(settings, []))
    for row in frame.itertuples(index=False):
        cells = [str(v) for v in row]
        for column, value in zip(frame.columns, row, strict=True):
            if isinstance(value, str) and value:
                context = f"{column} | {' | '.join(cells)}"
                out.append(Shown(f"{where}[{column}]", value, context))


def _chart_titles(node: object, out: list[Shown]) -> None:
    """Titles, subtitles and texts anywhere in a Vega-Lite spec (chart, axis, legend, header,
    tooltip)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CHART_TEXT_KEYS and isinstance(value, str):
                out.append(Shown(f"chart {key}", value))
            elif key in CHART_TEXT_KEYS and isinstance(value, list):
                out.extend(Shown(f"chart {key}", v) for v in value if isinstance(v, str))
            else:
                _chart_titles(value, out)
    elif isinstance(node, list):
        for value in node:
            _chart_titles(value, out)


def _encoded_fields(node: object, out: set[str]) -> set[str]:
    if isinstance(node, dict):
        if isinstance(node.get("field"), str):
            out.add(node["field"])
        for value in node.values():
            _encoded_fields(value, out)
    elif isinstance(node, list):
        for value in node:
            _encoded_fields(value, out)
    return out


def _chart_texts(proto: Message, out: list[Shown]) -> None:
    """The spec's titles, and the data values its encodings show (labels, tooltips, facets)."""
    spec = json.loads(proto.spec)
    _chart_titles(spec, out)
    shown = _encoded_fields(spec, set())
    rows = []
    for dataset in proto.datasets:
        frame = dataframe_util.convert_arrow_bytes_to_pandas_df(dataset.data.data)
        rows += frame.to_dict("records")
    for values in spec.get("datasets", {}).values():
        rows += values
    rows += spec.get("data", {}).get("values", [])
    for row in rows:
        out.extend(
            Shown(f"chart data[{k}]", v)
            for k, v in row.items()
            if k in shown and isinstance(v, str)
        )


def shown_texts(at: AppTest) -> list[Shown]:
    """Every visible text of the rendered page, in tree order, each once."""
    out: list[Shown] = []
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if node.type == "html":
            out.append(Shown("html", STYLE.sub(" ", proto.body)))
            continue
        _proto_texts(proto, node.type, out)
        if node.type in ("dataframe", "table"):
            config = json.loads(proto.columns) if getattr(proto, "columns", "") else {}
            _frame_texts(node.value, node.type, out, config)
        if node.type == "vega_lite_chart":
            _chart_texts(proto, out)
    return [s for s in dict.fromkeys(out) if s.text.strip()]


# --- text normalised for matching --------------------------------------------------------------

_MARKUP = [
    (re.compile(r"^\[\^\d+\]:", re.M), ""),  # footnote definitions
    (re.compile(r"(?<!\\)\[\^\d+\]"), ""),  # footnote references
    (re.compile(r":[a-z]+-(?:background|badge)\["), ""),  # coloured spans and badges
    (re.compile(r"(?<!\\)\]"), ""),  # their closing brackets (text brackets are escaped)
    (re.compile(r"^\s*>", re.M), ""),  # block-quote markers
    (re.compile(r"\\(.)"), r"\1"),  # Markdown escapes
    (re.compile(r"[\s⏎*]+"), ""),  # whitespace, visible line breaks, emphasis
]


def normal(text: str) -> str:
    """Text with Markdown markup, escapes and all whitespace removed: a verbatim quote matches
    however a page wraps, escapes or highlights it."""
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    return text


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+")
LATIN = re.compile(r"[A-Za-z]")


# --- what may stay Chinese in English -------------------------------------------------------


def _english_fields(node: object) -> Iterator[tuple[str, bool]]:
    """Every English string of the data, with whether the record has it in Chinese too: fields
    named *_en (paired when a *_zh sibling exists) and the taxonomy labels' `en`."""
    if isinstance(node, Frozen) or is_dataclass(node):
        fields = (
            [f.name for f in dataclass_fields(node)]
            if is_dataclass(node)
            else type(node).model_fields
        )
        for name in fields:
            value = getattr(node, name)
            if name == "en" or name.endswith("_en"):
                if isinstance(value, str):
                    yield value, ("zh" if name == "en" else f"{name[:-3]}_zh") in fields
            else:
                yield from _english_fields(value)
    elif isinstance(node, dict):
        for value in node.values():
            yield from _english_fields(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from _english_fields(value)


@cache
def the_atlas() -> Atlas:
    """The documents, loaded here (a test below replaces the app's loader with a broken one)."""
    return load_all()


@cache
def the_data() -> tuple[object, ...]:
    """Everything the pages show from data/: the documents and the example profiles."""
    return (the_atlas(), load_presets())


@cache
def verbatim() -> tuple[str, ...]:
    """The record of the documents that has no English, normalised, longest first."""
    found: set[str] = set()
    for doc in the_atlas().documents:
        prov, pol = doc.provenance, doc.policy
        found |= {doc.text, prov.doc_number or ""}
        for a in prov.artifacts:
            found |= {a.raw, a.clean}
        for record in [*pol.targets, *pol.clauses]:
            found |= {record.quote, record.section}
        for x in pol.targets:
            found.add(x.value_words or "")
            for again in x.restated:
                found |= {again.quote, again.section}
    return tuple(sorted({normal(s) for s in found if s}, key=len, reverse=True))


@cache
def original_titles() -> tuple[tuple[str, str], ...]:
    """(Chinese title, its English translation), normalised: in English a document's original
    title is shown only with the translation beside it (in the same or the next element)."""
    titles = [(d.provenance.title_zh, d.provenance.title_en) for d in the_atlas().documents]
    return tuple((normal(zh), normal(en)) for zh, en in titles)


PLACEHOLDER = re.compile(r"\{[^}]*\}")
# The unit of every amount stays the documents' 万元 in English, so that a figure reads as it
# stands in the quote beside it: "≥ 100万元". Every English header, axis, chart title and help
# text that names the unit glosses it as 10k CNY (test_english_strings_gloss_the_amount_unit),
# and the leads of Overview and Simulate explain it.
AMOUNT_UNIT = interface_strings("en")["common.unit_wan"]
UNIT_GLOSSES = ("10k CNY", "10,000 CNY", "10,000 yuan")


@cache
def glossed() -> tuple[str, ...]:
    """English strings that cite a Chinese term beside their gloss, normalised, longest first:
    the literal parts (between placeholders) of en locale strings that have both Chinese and
    English words, and the English fields of the data that quote the original."""
    parts = [
        part
        for value in interface_strings("en").values()
        for part in PLACEHOLDER.split(value)
        if CJK.search(part) and LATIN.search(part)
    ]
    parts += [text for text, _ in _english_fields(the_data()) if CJK.search(text)]
    return tuple(sorted({normal(p) for p in parts}, key=len, reverse=True))


@cache
def record_corpus() -> str:
    return "\0".join(verbatim())


@cache
def excepted() -> tuple[str, ...]:
    """Both kinds, longest first (a record may lie inside a longer English note)."""
    return tuple(sorted({*verbatim(), *glossed()}, key=len, reverse=True))


ELLIPSIS = "…"
MIN_EXCERPT = 8


def _longest(piece: str, head: bool) -> int:
    """The length of the longest head (or tail) of `piece` found in the record, 0 if shorter
    than MIN_EXCERPT."""
    for size in range(len(piece), MIN_EXCERPT - 1, -1):
        if (piece[:size] if head else piece[-size:]) in record_corpus():
            return size
    return 0


def _without_excerpts(text: str) -> str:
    """Cut out the excerpts of the record that a page shortens with … (a quote in its context,
    a long quote cut short): the stretch beside each … that is found in the record."""
    pieces = text.split(ELLIPSIS)
    for i, piece in enumerate(pieces):
        if not CJK.search(piece):
            continue
        if i > 0:  # an … before it
            piece = piece[_longest(piece, head=True) :]
        if i < len(pieces) - 1:  # an … after it
            piece = piece[: len(piece) - _longest(piece, head=False)]
        pieces[i] = piece
    return ELLIPSIS.join(pieces)


def chinese_left(text: str, beside: str = "") -> list[str]:
    """The Chinese runs of an English page's text that no exception covers; `beside` is the
    text of the element right after it."""
    if text in LANG_LABELS.values() or text == SWITCH_LABEL:
        return []
    rest = _without_excerpts(normal(text))
    glossed_here = normal(text) + normal(beside)
    for zh, en in original_titles():
        if en in glossed_here:
            rest = rest.replace(zh, " ")
    for allowed in excepted():
        if allowed in rest:
            rest = rest.replace(allowed, " ")
    return [run for run in CJK.findall(rest) if run != AMOUNT_UNIT]


# --- what may not show in Chinese -------------------------------------------------------------

MIN_LETTERS = 4  # an English string shorter than this (a unit, "CSV") is not judged
MIN_EMBEDDED = 12  # an English phrase this long is judged wherever it stands in a text
ENGLISH_MARK = "英文"  # how a Chinese label says that what it labels is in English


def _letters(text: str) -> int:
    return len(LATIN.findall(text))


@cache
def english_interface() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(key, pattern) for every en locale string that differs from its zh one: the whole string
    (placeholders match anything) and each of its phrases long enough to judge on its own."""
    zh, en = interface_strings("zh"), interface_strings("en")
    found = []
    for key, value in en.items():
        if value == zh[key] or _letters(PLACEHOLDER.sub("", value)) < MIN_LETTERS:
            continue
        parts = PLACEHOLDER.split(value)
        whole = ".*?".join(re.escape(normal(part)) for part in parts)
        found.append((key, re.compile(f"^{whole}$", re.S)))
        for part in parts:
            part = part.strip(" :;,.()")
            if len(part) >= MIN_EMBEDDED and " " in part and normal(part) not in normal(zh[key]):
                found.append((key, re.compile(re.escape(normal(part)))))
    return tuple(found)


@cache
def english_data() -> tuple[tuple[str, bool], ...]:
    """(normalised English field, has a Chinese twin) for the data's English strings."""
    pairs = {}
    for text, paired in _english_fields(the_data()):
        if _letters(text) >= MIN_LETTERS:
            pairs[normal(text)] = pairs.get(normal(text), False) or paired
    return tuple(sorted(pairs.items(), key=lambda pair: len(pair[0]), reverse=True))


@cache
def _whole_words(field: str) -> re.Pattern[str]:
    """The field as a phrase of its own: no ASCII letter, digit or _ right before or after."""
    return re.compile(rf"(?<![A-Za-z0-9_]){re.escape(field)}(?![A-Za-z0-9_])")


def english_left(shown: Shown) -> list[str]:
    """What of a Chinese page's text is English: interface strings, English fields of records
    that have a Chinese one, and English-only notes that no label marks as English."""
    if shown.text in LANG_LABELS.values() or shown.text == SWITCH_LABEL:
        return []
    text = normal(shown.text)
    found = []
    labelled = ENGLISH_MARK in shown.text or ENGLISH_MARK in shown.context
    for field, paired in english_data():  # longest first: a note may name a city
        whole = _whole_words(field)
        if whole.search(text):  # a whole phrase, not part of an id such as …_provincial
            if paired or not labelled:
                found.append(f"data: {field[:60]}" + ("" if paired else " (not marked English)"))
            text = whole.sub(" ", text)
    for record in verbatim():  # the documents' own words are never judged
        text = text.replace(record, " ")
    found += [key for key, pattern in english_interface() if pattern.search(text)]
    return found


# --- opening pages ---------------------------------------------------------------------------


def open_page(page: str, lang: str, **state: object) -> AppTest:
    """Run app.py with the language (and any widget state) set, then switch to the page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "overview":
        at.switch_page(f"views/{page}.py")
        at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def problems(at: AppTest, lang: str, state: str) -> list[str]:
    """What the rendered page shows in the other language, each line naming the element."""
    texts = shown_texts(at)
    found = []
    for i, shown in enumerate(texts):
        if lang == "en":
            left = chinese_left(shown.text, texts[i + 1].text if i + 1 < len(texts) else "")
        else:
            left = english_left(shown)
        if left:
            found.append(f"[{state}] {shown.where}: {shown.text[:160]!r} -> {left}")
    return found


def report(found: list[str], lang: str) -> str:
    """Each offending text once, with the first state that showed it."""
    unique = list({line.split("] ", 1)[1]: line for line in reversed(found)}.values())[::-1]
    other = "Chinese" if lang == "en" else "English"
    return f"{len(unique)} texts show {other} in {lang} mode:\n" + "\n".join(unique)


def kinds_seen(at: AppTest) -> set[str]:
    return {shown.where.split("[")[0].split(".")[0] for shown in shown_texts(at)}


LANGS = ("en", "zh")


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_overview_speaks_one_language(lang: str) -> None:
    at = open_page("overview", lang)
    found = problems(at, lang, "overview")
    assert not found, report(found, lang)
    assert {"title", "metric", "dataframe", "chart title", "chart data"} <= kinds_seen(at)


def sample_cells(atlas: Atlas) -> list[str]:
    """Matrix cells whose clauses, together, show every document and amount kind, a data note and
    a switchable reading (choosing a cell lists its clauses in full)."""
    clauses = {c.id: c for d in atlas.documents for c in d.policy.clauses}
    features: dict[str, set[tuple[str, object]]] = {}
    for row in cmp.clause_rows(atlas, "en").itertuples():
        clause = clauses[row.id]
        key = cmp.cell_key(row.category, row.document)
        features.setdefault(key, set()).update(
            {
                ("document", row.document),
                ("amount", clause.amount.kind),
                ("note", bool(clause.notes_en)),
                ("readings", bool(clause.readings)),
            }
        )
    wanted = set().union(*features.values())
    chosen: list[str] = []
    while wanted:
        best = max(features, key=lambda k: len(features[k] & wanted))
        chosen.append(best)
        wanted -= features[best]
    return chosen


# Views are opened afresh with their state set beforehand: between reruns AppTest formats a
# segmented control's value outside the script, where t() cannot see the chosen language.


@pytest.mark.parametrize("lang", LANGS)
def test_compare_views_speak_one_language(lang: str, atlas: Atlas) -> None:
    at = open_page("compare", lang)
    found = problems(at, lang, "matrix")
    for cell in sample_cells(atlas):
        at.selectbox(key="cell").set_value(cell).run()
        assert_clean(at)
        found += problems(at, lang, f"matrix, cell {cell}")
    for view in cmp.VIEWS[1:]:
        found += problems(open_page("compare", lang, view=view), lang, view)
    edge_states = {
        "versions, another pair": {
            "view": "versions",
            "older": "qingdao_2019",
            "newer": "jiangdu_2023",
        },
        "chart, nothing to draw": {"view": "chart", "amounts": "qualitative"},
        "matrix, nothing left": {"docs": ["qingdao_2019"], "amounts": "quantified"},
    }
    for name, state in edge_states.items():
        found += problems(open_page("compare", lang, **state), lang, name)
    assert not found, report(found, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_targets_views_speak_one_language(lang: str) -> None:
    found = []
    for view in tg.VIEWS:
        at = open_page("targets", lang, tview=view)
        found += problems(at, lang, view)
        if view != "table":
            assert {"chart title", "chart data"} <= kinds_seen(at), view
    assert not found, report(found, lang)


SOME_DOCUMENTS_IN_FORCE = 2022  # Liuzhou 2016 has ended, Jiangdu 2023 has not begun


@pytest.mark.parametrize("lang", LANGS)
def test_simulate_tabs_speak_one_language(lang: str) -> None:
    """Every tab renders in AppTest; each example profile, the clauses that do not apply and a
    switched reading are shown in turn."""
    at = open_page("simulate", lang, sim_show_not_applicable=True)
    assert len(at.tabs) == 6, [tab.label for tab in at.tabs]
    found, kinds = [], set()

    def every_tab(state: str) -> None:
        """Only the open tab is drawn: open each in turn, as a reader clicks through them."""
        for name in inputs.TAB_NAMES:
            at.session_state[keys.TABS_KEY] = t(f"simulate.tab_{name}", lang)
            at.run()
            assert_clean(at)
            found.extend(problems(at, lang, f"{state}, tab {name}"))
            kinds.update(kinds_seen(at))

    for preset in load_presets():
        at.selectbox(key=keys.PRESET_KEY).set_value(preset.id).run()
        assert_clean(at)
        every_tab(preset.id)
    at.session_state[keys.TABS_KEY] = t("simulate.tab_interp", lang)  # the switches' own tab
    at.run()
    at.radio(key=keys.interp_key("jiangdu_2023.top_up")).set_value("full").run()
    assert_clean(at)
    every_tab("a switched reading")
    at.selectbox(key=keys.YEAR_KEY).set_value(SOME_DOCUMENTS_IN_FORCE).run()
    at.selectbox(key=keys.WHATIF_KEY).set_value("new_high_tech_enterprises").run()
    assert_clean(at)
    every_tab(f"year {SOME_DOCUMENTS_IN_FORCE}, a count swept")
    assert {"tab", "expander", "chart title", "chart data", "dataframe", "code"} <= kinds
    assert not found, report(found, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_sources_speak_one_language(lang: str, atlas: Atlas) -> None:
    """Each document's annotated text, with a clause, a target and a correction chosen in turn,
    and one raw text."""
    at = open_page("sources", lang)
    found = []
    for doc in atlas.documents:
        at.selectbox(key="doc").set_value(doc.id).run()
        marks, _ = src.marks(doc, lang)
        first = {}
        for mark in marks:
            first.setdefault(mark.kind, mark.record)
        for record in first.values():
            at.selectbox(key="rec").set_value(record).run()
            assert_clean(at)
            found += problems(at, lang, f"{doc.id}, {record}")
    raw = open_page("sources", lang, doc="jiangdu_2023", text="raw")
    assert raw.code, "the raw text is shown as it stands"
    found += problems(raw, lang, "raw text")
    assert not found, report(found, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_invalid_data_notice_speaks_one_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise DataError(["data/taxonomy.yaml: -: gone"])

    monkeypatch.setattr(policies, "load_all", broken)
    data.atlas.clear()
    try:
        at = open_page("overview", lang)
    finally:
        data.atlas.clear()
    assert at.error
    found = problems(at, lang, "invalid data")
    assert not found, report(found, lang)


# --- the rules themselves --------------------------------------------------------------------


def test_english_strings_gloss_the_chinese_they_cite() -> None:
    """An en locale string may cite an original term beside its English gloss, never stand in
    Chinese alone; the amount unit 万元 is the one string kept as the documents write it."""
    bare = [
        key
        for key, value in interface_strings("en").items()
        for part in PLACEHOLDER.split(value)
        if CJK.search(part) and not LATIN.search(part) and key != "common.unit_wan"
    ]
    assert not bare, bare


def test_english_strings_gloss_the_amount_unit() -> None:
    named = [
        key
        for key, value in interface_strings("en").items()
        if AMOUNT_UNIT in value
        and key != "common.unit_wan"
        and not any(gloss in value for gloss in UNIT_GLOSSES)
    ]
    assert not named, named


def test_chinese_strings_are_in_chinese() -> None:
    """A zh locale string with no Chinese in it is a technical name the same in both."""
    zh, en = interface_strings("zh"), interface_strings("en")
    english = [
        key
        for key, value in zh.items()
        if value != en[key]
        and not CJK.search(PLACEHOLDER.sub("", value))
        and LATIN.search(PLACEHOLDER.sub("", value))
    ]
    assert not english, english


def test_the_rules_catch_what_they_should(atlas: Atlas) -> None:
    clause = atlas.document("qingdao_2019").policy.clauses[0]
    zh, en = interface_strings("zh"), interface_strings("en")
    # in English: an interface string or a Chinese label with an English twin is caught ...
    assert chinese_left(zh["common.quote"]) == [zh["common.quote"]]
    assert chinese_left(f"{clause.title_zh}: {clause.quote}") == [clause.title_zh]
    assert chinese_left(f"≥ 3{zh['targets.unit.家']}") == ["家"]
    title, title_en = atlas.documents[0].provenance.title_zh, atlas.documents[0].provenance.title_en
    assert CJK.findall(title)[0] in chinese_left(f"**{md_escape(title)}**")
    # ... while a quote (escaped, quoted, cut short), an original title with its translation
    # beside it and a cited term are not
    assert not chinese_left(f"**{md_escape(title)}**", beside=md_escape(title_en))
    assert not chinese_left(f"{title} — {title_en}")
    assert not chinese_left(f"{en['common.original_quote']}:\n\n> {md_escape(clause.quote)}")
    assert not chinese_left(f"In context: …{clause.quote[2:]} more…")
    assert not chinese_left(f"≥ 3 {en['targets.unit.家']} · {clause.section}")
    # in Chinese: an English interface string or a paired English field is caught ...
    assert "common.quote" in english_left(Shown("x", en["common.quote"]))
    assert english_left(Shown("x", f"{clause.title_en}: {clause.quote}"))
    # ... an English-only note only when nothing marks it as English
    note = next(c.notes_en for d in atlas.documents for c in d.policy.clauses if c.notes_en)
    assert english_left(Shown("x", note))
    assert not english_left(Shown("x", f"{zh['compare.note_en']}: {md_escape(note)}"))
