"""Session support on the Qt side: audio cues and keeping the screen awake.

QtCues runs in a subprocess: QtMultimedia and QtTextToSpeech print warnings on a machine
without sound (this one), and Qt warnings fail an in-process test. Each script prints one
JSON line that the test checks. KeepAwake's Windows and macOS paths run here with ctypes and
subprocess replaced by fakes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from backcoach.ui import keep_awake
from backcoach.ui.cues import SOUND_NAMES, SOUNDS_DIR, Cues, spoken_words
from tests.helpers.cues import FakeCues
from backcoach.ui.keep_awake import ES_CONTINUOUS, ES_DISPLAY_REQUIRED, ES_SYSTEM_REQUIRED, KeepAwake

ROOT = Path(__file__).resolve().parents[3]

PRELUDE = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from backcoach.settings import Settings
from backcoach.ui.cues import QtCues, SOUND_NAMES

def spin(ms):
    QTimer.singleShot(ms, app.quit)
    app.exec()

class FakeEffect:
    # Stands in for a QSoundEffect on a working audio device.
    class Status:
        Loading, Ready, Error = 1, 2, 3
    def __init__(self, name, played):
        self.name, self.played, self.volume, self.muted = name, played, None, None
    def status(self):
        return self.Status.Ready
    def play(self):
        self.played.append(self.name)
    def setVolume(self, value):
        self.volume = value
    def setMuted(self, muted):
        self.muted = muted

class Recorder:
    # Wraps the real QTextToSpeech and notes what it was asked to say.
    def __init__(self, tts):
        self.__dict__.update(tts=tts, said=[])
    def say(self, text):
        self.said.append(text)
        self.tts.say(text)
    def __getattr__(self, name):
        return getattr(self.tts, name)

class WorkingSoundCues(QtCues):
    # QtCues as on a machine with sound: the effects are fakes that record what is played.
    def _load_sounds(self, sounds_dir):
        self.played = []
        self._effects = {n: FakeEffect(n, self.played) for n in SOUND_NAMES}
"""


def run_qt(script: str) -> tuple[dict, str]:
    """Run PRELUDE + script in a fresh offscreen interpreter; its last output line is JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", PRELUDE + textwrap.dedent(script)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


# --- FakeCues and the words ------------------------------------------------------------------
def test_fake_cues_record_every_call():
    cues = FakeCues()
    assert isinstance(cues, Cues) and cues.available and cues.problem is None
    cues.phase_changed("concentric", 1.0, 1, "left", "PULL")
    cues.countdown(3)
    cues.set_finished()
    assert cues.calls == [("phase_changed", "concentric", 1.0, 1, "left", "PULL"), ("countdown", 3), ("set_finished",)]
    assert FakeCues(available=False, problem="no audio").problem == "no audio"


@pytest.mark.parametrize("phase, seconds, words", [
    ("concentric", 1.0, "pull"), ("concentric-hold", 2.0, "squeeze"), ("eccentric", 3.0, "lower"),
    ("eccentric-hold", 2.0, "stretch"), ("pull", 1.0, None),
    ("hold", 30.0, "hold"), ("switch", 5.0, "switch sides"), ("get-ready", 5.0, "get ready"),
    ("rest", 90.0, "rest, 90 seconds"), ("rest", 89.6, "rest, 90 seconds"), ("rest", 120.0, "rest, 2 minutes"),
    ("rest", 150.0, "rest, 2 and a half minutes"), ("rest", 135.0, "rest, 135 seconds"), ("rest", 0.0, "rest"),
    ("done", 0.0, None),
])
def test_spoken_words(phase, seconds, words):
    assert spoken_words(phase, seconds) == words


def test_spoken_words_are_the_exercise_s_and_name_a_new_side():
    assert spoken_words("eccentric", 3.0, "DOWN") == "down"
    assert spoken_words("eccentric-hold", 3.0, "STEP UP") == "step up"
    assert spoken_words("concentric", 2.0, "REACH", new_side="right") == "right, reach"


def test_a_sound_for_every_cue():
    assert all((SOUNDS_DIR / f"{name}.wav").is_file() for name in SOUND_NAMES)


def test_the_modules_load_no_multimedia_until_used():
    code = ("import sys\nimport backcoach.ui.cues, backcoach.ui.keep_awake, backcoach.ui.settings_view\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6.QtMultimedia', "
            "'PySide6.QtTextToSpeech', 'PySide6.QtDBus'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# --- QtCues, in a subprocess -------------------------------------------------------------------
def test_qt_cues_on_this_machine_never_raise_and_say_why_they_are_silent():
    out, _ = run_qt("""
        settings = Settings(None)
        cues = QtCues(settings)
        found = []
        cues.problem_found.connect(found.append)
        immediate = cues.problem
        for _ in range(2):
            cues.phase_changed("concentric", 1.0, 1, None); cues.phase_changed("rest", 90.0, None, None)
            cues.countdown(3); cues.countdown(0); cues.set_finished()
            for key, value in [("sound_volume", 20), ("muted", True), ("muted", False), ("voice", False),
                               ("voice", True), ("voice_name", "Nobody")]:
                settings.set(key, value)
            spin(300)
        print(json.dumps({"available": cues.available, "problem": cues.problem, "immediate": immediate,
                          "found": found, "voices": cues.voices()}))
    """)
    problem = out["problem"]
    # No audio device here (no sound server): the tones are off and the reason is given at once.
    # Where sound works, at most the speech engine can be missing.
    if out["available"]:
        assert problem is None or "speech" in problem.lower()
    else:
        assert "audio" in problem.lower() and "screen" in problem
        assert out["immediate"] == problem
    assert out["found"] == ([problem] if problem else [])  # told once
    assert isinstance(out["voices"], list)


def test_qt_cues_notice_sounds_that_fail_to_load_and_stop_playing():
    # Pretend an output exists: here the effects then fail to load (no sound server), which
    # must be noticed, told once, and leave the cues silent.
    out, _ = run_qt("""
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        QMediaDevices.audioOutputs = staticmethod(lambda: ["a device"])
        played = []
        QSoundEffect.play = lambda self: played.append(self.source().fileName())
        cues = QtCues(Settings(None))
        found = []
        cues.problem_found.connect(found.append)
        spin(1500)
        before = list(played)
        cues.phase_changed("concentric", 1.0, 1, None); cues.countdown(2); cues.set_finished()
        spin(100)
        print(json.dumps({"available": cues.available, "problem": cues.problem, "found": found,
                          "played_after_error": played[len(before):], "effects": len(cues._effects)}))
    """)
    assert out["effects"] == len(SOUND_NAMES)  # every sound was preloaded
    if out["available"]:
        pytest.skip("the sounds loaded: this machine can play them")
    assert "audio device" in out["problem"] and out["found"] == [out["problem"]]
    assert out["played_after_error"] == []


def test_qt_cues_play_tones_say_words_and_follow_the_settings():
    out, _ = run_qt("""
        from PySide6.QtMultimedia import QtAudio
        settings = Settings(None)
        cues = WorkingSoundCues(settings, engine="mock")  # Qt's mock speech engine
        found = []
        cues.problem_found.connect(found.append)
        cues._tts = recorder = Recorder(cues._tts)
        voices = cues.voices()
        default_voice = recorder.voice().name()
        log = {}
        def step(name, *calls):
            cues.played.clear(); recorder.said.clear()
            for method, *args in calls:
                getattr(cues, method)(*args)
            log[name] = [list(cues.played), list(recorder.said)]

        step("pull", ("phase_changed", "concentric", 1.0, 1, None, "PULL"))
        step("left reach", ("phase_changed", "concentric", 2.0, 1, "left", "REACH"))
        step("left hold", ("phase_changed", "concentric-hold", 8.0, 1, "left", "HOLD"))
        step("right reach", ("phase_changed", "concentric", 2.0, 1, "right", "REACH"))
        step("rest", ("phase_changed", "rest", 90.0, None, None))
        step("switch", ("phase_changed", "switch", 5.0, None, "right"))
        step("countdown", ("countdown", 3), ("countdown", 2), ("countdown", 1), ("countdown", 0))
        step("finished", ("set_finished",))
        settings.set("sound_volume", 40)
        volumes = sorted({e.volume for e in cues._effects.values()})
        speech_volume = recorder.volume()
        settings.set("muted", True)
        muted_flags = sorted({e.muted for e in cues._effects.values()})
        step("muted", ("phase_changed", "eccentric", 3.0, 1, None, "LOWER"), ("countdown", 3), ("set_finished",))
        settings.set("muted", False)
        settings.set("voice", False)
        step("voice off", ("phase_changed", "eccentric", 3.0, 1, None, "LOWER"))
        problem_voice_off = cues.problem
        settings.set("voice", True)
        settings.set("voice_name", voices[-1])
        chosen = recorder.voice().name()
        settings.set("voice_name", "Nobody")
        fallback = recorder.voice().name()
        spin(200)
        print(json.dumps({
            "available": cues.available, "problem": cues.problem, "found": found, "voices": voices,
            "default_voice": default_voice, "chosen": chosen, "fallback": fallback, "log": log,
            "volumes": volumes, "speech_volume": speech_volume, "muted_flags": muted_flags,
            "expected_gain": QtAudio.convertVolume(0.4, QtAudio.VolumeScale.LogarithmicVolumeScale,
                                                   QtAudio.VolumeScale.LinearVolumeScale),
            "problem_voice_off": problem_voice_off,
        }))
    """)
    assert out["available"] and out["problem"] is None and out["found"] == []
    log = out["log"]
    assert log["pull"] == [["concentric"], ["pull"]]
    assert log["left reach"] == [["concentric"], ["left, reach"]]   # a new side is named once
    assert log["left hold"] == [["concentric-hold"], ["hold"]]
    assert log["right reach"] == [["concentric"], ["right, reach"]]
    assert log["rest"] == [["rest"], ["rest, 90 seconds"]]
    assert log["switch"] == [["switch"], ["switch sides"]]
    assert log["countdown"] == [["countdown-tick"] * 3 + ["countdown-go"], ["3", "2", "1"]]
    assert log["finished"] == [["set-finished"], []]
    assert log["muted"] == [[], []]
    assert log["voice off"] == [["eccentric"], []]  # the tone still plays
    assert out["volumes"] == [pytest.approx(out["expected_gain"])] and out["expected_gain"] < 0.4
    assert out["speech_volume"] == pytest.approx(0.4)
    assert out["muted_flags"] == [True]
    assert len(out["voices"]) >= 2
    assert out["chosen"] == out["voices"][-1] != out["default_voice"]
    assert out["fallback"] == out["default_voice"]  # an unknown name means the default voice
    assert out["problem_voice_off"] is None


def test_qt_cues_without_a_speech_engine_still_play_tones():
    out, _ = run_qt("""
        settings = Settings(None)
        cues = WorkingSoundCues(settings, engine="no-such-engine")
        found = []
        cues.problem_found.connect(found.append)
        cues.phase_changed("concentric", 1.0, 1, None)
        cues.countdown(3)
        spin(100)
        problem_voice_on = cues.problem
        settings.set("voice", False)
        print(json.dumps({"available": cues.available, "problem_voice_on": problem_voice_on,
                          "problem_voice_off": cues.problem, "found": found, "played": cues.played,
                          "voices": cues.voices()}))
    """)
    assert out["available"] and out["played"] == ["concentric", "countdown-tick"]
    assert "speech" in out["problem_voice_on"].lower() and out["found"] == [out["problem_voice_on"]]
    assert out["problem_voice_off"] is None  # spoken cues are off: nothing is missing
    assert out["voices"] == []


def test_qt_cues_with_spoken_cues_off_start_no_speech_engine():
    out, _ = run_qt("""
        settings = Settings(None)
        settings.set("voice", False)
        cues = WorkingSoundCues(settings, engine="mock")
        started_off = cues._tts is not None
        settings.set("voice", True)
        print(json.dumps({"started_off": started_off, "started_on": cues._tts is not None}))
    """)
    assert out == {"started_off": False, "started_on": True}


# --- KeepAwake ---------------------------------------------------------------------------------
def test_keep_awake_on_this_machine_is_harmless(qapp):
    awake = KeepAwake()
    assert awake.start() is awake.active
    if not awake.active:  # here: no D-Bus session bus
        assert awake.problem
        if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            assert "D-Bus" in awake.problem or "screensaver" in awake.problem
    awake.stop()
    awake.stop()
    assert not awake.active


class FakeDBus:
    """Just enough of PySide6.QtDBus for KeepAwake."""

    def __init__(self, connected=True, valid_paths=("/org/freedesktop/ScreenSaver",), inhibit_error=None):
        self.calls: list[tuple] = []
        fake = self

        class Reply:
            def __init__(self, error=None, arguments=()):
                self.error, self.args = error, list(arguments)

            def type(self):
                return "error" if self.error else "reply"

            def errorMessage(self):  # noqa: N802
                return self.error

            def errorName(self):  # noqa: N802
                return "org.example.Error"

            def arguments(self):
                return self.args

        class Interface:
            def __init__(self, service, path, interface, bus):
                self.path = path

            def isValid(self):  # noqa: N802
                return self.path in valid_paths

            def lastError(self):  # noqa: N802
                return SimpleNamespace(message=lambda: f"No such object path '{self.path}'")

            def call(self, method, *args):
                fake.calls.append((self.path, method, *args))
                if method == "Inhibit":
                    return Reply(inhibit_error) if inhibit_error else Reply(arguments=[42])
                return Reply()

        bus = SimpleNamespace(isConnected=lambda: connected,
                              lastError=lambda: SimpleNamespace(message=lambda: "no bus here"))
        self.QDBusConnection = SimpleNamespace(sessionBus=lambda: bus)
        self.QDBusInterface = Interface
        self.QDBusMessage = SimpleNamespace(MessageType=SimpleNamespace(ErrorMessage="error"))


def test_keep_awake_inhibits_the_screensaver_over_dbus(monkeypatch):
    dbus = FakeDBus()
    monkeypatch.setattr(keep_awake, "_qtdbus", lambda: dbus)
    awake = KeepAwake(platform="linux")
    assert awake.start() and awake.active and awake.problem is None
    awake.start()  # already active: no second Inhibit
    awake.stop()
    awake.stop()
    assert dbus.calls == [
        ("/org/freedesktop/ScreenSaver", "Inhibit", keep_awake.APP_NAME, keep_awake.REASON),
        ("/org/freedesktop/ScreenSaver", "UnInhibit", 42),
    ]
    assert not awake.active and awake.problem is None


def test_keep_awake_tries_the_other_screensaver_path(monkeypatch):
    dbus = FakeDBus(valid_paths=("/ScreenSaver",))
    monkeypatch.setattr(keep_awake, "_qtdbus", lambda: dbus)
    with KeepAwake(platform="linux") as awake:
        assert awake.active
    assert [c[:2] for c in dbus.calls] == [("/ScreenSaver", "Inhibit"), ("/ScreenSaver", "UnInhibit")]


@pytest.mark.parametrize("dbus, expected", [
    (FakeDBus(connected=False), "no D-Bus session bus (no bus here)"),
    (FakeDBus(valid_paths=()), "No such object path '/ScreenSaver'"),
    (FakeDBus(inhibit_error="Inhibit refused"), "Inhibit refused"),
], ids=["no-bus", "no-service", "refused"])
def test_keep_awake_without_a_screensaver_service_remembers_why(monkeypatch, dbus, expected):
    monkeypatch.setattr(keep_awake, "_qtdbus", lambda: dbus)
    awake = KeepAwake(platform="linux")
    assert awake.start() is False and not awake.active
    assert expected in awake.problem
    awake.stop()
    assert not any(c[1] == "UnInhibit" for c in dbus.calls)


class FakeKernel32:
    def __init__(self, result=1):
        self.flags: list[int] = []
        self.result = result
        kernel = self

        class SetThreadExecutionState:
            restype = argtypes = None

            def __call__(self, flags):
                kernel.flags.append(flags)
                return kernel.result

        self.SetThreadExecutionState = SetThreadExecutionState()


def test_keep_awake_on_windows_sets_and_resets_the_execution_state(monkeypatch):
    import ctypes

    kernel32 = FakeKernel32()
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    with KeepAwake(platform="win32") as awake:
        assert awake.active and awake.problem is None
    assert kernel32.flags == [ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED, ES_CONTINUOUS]
    assert not awake.active


def test_keep_awake_on_windows_reports_a_refusal(monkeypatch):
    import ctypes

    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=FakeKernel32(result=0)), raising=False)
    awake = KeepAwake(platform="win32")
    assert not awake.start() and "SetThreadExecutionState" in awake.problem


def test_keep_awake_never_raises_even_when_the_platform_call_is_missing(monkeypatch):
    import ctypes

    monkeypatch.delattr(ctypes, "windll", raising=False)  # as on Linux
    awake = KeepAwake(platform="win32")
    assert not awake.start() and awake.problem
    assert KeepAwake(platform="plan9").start() is False


class FakeProcess:
    instances: list[FakeProcess] = []
    fail_with: OSError | None = None
    stubborn = False

    def __init__(self, args, **kwargs):
        if FakeProcess.fail_with:
            raise FakeProcess.fail_with
        self.args, self.events, self.running = args, [], True
        FakeProcess.instances.append(self)

    def poll(self):
        return None if self.running else 0

    def terminate(self):
        self.events.append("terminate")
        self.running = self.stubborn

    def kill(self):
        self.events.append("kill")
        self.running = False

    def wait(self, timeout=None):
        if self.running:
            raise subprocess.TimeoutExpired(self.args, timeout)
        self.events.append("wait")
        return 0


@pytest.fixture
def fake_popen(monkeypatch):
    monkeypatch.setattr(FakeProcess, "instances", [])
    monkeypatch.setattr(keep_awake.subprocess, "Popen", FakeProcess)
    return FakeProcess


def test_keep_awake_on_macos_runs_caffeinate_until_stopped(fake_popen):
    awake = KeepAwake(platform="darwin")
    assert awake.start() and awake.start()
    assert len(fake_popen.instances) == 1
    process = fake_popen.instances[0]
    assert process.args == ["caffeinate", "-d", "-w", str(os.getpid())]
    awake.stop()
    awake.stop()
    assert process.events == ["terminate", "wait"] and not awake.active


def test_keep_awake_on_macos_kills_a_caffeinate_that_lingers(fake_popen, monkeypatch):
    monkeypatch.setattr(FakeProcess, "stubborn", True)
    with KeepAwake(platform="darwin"):
        pass
    assert fake_popen.instances[0].events == ["terminate", "kill", "wait"]


def test_keep_awake_on_macos_without_caffeinate(fake_popen, monkeypatch):
    monkeypatch.setattr(FakeProcess, "fail_with", FileNotFoundError(2, "No such file", "caffeinate"))
    awake = KeepAwake(platform="darwin")
    assert not awake.start() and "caffeinate" in awake.problem
    awake.stop()
