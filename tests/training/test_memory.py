"""The memory model: deterministic for a given history, a miss makes a behaviour due sooner and
less likely to be recalled than a keep, and the rules a certificate promises are held to a
higher retention than soft skills."""

from datetime import UTC, datetime, timedelta

from training.memory import LATE, OWN_WORDS, memory_of

T0 = datetime(2026, 9, 1, 10, tzinfo=UTC)


def test_the_same_history_gives_the_same_schedule():
    history = [(T0, True), (T0 + timedelta(days=3), False), (T0 + timedelta(days=9), True)]
    now = T0 + timedelta(days=20)
    assert memory_of(history, kind="disclosure", now=now) == memory_of(
        list(reversed(history)), kind="disclosure", now=now
    )


def test_a_miss_is_due_sooner_and_remembered_worse_than_a_keep():
    now = T0 + timedelta(days=10)
    kept = memory_of([(T0, True), (T0 + timedelta(days=2), True)], kind="action", now=now)
    missed = memory_of([(T0, True), (T0 + timedelta(days=2), False)], kind="action", now=now)
    assert missed.due < kept.due
    assert missed.retrievability < kept.retrievability


def test_rules_are_held_to_a_higher_retention_than_rapport():
    history = [(T0, True), (T0 + timedelta(days=4), True)]
    rule = memory_of(history, kind="violation", now=T0)
    soft = memory_of(history, kind="rapport", now=T0)
    assert rule.due < soft.due  # practised again sooner


def test_no_history_no_memory():
    assert memory_of([], kind="action", now=T0) is None


def test_a_rule_produced_in_ones_own_words_is_due_later_than_one_picked_from_a_menu():
    picked = memory_of([(T0, True)], kind="disclosure", now=T0)
    typed = memory_of([(T0, OWN_WORDS)], kind="disclosure", now=T0)
    assert typed.due > picked.due


def test_a_rule_done_late_is_due_sooner_than_one_kept_and_later_than_one_missed():
    kept = memory_of([(T0, True)], kind="action", now=T0)
    late = memory_of([(T0, LATE)], kind="action", now=T0)
    missed = memory_of([(T0, False)], kind="action", now=T0)
    assert missed.due < late.due < kept.due
