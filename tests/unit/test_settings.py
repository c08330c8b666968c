import pytest

from backcoach.settings import BY_KEY, SETTINGS, Settings
from backcoach.store import Store


def test_every_setting_has_a_valid_default_and_a_description():
    for s in SETTINGS:
        assert s.check(s.default) == s.default
        assert s.label and s.description.endswith(".")
    assert len(BY_KEY) == len(SETTINGS)


def test_set_saves_and_announces(tmp_path):
    with Store.open(tmp_path / "d") as store:
        settings = Settings(store)
        heard = []
        settings.on_change(lambda key, value: heard.append((key, value)))
        settings.set("units", "lb")
        settings.set("units", "lb")  # no change, no announcement
        assert heard == [("units", "lb")]
    with Store.open(tmp_path / "d") as store:
        assert Settings(store)["units"] == "lb"


@pytest.mark.parametrize(("key", "value", "words"), [
    ("units", "stone", "not one of"), ("get_ready_seconds", -1, "at least 0"), ("sound_volume", 101, "at most 100"),
    ("muted", "yes", "expected bool"), ("default_rest_seconds", True, "expected int"), ("default_tempo", "3-2", "four parts"),
])
def test_bad_values_are_refused(tmp_path, key, value, words):
    with Store.open(tmp_path / "d") as store:
        settings = Settings(store)
        with pytest.raises(ValueError, match=words):
            settings.set(key, value)
        assert settings.get(key) == BY_KEY[key].default
        assert store.settings() == {}


def test_a_bad_saved_value_falls_back_to_the_default(tmp_path):
    with Store.open(tmp_path / "d") as store:
        store.save_settings({"units": "furlongs", "level": "advanced"})
        settings = Settings(store)
        assert settings["units"] == "kg" and settings["level"] == "advanced"
        assert settings.ignored and "furlongs" in settings.ignored[0]
