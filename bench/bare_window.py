"""The reference for the start-up benchmark: a bare PySide6 window painted once into a PNG.

Does what `backcoach screenshot library OUT.png` does, minus BackCoach: start Qt, build a
main window, paint it once, save the PNG, exit.
"""

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow  # noqa: E402


def main(out: str) -> int:
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    window = QMainWindow()
    window.setCentralWidget(QLabel("Hello"))
    window.resize(1366, 768)
    window.show()
    for _ in range(5):
        app.processEvents()
    if os.environ.get("BACKCOACH_PRINT_FIRST_PAINT"):
        print(f"first-paint {time.monotonic():.6f}", flush=True)
    return 0 if window.grab().save(out, "PNG") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
