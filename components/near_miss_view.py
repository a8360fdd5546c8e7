"""Simulate's near misses as cards a founder can act on: the top five actions, the rest behind
"show all", changes of identity apart, and apart again the clauses that would pay another body
(never listed as something she gains); each card names the document, the recipient and the
change in one sentence, with its one-click "try it". Ranking lives in policies.near_misses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from components.display import interval_text, md_escape
from components.i18n import pick, t
from components.simulate_clauses import show_value
from components.simulate_view import doc_name, recipient_label
from components.url_keys import try_key
from policies.engine import Interval
from policies.fields import label
from policies.models import Atlas
from policies.near_misses import ACTION, IDENTITY, OTHERS, NearMiss
from policies.sentences import clause_conditions, condition_sentence, matching_condition

TOP = 5


@dataclass(frozen=True)
class MissCard:
    """One near miss in words."""

    key: str  # unique among the cards: the clause id
    kind: str | None
    document: str
    title: str  # 'Jiangdu 2023 · 高企培育奖励'
    sentence: str  # the change, who would receive what, and the document's new total
    condition: str  # the unmet condition as a sentence
    field: str | None
    value: Any


def _share(after: Interval | None, stated: bool, lang: str) -> str:
    """The operator's share of the document after the change, in words; never "0" when what the
    change brings has no stated amount."""
    if after is None:
        return ""
    if not stated and after.low == 0 and after.high == 0:
        return t("simulate.near_amount_not_stated", lang)
    return interval_text(after.low, after.high, lang)


def card(miss: NearMiss, atlas: Atlas, lang: str) -> MissCard:
    """The card of one near miss, in `lang`."""
    clause = atlas.clause(miss.clause)
    name = doc_name(atlas, miss.document, lang)
    title = pick(clause.title_zh, clause.title_en, lang)
    condition = condition_sentence(
        miss.failure, lang, matching_condition(clause_conditions(clause), miss.failure)
    )
    sentence = ""
    if miss.field is not None:
        amount = (
            interval_text(miss.low, miss.high, lang)
            if miss.status == "computed"
            else t("simulate.near_amount_not_stated", lang)
        )
        sentence = t(
            "simulate.near_sentence_other" if miss.kind == OTHERS else "simulate.near_sentence",
            lang,
            document=name,
            field=label(miss.field, lang),
            value=show_value(miss.field, miss.value, lang),
            recipient=recipient_label(atlas, miss.recipient, lang),
            amount=amount,
            clause=title,
            total=_share(miss.operator_after, miss.status == "computed", lang),
        )
    return MissCard(
        key=miss.clause,
        kind=miss.kind,
        document=miss.document,
        title=f"{name} · {title}",
        sentence=sentence,
        condition=condition,
        field=miss.field,
        value=miss.value,
    )


def _show_card(card_: MissCard, index: int, hooks: tuple[Callable, Callable], lang: str) -> None:
    apply, controls = hooks
    with st.container(border=True):
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"**{md_escape(card_.title)}**  \n{md_escape(card_.sentence)}")
        text.caption(md_escape(t("simulate.near_condition", lang, condition=card_.condition)))
        with button:  # a control: hidden when presenting
            controls(f"simulate_try_{index}").button(
                t("simulate.near_apply", lang),
                key=try_key(index, card_.key),
                on_click=apply,
                args=(card_.field, card_.value),
                width="stretch",
            )


def show_cards(
    cards: Sequence[MissCard],
    apply: Callable[[str, Any], None],
    lang: str,
    controls: Callable[[str], Any],
) -> None:
    """The actions (top five, then the rest folded), the identity changes apart, the clauses
    paying another body apart, then the clauses no single change can meet. `controls` hides the
    buttons when presenting."""
    actions = [c for c in cards if c.kind == ACTION]
    identity = [c for c in cards if c.kind == IDENTITY]
    to_others = [c for c in cards if c.kind == OTHERS]
    others = [c for c in cards if c.kind is None]
    if not cards:
        st.info(t("simulate.near_none", lang))
        return
    hooks = (apply, controls)
    index = 0
    st.markdown(f"**{t('simulate.near_actions', lang, n=len(actions))}**")
    if not actions:
        st.caption(t("simulate.near_no_actions", lang))
    for card_ in actions[:TOP]:
        _show_card(card_, index, hooks, lang)
        index += 1
    if len(actions) > TOP:
        with st.expander(t("simulate.near_show_all", lang, n=len(actions) - TOP)):
            for card_ in actions[TOP:]:
                _show_card(card_, index, hooks, lang)
                index += 1
    if identity:
        with st.expander(t("simulate.near_identity", lang, n=len(identity))):
            for card_ in identity:
                _show_card(card_, index, hooks, lang)
                index += 1
    if to_others:
        with st.expander(t("simulate.near_to_others", lang, n=len(to_others))):
            st.caption(t("simulate.near_to_others_intro", lang))
            for card_ in to_others:
                _show_card(card_, index, hooks, lang)
                index += 1
    if others:
        with st.expander(t("simulate.near_no_single_change", lang, n=len(others))):
            for card_ in others:
                st.markdown(f"- **{md_escape(card_.title)}**: {md_escape(card_.condition)}")
