"""The training numbers BackCoach coaches by, each written once.

Guidance (`backcoach.guidance`), progression (`backcoach.progression`), the routine checks
(`backcoach.routines`, `backcoach.routine_io`), the shipped templates (`backcoach.templates`),
analytics and the settings' descriptions all read these names, so a number changes in one
place and every screen and rule agrees. Pure Python, no Qt.

Sources, in our words: back sessions a week by level follow the articles the library is built
on (beginners one or two, intermediate lifters up to three, advanced lifters four or five;
ACSM puts novices at two or three full-body days, so one session over the range is only a
tip). Weekly and per-session hard sets follow common hypertrophy guidance (about 10–20 hard
sets per muscle a week; past roughly 10 in one session the extra sets are mostly junk
volume). Load steps, RPE and the Epley estimate are conventional strength-coaching practice
(NSCA).
"""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """The lifter's training level, as the settings and the templates name it."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


LEVELS: tuple[Level, ...] = tuple(Level)
LEVEL_RANK: dict[str, int] = {level.value: rank for rank, level in enumerate(LEVELS)}

# --- how often the back is trained -------------------------------------------------------

SESSIONS_PER_WEEK_BY_LEVEL: dict[str, tuple[int, int]] = {
    Level.BEGINNER: (1, 2),
    Level.INTERMEDIATE: (1, 3),
    Level.ADVANCED: (4, 5),
}
"""Back sessions a week that suit each level. Fewer than the range is a choice, not a
mistake, so only going above the top is flagged."""

SESSIONS_RANGE_TEXT: dict[str, str] = {
    Level.BEGINNER: "one or two",
    Level.INTERMEDIATE: "up to three",
    Level.ADVANCED: "four or five",
}

SESSIONS_ABOVE_LEVEL_TIP = 1
"""Sessions above the level's range that earn only a tip; more than this is a warning."""

BACK_EVERY_DAY_SESSIONS = 6
"""From six back sessions a week on, the back gets at most one rest day: beyond the level's
tip, that is the warning's reason."""

DEFAULT_SESSIONS_PER_WEEK: dict[str, int] = {
    Level.BEGINNER: 2,
    Level.INTERMEDIATE: 3,
    Level.ADVANCED: 4,
}
"""What a new, empty routine starts with: inside the level's range (the lower end for
advanced lifters, who add the fifth day once four are recovering well)."""


def max_sessions_per_week(level: str) -> int:
    """The top of the level's range of back sessions a week."""
    return SESSIONS_PER_WEEK_BY_LEVEL[level][1]


def frequency_text() -> str:
    """'beginners 1–2 times a week, intermediates up to 3, advanced lifters 4–5' for settings."""
    b = SESSIONS_PER_WEEK_BY_LEVEL[Level.BEGINNER]
    i = SESSIONS_PER_WEEK_BY_LEVEL[Level.INTERMEDIATE]
    a = SESSIONS_PER_WEEK_BY_LEVEL[Level.ADVANCED]
    return (f"beginners {b[0]}–{b[1]} times a week, intermediates up to {i[1]}, "
            f"advanced lifters {a[0]}–{a[1]}")


# --- hard sets -----------------------------------------------------------------------------

WEEKLY_SETS_FLOOR = 4.0
"""Planned hard sets a week below which a major back muscle gets a warning: about what it
takes to keep a muscle, not to grow it."""

WEEKLY_SETS_TYPICAL = (10, 20)
"""The usual weekly range of hard sets per muscle for growth."""

WEEKLY_SETS_TIP = 25.0
"""From this many planned hard sets a week on one muscle, a tip: extra sets mostly add fatigue."""

WEEKLY_SETS_WARNING = 30.0
"""Above this many planned hard sets a week on one muscle, a warning."""

SESSION_SETS_TIP = 10.0
"""More hard sets than this for one muscle in one session earns a tip to spread them out."""

PRIMARY_SET_SHARE = 1.0
SECONDARY_SET_SHARE = 0.5
"""How a set counts toward a muscle: fully for a primary muscle, half for a secondary one."""

SIDED_SET_SHARE = 0.5
"""A one-side set (left or right logged apart) counts half: the two sides make one set."""

# --- loads, effort and progression ------------------------------------------------------------

TARGET_RPE = 9.0
"""The hardest the first (or the average) work set may feel for the next session to add
load: at RPE 9 one rep was left in reserve; at 10 there was none."""

DEFAULT_INCREMENT_KG = 2.5
"""The load step when neither the item nor the exercise names one: the smallest jump a
standard barbell with 1.25 kg plates allows."""

MAX_INCREMENT_KG = 20.0
"""The largest load step an exercise entry may declare."""

LB_STEP = 5.0
"""In pounds, loads move in 5 lb steps (two 2.5 lb plates) and land on multiples of 5 lb."""

DELOAD_FACTOR = 0.9
"""A deload takes about 10 % off."""

SLOW_ECCENTRIC_SECONDS = 5
MAX_ECCENTRIC_SECONDS = 6
"""Body-weight exercises get a one-second slower lowering while it is under 5 s (never
beyond 6 s); slower than that turns a strength set into an endurance test."""

NEGATIVE_LOWERING_SECONDS = (8, 10)
"""A negative progresses by a longer lowering, one second at a time, up to 8–10 s; at 10 s
the full exercise is the next step."""

NEGATIVE_MAX_REPS = 5
"""Negatives stay near five reps: past that fatigue, not strength, ends the set."""

HOLD_STEP_SECONDS = 5
HOLD_GROWTH = 0.10
"""Timed holds grow by 5 s or 10 %, whichever is more (never by load)."""

REP_HOLD_STEP_SECONDS = 2
REP_HOLD_MAX_SECONDS = 10
"""Exercises with a hold inside every rep (bird dog, mobility drills) progress by holding
the end position 2 s longer, up to 10 s; never by load."""

MAX_WARMUP_SETS = 5
"""Lighter sets before the work sets, at most."""

# --- templates ---------------------------------------------------------------------------------

BEGINNER_TEMPLATE_SETS = (2, 3)
"""Work sets per exercise in a beginner template."""

HEAVY_HINGE_MAX_REPS = 8
HEAVY_HINGE_REST_SECONDS = (120, 180)
"""Loaded hinge work of 8 reps or fewer rests 2–3 minutes."""

# --- estimates -------------------------------------------------------------------------------

EPLEY_REPS_DIVISOR = 30.0
"""Estimated one-rep max by Epley: load × (1 + reps / 30)."""


def epley(load_kg: float, reps: int) -> float:
    """Epley's estimate for a set with a load and at least one rep; one rep is the load
    itself (the formula would add 3 %). `analytics.epley_1rm` handles sets without either."""
    return float(load_kg) if reps == 1 else load_kg * (1.0 + reps / EPLEY_REPS_DIVISOR)

# Exercises that lift the whole body: on the bar (pull-ups, chin-ups and their weighted,
# assisted and negative forms) the load moved is body weight + added load - assistance.
# Rows, hinges and floor work move only part of it, so they keep their logged load.
BODY_WEIGHT_EQUIPMENT = frozenset({"pull-up-bar"})
