"""A private PulseAudio server with a null sink, for the cue benchmark and the audio tests.

It runs in a folder of its own with its own socket, so it never touches a user's sound
server, and it is stopped (by its process id) when the `with` block ends. `available()` says
whether the programs are installed (scripts/audio-tools.sh installs them).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

RATE = 44_100


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pulseaudio", "pactl"))


class PrivatePulse:
    """A PulseAudio server of our own with a null sink named `bench`, in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.env = {**os.environ, "PULSE_SERVER": f"unix:{folder}/native", "PULSE_RUNTIME_PATH": str(folder),
                    "PULSE_STATE_PATH": str(folder), "HOME": str(folder), "XDG_RUNTIME_DIR": str(folder),
                    "QT_QPA_PLATFORM": "offscreen"}
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> PrivatePulse:
        self._log = log = open(self.folder / "pulse.log", "w")
        self.proc = subprocess.Popen(
            ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--use-pid-file=no", "--log-level=error",
             "-L", f"module-native-protocol-unix socket={self.folder}/native auth-anonymous=1",
             "-L", f"module-null-sink sink_name=bench rate={RATE}",
             "-L", "module-always-sink"], env=self.env, stdout=log, stderr=log)
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0:
                return self
            try:
                self.proc.wait(0.05)  # waits a little, and notices a server that gave up
                break
            except subprocess.TimeoutExpired:
                pass
        self.__exit__()
        raise RuntimeError(f"the private PulseAudio did not start: {(self.folder / 'pulse.log').read_text()[-300:]}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "_log", None) is not None:
            self._log.close()


