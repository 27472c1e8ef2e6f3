"""One Chinese label table for the tasks library: every module's table is the one in tasks.labels,
and every code the library stores has words there."""

from __future__ import annotations

from tasks import labels
from tasks.accounts import audit, roles
from tasks.graph import build, readable
from tasks.notify import model as notify_model
from tasks.progress import lifecycle, rules, template, wording
from tasks.store import periods


def test_module_tables_are_the_shared_ones():
    assert rules.STATUS_NAMES is labels.STATUS is wording.STATUS_NAMES is readable.STATUS_WORDS
    assert rules.METRIC_NAMES is labels.METRIC is wording.METRIC_NAMES
    assert lifecycle.STATE_NAMES is labels.LIFECYCLE_STATE and lifecycle.KIND_NAMES is labels.LIFECYCLE_EVENT
    assert template.ROLE_NAMES is labels.UNIT_ROLE is build.ROLE_WORDS
    assert roles.ROLE_NAMES is labels.USER_ROLE and audit.ACTION_LABELS is labels.AUDIT_ACTION
    assert periods.KIND_NAMES is labels.PERIOD_KIND and periods.CYCLE_NAMES is labels.CYCLE
    assert notify_model.CHANNEL_NAMES is labels.NOTIFY_CHANNEL and notify_model.STATUS_NAMES is labels.DELIVERY_STATUS


def test_every_stored_code_has_chinese_words():
    assert set(rules.STATUSES) == set(labels.STATUS)
    assert set(rules.METRICS) == set(labels.METRIC)
    assert set(lifecycle.STATES) == set(labels.LIFECYCLE_STATE)
    assert set(roles.ROLES) == set(labels.USER_ROLE)
    assert set(notify_model.CHANNELS) == set(labels.NOTIFY_CHANNEL)
    assert set(notify_model.STATUSES) == set(labels.DELIVERY_STATUS)
    for table in (labels.STATUS, labels.LIFECYCLE_STATE, labels.LIFECYCLE_EVENT, labels.USER_ROLE):
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in words) for words in table.values())


def test_done_reads_the_same_everywhere():
    """Status "done" is 已办结 in every view (it used to be 已完成 in card wording and the graph)."""
    assert labels.label(labels.STATUS, "done") == "已办结"
    assert wording.condition_phrase("status", "==", "done") == "状态为已办结"


def test_label_never_shows_none():
    assert labels.label(labels.STATUS, None) == labels.EMPTY == "—"
    assert labels.label(labels.LIFECYCLE_STATE, "") == "—"
    assert labels.label(labels.AUDIT_ACTION, "new_action") == "new_action"
