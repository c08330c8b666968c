"""The main window: navigation on the left, one area at a time on the right.

Areas other than the Library are built the first time they are opened, so start-up pays
only for what the user sees first (History, for instance, loads years of data and charts).
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QFont, QGuiApplication, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from backcoach import __version__

from backcoach.library import Library
from backcoach.pauses import short_gil_turns
from backcoach.ui.library_view import LibraryView

if TYPE_CHECKING:  # the store (TinyDB) loads only when there is one; the areas when first opened
    from backcoach.settings import Settings
    from backcoach.store import Change, Store
    from backcoach.ui.history_view import HistoryView
    from backcoach.ui.routines_view import RoutinesView
    from backcoach.ui.session_area import SessionArea
    from backcoach.ui.welcome import WelcomePage
from backcoach.ui.theme import current_theme

Area = TypeVar("Area", bound=QWidget)

# Areas a lifter may open during a session, whose code is loaded when the session starts.
SESSION_PRELOAD = ("backcoach.ui.history_view",)


@dataclass(frozen=True)
class WindowServices:
    """What the window takes from the world outside it, passed in when it is made: the app
    uses the defaults; tests pass fakes (tests/helpers/windows.py), screenshots silent cues
    and a stepped clock."""

    cues_factory: Callable[[], Any] | None = None  # None: MixerCues (real sound), made on the first start
    notifier_factory: Callable[[], Any] | None = None  # None: the tray icon (TrayNotifier)
    session_clock: Callable[[], float] | None = None  # None: time.monotonic
    session_realtime: bool = True  # False: a fake clock drives the session; no full screen
    history_in_background: bool = True  # History's figures on a worker thread (False: at once)


class MainWindow(QMainWindow):
    """Holds the app's areas; each is a page of the stack with an entry in the nav list."""

    def __init__(self, library: Library, store: Store | None = None, services: WindowServices | None = None):
        super().__init__()
        self.services = services or WindowServices()
        # The user's complete custom exercises join the shipped ones (a copy: the caller's stays as it is).
        self.library = library.with_custom(store.custom_exercises().values()) if store is not None else library
        library = self.library
        self.store = store
        self.setWindowTitle("BackCoach")
        self.resize(1366, 768)  # open_sized_to_screen() fits it to the screen when the app starts
        # Small enough for a maximised 1024×600 netbook screen with a title bar and a panel.
        self.setMinimumSize(QSize(800, 480))
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._pages: dict[str, QWidget] = {}

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = self._make_banner()
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        outer.addLayout(body, 1)
        self.nav = QListWidget()
        self.nav.setFixedWidth(168)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setSpacing(3)
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setWeight(QFont.Weight.DemiBold)
        self.nav.setFont(font)
        self.nav.setAutoFillBackground(True)
        self.nav.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.stack = QStackedWidget()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.settings: Settings | None = None
        if store is not None:
            from backcoach.settings import Settings

            self.settings = Settings(store)
            self.settings.on_change(self._setting_changed)
            from backcoach.ui.store_changes import StoreChanges

            # The one change path: every store operation reports what it changed, and each
            # open area refreshes for what concerns it (see _store_changed).
            self.store_changes = StoreChanges(store, self)
            self.store_changes.changed.connect(self._store_changed)
            if self.settings["theme"] != "system":
                self._apply_theme(self.settings["theme"])
        writable = store is not None and not store.read_only
        self.library_view = LibraryView(library, can_add_to_routine=writable, can_start=writable)
        if self.settings is not None:
            self.library_view.set_unit(self.settings["units"])
        self.library_view.add_to_routine_requested.connect(self.add_to_routine)
        self.add_area("library", "Library", lambda: self.library_view)
        self.library_view.start_now_requested.connect(self.start_exercise)
        self.library_view.custom_exercises_requested.connect(self.show_custom_exercises)
        if store is not None:
            self.add_area("session", "Session", self._make_session)
            self.add_area("routines", "Routines", self._make_routines)
            self.add_area("history", "History", self._make_history)
            self.add_area("settings", "Settings", self._make_settings)
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        for row in range(self.nav.count()):  # Ctrl+1 … Ctrl+5, in the order of the list
            key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
            shortcut = QShortcut(QKeySequence(f"Ctrl+{row + 1}"), self)
            shortcut.activated.connect(lambda key=key: self.show_area(key))
            self.nav.item(row).setToolTip(f"Ctrl+{row + 1}")
        self.welcome: WelcomePage | None = None
        if store is not None and not store.read_only and self._is_first_start():
            self._show_welcome()
        self.statusBar().showMessage(f"BackCoach {__version__} · {len(library)} exercises")
        if store is not None and store.locked_elsewhere:
            holder = f" (process {store.lock_holder})" if store.lock_holder else ""
            self.show_banner(f"BackCoach is already running with this data folder{holder}. "
                             "This window is read-only: you can look, but changes are not saved.")

    def open_sized_to_screen(self) -> None:
        """Show the window as large as the screen allows: maximised on small screens, where
        a fixed size would hide the status bar and the right-hand buttons, and a roomy
        1366×768 (or less) on large ones."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
        if available.width() <= 1440 or available.height() <= 860:
            self.showMaximized()
            return
        size = QSize(min(1366, available.width() - 80), min(768, available.height() - 80))
        self.resize(size)
        frame = QRect(QPoint(0, 0), size)
        frame.moveCenter(available.center())
        self.move(frame.topLeft())
        self.show()

    # --- areas ------------------------------------------------------------------------
    def add_area(self, key: str, title: str, factory: Callable[[], QWidget]) -> None:
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setSizeHint(QSize(150, 44))
        self.nav.addItem(item)
        self._factories[key] = factory
        placeholder = QWidget()
        self.stack.addWidget(placeholder)

    def page(self, key: str) -> QWidget:
        """The area's widget, built on first use."""
        page = self._pages.get(key)
        if page is None:
            row = list(self._factories).index(key)
            page = self._factories[key]()
            old = self.stack.widget(row)
            assert old is not None  # add_area put a placeholder at this row
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self._pages[key] = page
        return page

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        key = self.nav.item(row).data(Qt.ItemDataRole.UserRole)
        self.page(key)
        self.stack.setCurrentIndex(row)

    def show_area(self, key: str) -> QWidget:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.nav.setCurrentRow(row)
                return self.page(key)
        raise KeyError(key)

    def _area(self, key: str, kind: type[Area], show: bool = True) -> Area:
        """The area's page as what it is (shown first unless `show` is False)."""
        page = self.show_area(key) if show else self.page(key)
        assert isinstance(page, kind), key  # each area's factory makes its own kind of page
        return page

    def _routines(self, show: bool = True) -> RoutinesView:
        from backcoach.ui.routines_view import RoutinesView

        return self._area("routines", RoutinesView, show)

    def _history(self, show: bool = True) -> HistoryView:
        from backcoach.ui.history_view import HistoryView

        return self._area("history", HistoryView, show)

    def _saved(self) -> tuple[Store, Settings]:
        """The store and its settings, for what exists only with a store (the Session,
        Routines, History and Settings areas; adding to a routine; your own exercises)."""
        assert self.store is not None and self.settings is not None  # made together in __init__
        return self.store, self.settings

    def current_area(self) -> str:
        return self.nav.currentItem().data(Qt.ItemDataRole.UserRole)

    # --- the first start ------------------------------------------------------------------
    def _is_first_start(self) -> bool:
        from backcoach.routines import RoutineBook

        store, _settings = self._saved()
        # History last: the others are in the main file, and it may read a year file.
        return (not RoutineBook(store).all() and store.unfinished_session() is None
                and not store.has_history())

    def _show_welcome(self) -> None:
        """Three ways to begin, where the Library would show an exercise nobody asked for;
        picking an exercise in the list replaces it."""
        from backcoach.ui.welcome import WelcomePage

        welcome = self.welcome = WelcomePage()
        welcome.template_requested.connect(self._welcome_template)
        welcome.import_requested.connect(self._welcome_import)
        welcome.library_requested.connect(self.library_view.show_first_exercise)
        self.library_view.show_instead_of_exercise(welcome)

    def _welcome_template(self) -> None:
        routines = self._routines()
        if routines.create_from_template() is None:  # cancelled: back to the choices
            self.show_area("library")

    def _welcome_import(self, button: QPushButton) -> None:
        from backcoach.ui.history_view import IMPORT_CHOICES

        menu = QMenu(self)
        for kind, label in IMPORT_CHOICES:
            menu.addAction(label).setData(kind)
        chosen = menu.exec(button.mapToGlobal(button.rect().bottomLeft()))
        if chosen is not None:
            self._history().import_from(chosen.data())

    def _make_routines(self) -> QWidget:
        from backcoach.ui.routines_view import RoutinesView

        store, settings = self._saved()
        view = RoutinesView(self.library, store, settings)
        view.message_posted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        view.start_requested.connect(self.start_routine)
        return view

    def _apply_theme(self, name: str) -> None:
        from PySide6.QtWidgets import QApplication

        from backcoach.ui.theme import apply_theme, system_theme_name, theme_by_name

        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a window exists only in a widgets application
        apply_theme(app, theme_by_name(system_theme_name() if name == "system" else name))

    def _setting_changed(self, key: str, value) -> None:
        """Settings take effect at once in every area already open."""
        if key == "theme":
            self._apply_theme(value)
        elif key == "units":
            self.library_view.set_unit(value)
            if "history" in self._pages:  # (areas not open yet show the unit when made)
                self._history(show=False).refresh()
            if "routines" in self._pages:
                self._routines(show=False).refresh_list()

    # --- sessions -----------------------------------------------------------------------
    def _make_session(self) -> QWidget:
        from backcoach.ui.session_area import SessionArea

        services = self.services
        factory = services.cues_factory or self._real_cues
        kwargs: dict[str, Any] = {"clock": services.session_clock} if services.session_clock is not None else {}
        notifier = services.notifier_factory or self._real_notifier
        store, settings = self._saved()
        area = SessionArea(self.library, store, settings, factory, realtime=services.session_realtime,
                           notifier_factory=notifier, **kwargs)
        area.message_posted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        area.session_started.connect(self._enter_gym_mode)
        area.session_ended.connect(self._leave_gym_mode)
        area.refresh_home()
        return area

    def _real_notifier(self):
        from backcoach.ui.alerts import TrayNotifier

        _store, settings = self._saved()
        return TrayNotifier(self.windowIcon(), lambda: 0.0 if settings["muted"] else settings["sound_volume"] / 100, self)

    def _real_cues(self):
        from backcoach.ui.mixer_cues import MixerCues  # QtMultimedia loads here, not at start-up

        return MixerCues(self.settings, self)

    def session_area(self):  # untyped as before: screenshot.py (not typed here) reads its `.view` unchecked
        return self.page("session")

    def _session(self, show: bool = True) -> SessionArea:
        from backcoach.ui.session_area import SessionArea

        return self._area("session", SessionArea, show)

    def start_routine(self, routine_id: str) -> None:
        area = self._session()
        area.start_routine(routine_id)

    def start_exercise(self, exercise_id: str) -> None:
        area = self._session()
        area.start_exercise(exercise_id)

    def offer_resume(self) -> None:
        """After a crash or a kill: offer to go on at exactly the next set."""
        if self.store is None or self.store.read_only:
            return
        unfinished = self.store.unfinished_session()
        if unfinished is None:
            return
        damaged = (f" {unfinished.damaged_lines} damaged line{'s' if unfinished.damaged_lines != 1 else ''} "
                   "of its record could not be read and were skipped; the rest is kept."
                   if unfinished.damaged_lines else "")
        answer = QMessageBox.question(
            self, "Resume your session?",
            f"A session was interrupted ({unfinished.routine or 'started from the library'}, "
            f"{len(unfinished.sets)} sets logged).{damaged} Resume at the next set?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        area = self._session()
        if answer == QMessageBox.StandardButton.Yes:
            area.resume()

    def load_areas_in_background(self) -> None:
        """While a session runs, History may be opened between sets: its code (about 9 ms of
        imports) loads now, on a worker thread, so that opening it does not import on the UI
        thread in the middle of the lifter's timing."""
        missing = [name for name in SESSION_PRELOAD if name not in sys.modules]
        if not missing:
            return

        def load() -> None:
            with short_gil_turns():
                for name in missing:
                    importlib.import_module(name)

        threading.Thread(target=load, name="backcoach-preload", daemon=True).start()

    def _enter_gym_mode(self) -> None:
        self.load_areas_in_background()
        self.nav.hide()
        self.statusBar().hide()
        gym_screen = self._gym_screen
        if gym_screen is not None and gym_screen in QGuiApplication.screens() and self.screen() is not gym_screen:
            # Reopened after a session left full screen on another monitor: go back there.
            self.move(gym_screen.availableGeometry().topLeft())
        if self.services.session_realtime:
            self.showFullScreen()
        self._gym_screen = self.screen()

    def _leave_gym_mode(self, finished: bool) -> None:
        self.nav.show()
        self.statusBar().show()
        if self.isFullScreen():
            self.showNormal()

    def _make_settings(self) -> QWidget:
        from backcoach.ui.settings_view import SettingsView

        from backcoach.ui.cues import available_voices

        store, settings = self._saved()
        view = SettingsView(settings, store.data_dir,
                            available_voices if self.services.cues_factory is None else list)
        view.test_sound_requested.connect(self._test_sound)
        return view

    def _test_sound(self) -> None:
        cues = (self.services.cues_factory or self._real_cues)()
        cues.phase_changed("concentric", 1.0, 1, None, "PULL")
        if hasattr(cues, "close"):  # its own stream: stopped once the test sound has played
            QTimer.singleShot(1500, lambda: (cues.close(), cues.deleteLater()))
        if getattr(cues, "problem", None):
            self.statusBar().showMessage(cues.problem, 8000)

    def add_to_routine(self, exercise_id: str, routine_id: str = "") -> None:
        """Library → 'Add to routine…': a menu of routines, then add and show it there."""
        from backcoach.routines import RoutineBook

        if not routine_id:
            routines = RoutineBook(self._saved()[0]).all()  # (the Library offers this only with a store)
            menu = QMenu(self)
            for r in routines:
                menu.addAction(r.name).setData(r.id)
            if routines:
                menu.addSeparator()
            menu.addAction("New routine…").setData("")
            chosen = menu.exec(QCursor.pos())
            if chosen is None:
                return
            routine_id = chosen.data()
        view = self._routines()
        if not routine_id:
            created = view.ask_and_create_routine()
            if created is None:
                return
            routine_id = created.id
        view.add_to_current(exercise_id, routine_id)

    def _make_history(self) -> QWidget:
        from backcoach.ui.history_view import HistoryView

        # Years of history are read and worked out on a worker, so opening History during a
        # session's rest never holds up the session's pixels and cues.
        view = HistoryView(self.library, self._saved()[0], background=self.services.history_in_background)
        view.message_posted.connect(lambda text: self.statusBar().showMessage(text, 8000))
        view.area_requested.connect(self.show_area)
        return view

    # --- the window's place across runs ---------------------------------------------------
    _gym_screen = None  # the monitor gym mode runs (or last ran) on

    def restore_place(self):
        """Put the window back where it was last time (on a screen that exists today), on the
        area it showed; returns the saved place (None the first time)."""
        from backcoach.window_place import WindowPlace, fit_on_screens

        if self.settings is None:
            return None
        place = WindowPlace.from_json(self.settings["window_state"])
        if place is None:
            return None
        screens = [s.availableGeometry() for s in QGuiApplication.screens()]
        x, y, w, h = fit_on_screens(place.rect, [(r.x(), r.y(), r.width(), r.height()) for r in screens])
        self.setGeometry(x, y, max(w, self.minimumWidth()), max(h, self.minimumHeight()))
        if place.area in self._factories and place.area != "session":
            self.show_area(place.area)
        if place.full_screen:
            self._gym_screen = next((s for s in QGuiApplication.screens() if s.name() == place.screen), None)
        return place

    def save_place(self) -> None:
        """Remember the place for next time (never from a read-only window)."""
        from backcoach.window_place import WindowPlace

        if self.settings is None or self.store is None or self.store.read_only:
            return
        full = self.isFullScreen()
        rect = self.normalGeometry() if (full or self.isMaximized()) and self.normalGeometry().isValid() else self.geometry()
        area = self.current_area() if self.nav.currentItem() is not None else "library"
        place = WindowPlace(rect.x(), rect.y(), rect.width(), rect.height(), maximized=self.isMaximized(),
                            full_screen=full, area=area, screen=self.screen().name() if self.screen() else "")
        try:
            self.settings.set("window_state", place.to_json())
        except Exception:  # noqa: BLE001 - a full disk must not stop the window closing
            pass

    # --- your own exercises ---------------------------------------------------------------
    def show_custom_exercises(self):
        """Library → Your exercises…: the list and the editor (non-modal to the areas' state)."""
        from backcoach.ui.custom_exercise_editor import CustomExercisesDialog

        dialog = CustomExercisesDialog(self.library, self._saved()[0], self)  # (offered only with a store)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.custom_dialog = dialog
        dialog.open()
        return dialog

    def _store_changed(self, changed: frozenset[Change]) -> None:
        """What the store reported changed, passed to every open area; each refreshes only
        for what concerns it (`store_changed(changed)`), and none keeps stale saved data."""
        from backcoach.store import Change

        if Change.CUSTOM_EXERCISES in changed:
            self.custom_exercises_changed()
        for page in list(self._pages.values()):
            handler = getattr(page, "store_changed", None)
            if handler is not None:
                handler(changed)

    def custom_exercises_changed(self) -> None:
        """A custom exercise was saved, deleted, imported or undone: every area sees it."""
        if self.store is None:
            return
        self.library.set_custom(self.store.custom_exercises().values())
        self.library_view.refresh()
        self.statusBar().showMessage(f"BackCoach {__version__} · {len(self.library)} exercises")

    # --- messages -----------------------------------------------------------------------
    def _make_banner(self) -> QWidget:
        banner = QWidget()
        banner.setAutoFillBackground(True)
        theme = current_theme()
        palette = banner.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(theme.border if theme.is_dark else theme.figure.secondary))
        banner.setPalette(palette)
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(14, 8, 14, 8)
        self.banner_label = QLabel()
        self.banner_label.setWordWrap(True)
        font = self.banner_label.font()
        font.setWeight(QFont.Weight.DemiBold)
        self.banner_label.setFont(font)
        close = QPushButton("Dismiss")
        close.clicked.connect(banner.hide)
        layout.addWidget(self.banner_label, 1)
        layout.addWidget(close)
        banner.hide()
        return banner

    def show_banner(self, text: str) -> None:
        self.banner_label.setText(text)
        self.banner.show()

    def report_store_problems(self) -> None:
        """Tell the user at start about every problem of the data folder (damaged files
        are reported until dealt with), offering the newest good backup of each."""
        if self.store is None:
            return
        from backcoach.ui.data_problems import RESTORE_TEXT, restore_problem

        restored = False
        for problem in list(self.store.problems):
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("BackCoach: a problem with your data folder")
            box.setText(problem.describe())
            box.setInformativeText("History shows this until it is dealt with." if problem.resolvable else "")
            restore = None
            if problem.backup and not self.store.read_only:
                restore = box.addButton(RESTORE_TEXT, QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Continue without it" if problem.resolvable else "OK", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if restore is not None and box.clickedButton() is restore:
                if restore_problem(self, self.store, problem):
                    restored = True
                    self.statusBar().showMessage(f"Restored {problem.file} from its newest good backup.", 8000)
        if "history" in self._pages:
            history = self._history(show=False)
            history.refresh() if restored else history.problem_banner.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self.store is not None and self.store.unsaved and not self.store.read_only:
            try:
                self.store.save_pending()
            except Exception as exc:  # noqa: BLE001
                answer = QMessageBox.warning(
                    self, "BackCoach: changes not saved",
                    f"{exc}\n\nQuit anyway and lose the unsaved change?",
                    QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Discard:
                    event.ignore()
                    return
        self.save_place()
        super().closeEvent(event)
