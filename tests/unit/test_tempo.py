import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.movement import Movement, SegmentKind, Start
from backcoach.tempo import DEFAULT_TEMPO, EXPLOSIVE, Tempo, TempoError


def test_default_is_the_articles_tempo():
    # Smooth pull, 2 s squeeze, slow 3 s lowering, 2 s pause.
    assert DEFAULT_TEMPO == Tempo(eccentric=3, pause_stretched=2, concentric=1, pause_contracted=2)
    assert str(DEFAULT_TEMPO) == "3-2-1-2"


def test_phases_run_in_the_order_a_pull_is_performed():
    assert DEFAULT_TEMPO.rep_parts() == [("concentric", 1.0), ("concentric-hold", 2.0), ("eccentric", 3.0),
                                         ("eccentric-hold", 2.0)]
    assert DEFAULT_TEMPO.rep_seconds() == 8.0


def test_an_eccentric_first_movement_plays_the_notation_in_its_written_order():
    squat = Movement(start=Start.ECCENTRIC, words={SegmentKind.ECCENTRIC: "DOWN", SegmentKind.CONCENTRIC: "STAND",
                                                   SegmentKind.ECCENTRIC_HOLD: "HOLD", SegmentKind.CONCENTRIC_HOLD: "TOP"})
    assert Tempo.parse("3-2-1-1").rep_parts(squat) == [("eccentric", 3.0), ("eccentric-hold", 2.0),
                                                        ("concentric", 1.0), ("concentric-hold", 1.0)]
    assert Tempo.parse("3-2-1-1").describe(squat) == "Down 3 s, hold 2 s, stand 1 s, top 1 s"
    negative = Movement(start=Start.ECCENTRIC, explosive_seconds=0)
    assert Tempo.parse("5-3-X-2").rep_parts(negative) == [("eccentric", 5.0), ("eccentric-hold", 3.0),
                                                          ("concentric-hold", 2.0)]


def test_explosive_pull_and_zero_pauses():
    tempo = Tempo.parse("2-0-X-1")
    assert tempo.concentric is EXPLOSIVE
    assert tempo.rep_parts(explosive_seconds=0.5) == [("concentric", 0.5), ("concentric-hold", 1.0),
                                                      ("eccentric", 2.0)]
    assert str(tempo) == "2-0-X-1"
    assert tempo.describe() == "Pull explosively, squeeze 1 s, lower 2 s"


@pytest.mark.parametrize("text", ["3 2 1 2", " 3-2-1-2 ", "3:2:1:2", "3/2/1/2"])
def test_common_separators(text):
    assert Tempo.parse(text) == DEFAULT_TEMPO


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "four parts"),
        ("3-2-1", "four parts"),
        ("3-2-1-2-1", "four parts"),
        ("3-a-1-2", "'a' is not a number"),
        ("3--1-2", "four parts"),
        ("3-2-1-99", "'99' is not a number"),
        ("X-2-1-2", "only the pull can be X, not the lowering"),
        ("3-2-1-X", "not the squeeze"),
        ("-1-2-1-2", "four parts"),
    ],
)
def test_bad_tempo_has_a_clear_message(text, message):
    with pytest.raises(TempoError, match=message):
        Tempo.parse(text)


def test_non_text_is_refused():
    with pytest.raises(TempoError, match="must be text"):
        Tempo.parse(3212)  # type: ignore[arg-type]  # a wrong type on purpose: the message is what is tested


@given(st.text(max_size=30))
def test_any_text_parses_or_raises_tempo_error(text):
    try:
        tempo = Tempo.parse(text)
    except TempoError:
        return
    assert Tempo.parse(str(tempo)) == tempo


@pytest.mark.parametrize("seconds", [60, 61, 65, 69, 70])
def test_a_part_may_last_up_to_sixty_seconds(seconds):
    """The limit is 60 s, to the second (61–69 once slipped through a two-digit pattern)."""
    text = f"3-{seconds}-1-2"
    if seconds <= 60:
        assert str(Tempo.parse(text)) == text
    else:
        with pytest.raises(TempoError, match=f"'{seconds}' is not a number of seconds"):
            Tempo.parse(text)
