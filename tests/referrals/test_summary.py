"""The history in clinical language: only what was answered, by section, abnormal flagged."""

from __future__ import annotations

from referrals.summary import history_summary
from tests.referrals.factories import vignette


def _items(history: dict) -> dict[str, tuple[str, bool]]:
    return {
        f"{section.key}.{item.label}": (item.value, item.abnormal)
        for section in history_summary(history)
        for item in section.items
    }


def test_it_lists_only_the_sections_and_questions_that_were_answered() -> None:
    sections = history_summary({"footwear": {"lacing": "tight"}, "back": {}})

    assert [s.key for s in sections] == ["footwear"]
    assert [(i.label, i.value) for i in sections[0].items] == [("Lacing", "tight")]


def test_it_keeps_the_schemas_section_order_whatever_the_json_order() -> None:
    sections = history_summary({"prior_care": {"inserts": "helped"}, "symptoms": {"side": "right"}})

    assert [s.title for s in sections] == ["Symptoms", "Previous treatment"]


def test_it_speaks_clinical_language() -> None:
    items = _items(vignette("cauda-equina-red-flag"))

    assert items["back.Saddle anaesthesia"] == ("yes", True)
    assert items["back.Pain radiating below the knee"] == ("yes", True)
    assert items["symptoms.Timing"] == ("constant", True)
    assert items["symptoms.Area"] == ("sole", False)


def test_a_denied_red_flag_is_shown_as_no_and_not_abnormal() -> None:
    items = _items({"back": {"saddle_numbness": False}})

    assert items["back.Saddle anaesthesia"] == ("no", False)


def test_a_training_spike_is_shown_against_the_spec_thresholds() -> None:
    items = _items(vignette("marathon-build-up"))

    assert items["training.Weekly distance change"] == ("x1.67 (spike at >= 1.3)", True)
    assert items["training.Longest run change"] == ("x1.56 (spike at > 1.1)", True)
    assert items["footwear.Shoe fit"] == ("tight", True)


def test_exactly_at_the_weekly_threshold_is_a_spike_and_at_the_longest_run_one_is_not() -> None:
    items = _items(
        {
            "training": {
                "weekly_km_4_weeks_ago": 10,
                "weekly_km_now": 13,
                "longest_run_km_prior_30_days": 10,
                "longest_run_km_recent": 11,
            }
        }
    )

    assert items["training.Weekly distance change"][1] is True
    assert items["training.Longest run change"][1] is False


def test_half_a_pair_of_training_figures_gives_no_ratio() -> None:
    items = _items({"training": {"weekly_km_now": 40}})

    assert items == {"training.Weekly distance now": ("40 km", False)}


def test_a_field_it_does_not_know_is_shown_rather_than_hidden() -> None:
    items = _items({"symptoms": {"side": "left", "new_question": "some_answer"}})

    assert items["symptoms.New question"] == ("some answer", False)


def test_no_history_gives_no_sections() -> None:
    assert history_summary(None) == []
    assert history_summary({}) == []


def test_the_abnormal_count_of_a_section() -> None:
    sections = history_summary({"footwear": {"fit": "tight", "socks": "thick", "toe_box": "wide"}})

    assert sections[0].abnormal_count == 2
