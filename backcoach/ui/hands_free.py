"""Hands-free control: the keys a presentation clicker, a keyboard's media keys or a USB foot
pedal send, mapped to the three things a lifter needs from across the room.

Clickers send Page Down / Page Up for next / previous slide and B or the full stop for
"black screen"; media keys send Play/Pause, Next and Previous; a foot pedal sends whatever
key it is set to (Settings → Foot pedal key). The session screen asks `action_for` and does
the rest, so the mapping lives here once and the cheat sheet is written from it.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence


class HandsAction(StrEnum):
    NEXT = "next"  # done (work) · log it (log form) · start the next set (rest)
    BACK = "back"  # the previous phase (work) · 30 s more (rest)
    PAUSE = "pause"  # pause or resume the set or the rest


CLICKER_KEYS: dict[Qt.Key, HandsAction] = {
    Qt.Key.Key_PageDown: HandsAction.NEXT,
    Qt.Key.Key_PageUp: HandsAction.BACK,
    Qt.Key.Key_B: HandsAction.PAUSE,
    Qt.Key.Key_Period: HandsAction.PAUSE,
    Qt.Key.Key_MediaTogglePlayPause: HandsAction.PAUSE,
    Qt.Key.Key_MediaPlay: HandsAction.PAUSE,
    Qt.Key.Key_MediaPause: HandsAction.PAUSE,
    Qt.Key.Key_MediaNext: HandsAction.NEXT,
    Qt.Key.Key_MediaPrevious: HandsAction.BACK,
}


def key_from_name(name: str) -> Qt.Key | None:
    """The Qt key for a settings name such as "F13", "B" or "PgDown" (None for none)."""
    if not name:
        return None
    sequence = QKeySequence.fromString(name, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty():
        return None
    return sequence[0].key()  # type: ignore[index]  # QKeySequence has [] (its stubs miss __getitem__)


class HandsFree:
    """The keys in use for one session: the fixed clicker and media keys plus the pedal."""

    def __init__(self, pedal_key: str = "", pedal_action: str = HandsAction.NEXT):
        self.pedal_name = pedal_key
        self.pedal_key = key_from_name(pedal_key)
        self.pedal_action = HandsAction(pedal_action)

    def action_for(self, key: int) -> HandsAction | None:
        if self.pedal_key is not None and key == self.pedal_key:
            return self.pedal_action
        try:
            return CLICKER_KEYS.get(Qt.Key(key))
        except ValueError:
            return None

    def cheat_sheet(self) -> str:
        """One line for the bottom of the session screen."""
        words = {HandsAction.NEXT: "done / next", HandsAction.BACK: "back (+30 s in a rest)",
                 HandsAction.PAUSE: "pause"}
        text = (f"Clicker: PgDn {words[HandsAction.NEXT]} · PgUp {words[HandsAction.BACK]} · B or . "
                f"{words[HandsAction.PAUSE]} · media keys: play/pause, next, previous")
        if self.pedal_key is not None:
            text += f" · pedal ({self.pedal_name}): {words[self.pedal_action]}"
        return text
