"""The training numbers have one home (`backcoach.rules`): their values, and that the modules
that used to write their own copies now read them from there."""

from __future__ import annotations

import re
from pathlib import Path

import backcoach
from backcoach import analytics, progression, rules, templates
from backcoach.settings import BY_KEY

PACKAGE = Path(backcoach.__file__).parent


def test_level_frequencies_follow_the_articles():
    assert rules.SESSIONS_PER_WEEK_BY_LEVEL == {"beginner": (1, 2), "intermediate": (1, 3), "advanced": (4, 5)}
    assert [rules.max_sessions_per_week(level) for level in rules.LEVELS] == [2, 3, 5]
    for level, default in rules.DEFAULT_SESSIONS_PER_WEEK.items():
        low, high = rules.SESSIONS_PER_WEEK_BY_LEVEL[level]
        assert low <= default <= high, level


def test_the_settings_describe_the_same_frequencies():
    assert rules.frequency_text() in BY_KEY["level"].description
    assert "beginners 1–2 times a week, intermediates up to 3, advanced lifters 4–5" == rules.frequency_text()


def test_set_thresholds_keep_their_order():
    low, high = rules.WEEKLY_SETS_TYPICAL
    assert rules.WEEKLY_SETS_FLOOR < low < high < rules.WEEKLY_SETS_TIP < rules.WEEKLY_SETS_WARNING
    assert (rules.WEEKLY_SETS_TIP, rules.WEEKLY_SETS_WARNING, rules.SESSION_SETS_TIP) == (25, 30, 10)


def test_progression_and_analytics_read_the_numbers_from_rules():
    assert progression.TARGET_RPE is rules.TARGET_RPE
    assert progression.DEFAULT_INCREMENT_KG is rules.DEFAULT_INCREMENT_KG
    assert analytics.PRIMARY_SET_SHARE is rules.PRIMARY_SET_SHARE
    assert templates.HEAVY_HINGE_MAX_REPS is rules.HEAVY_HINGE_MAX_REPS
    assert analytics.epley_1rm(100, 10) == 100 * (1 + 10 / rules.EPLEY_REPS_DIVISOR)


def test_no_other_module_writes_its_own_level_frequencies():
    pattern = re.compile(r'"(beginner|intermediate|advanced)"\s*:\s*\(?\d')
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                 if p.name != "rules.py" and pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
