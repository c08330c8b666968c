"""The `backcoach` command: the GUI by default, plus commands for power users and tests.

This module stays Qt-free at import time so that `backcoach exercises` answers instantly;
the GUI and the screenshot renderer are imported only when asked for.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn
from pathlib import Path

from backcoach import __version__
from backcoach.anatomy import VIEWS as FIGURE_VIEWS
from backcoach.anatomy import AnatomyError
from backcoach.library import Library, LibraryError
from backcoach.paths import ENV_VAR, DataDirError, ensure_data_dir, resolve_data_dir
from backcoach.rules import LEVELS

if TYPE_CHECKING:  # the CLI imports the routines code only for the commands that use it
    from backcoach.routines import Routine

EXIT_USAGE = 2
EXIT_FAILURE = 1

# Views `backcoach screenshot` can render; each later area adds its own.
SCREENSHOT_VIEWS = ("library", "session", "routines", "history", "settings")
SESSION_PHASES = ("get-ready", "concentric", "concentric-hold", "eccentric", "eccentric-hold", "hold", "switch",
                  "rest", "log", "summary")
HISTORY_TABS = ("sessions", "progress", "volume", "records", "consistency", "muscles", "body_weight")
THEMES = ("light", "dark")
FIGURE_SIZES = ((32, 32), (8000, 8000))  # `backcoach figure`: a small icon up to a poster


class UsageError(Exception):
    """A mistake in how the command was called: one line on stderr, exit code 2."""


class CommandFailed(Exception):
    """The command was understood but could not be done (a bad file, a busy folder)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage and exit itself
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="backcoach",
        description="BackCoach: a back-training companion that coaches every rep's tempo. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"BackCoach {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help=f"where your training data lives (default: ${ENV_VAR}, else your per-user app-data folder)",
    )
    # `backcoach export csv f.csv --data-dir D` works as well as `backcoach --data-dir D export …`:
    # every command takes it too (SUPPRESS: not given there, the top-level value stays).
    data_dir = _Parser(add_help=False)
    data_dir.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = [data_dir]

    ex = sub.add_parser("exercises", parents=common, help="list the exercise library")
    ex.add_argument("--muscle", metavar="ID", help="only exercises that work this muscle")
    ex.add_argument("--pattern", metavar="ID", help="only this movement pattern")
    ex.add_argument("--equipment", metavar="ID", help="only exercises that use this equipment")
    ex.add_argument("--level", metavar="ID", help="only this level")
    ex.add_argument("--search", metavar="TEXT", default="", help="only names or aliases matching TEXT")
    ex.add_argument("--json", action="store_true", help="print JSON instead of a table")

    mu = sub.add_parser("muscles", parents=common, help="list the muscle catalogue")
    mu.add_argument("--json", action="store_true", help="print JSON instead of a table")

    demo = sub.add_parser("demo-data", parents=common, help="fill the data folder with a made-up training history")
    demo.add_argument("--years", type=int, required=True, metavar="N", help="how many years of training (1-30)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="the same seed gives the same history")
    demo.add_argument("--force", action="store_true", help="add it even if the folder has real history")

    export = sub.add_parser("export", parents=common, help="write your history to a file")
    export.add_argument("format", choices=("csv", "json"), help="csv: one row per set; json: a full backup")
    export.add_argument("file", metavar="FILE")

    imp = sub.add_parser("import", parents=common, help="add history from a file (all or nothing); the app is recognised "
                                        "from the file, or name it first",
                         usage="backcoach import [APP] FILE | backcoach import --undo-last")
    imp.add_argument("format", nargs="?", metavar="APP",
                     help="force the format: " + ", ".join(IMPORT_APPS) + " (json: a BackCoach backup; "
                          "backcoach: its CSV export)")
    imp.add_argument("file", nargs="?", metavar="FILE")
    imp.add_argument("--undo-last", action="store_true", help="remove exactly what the last import added")

    routines = sub.add_parser("routines", parents=common, help="list, export or import your routines")
    rsub = routines.add_subparsers(dest="routines_command", metavar="ACTION", required=True, parser_class=_Parser)

    rsub.add_parser("list", parents=common, help="your routines, one a line")
    rexp = rsub.add_parser("export", parents=common, help="write a routine to a JSON file")
    rexp.add_argument("name", metavar="NAME", help="the routine's name (as `routines list` shows it)")
    rexp.add_argument("file", metavar="FILE")
    rimp = rsub.add_parser("import", parents=common, help="add the routines of a JSON file (never overwrites)")
    rimp.add_argument("file", metavar="FILE")
    rchk = rsub.add_parser("check", help="the guidance for a routine, a routine file or a template "
                                         "(prints nothing when there is no advice)")
    rchk.add_argument("target", nargs="?", metavar="NAME|FILE",
                      help="one of your routines (as `routines list` shows it), or a routine JSON file")
    rchk.add_argument("--template", metavar="ID", help="a shipped template instead")
    rchk.add_argument("--level", choices=[str(level) for level in LEVELS],
                      help="judge for this level (default: the template's own, else your settings' level)")
    rchk.add_argument("--json", action="store_true", help="print a JSON list of {rule, severity, text, suggestions}")

    desk = sub.add_parser("install-desktop-entry",
                          help="add BackCoach to your desktop's app menu, with its icon (Linux, pip/pipx installs)")
    desk.add_argument("--uninstall", action="store_true", help="remove the entry and icon again")

    shot = sub.add_parser("screenshot", parents=common, help="render a view into a PNG file and exit")
    shot.add_argument("view", metavar="VIEW", help=f"one of: {', '.join(SCREENSHOT_VIEWS)}")
    shot.add_argument("out", metavar="OUT.png", help="the PNG file to write")
    shot.add_argument("--size", default="1366x768", metavar="WxH", help="window size (default 1366x768)")
    shot.add_argument("--exercise", metavar="ID", help="the exercise to show")
    shot.add_argument("--theme", choices=THEMES, default="light", help="palette (default light)")
    shot.add_argument("--tab", choices=HISTORY_TABS, help="for history: the tab to show (default sessions)")
    shot.add_argument("--phase", choices=SESSION_PHASES,
                      help="for session: the part to show (default concentric: the lift); a demo session in a "
                           "temporary folder, of the demo routine or of --exercise")
    shot.add_argument("--side", choices=("left", "right"), help="for session: the side to show")
    shot.add_argument("--rep", type=int, metavar="N", help="for session: the rep to show")

    fig = sub.add_parser("figure", help="render the anatomy figure alone into a PNG file and exit")
    fig.add_argument("out", metavar="OUT.png", help="the PNG file to write")
    fig.add_argument("--view", choices=FIGURE_VIEWS, default=FIGURE_VIEWS[0],
                     help="back, front, or the deep layer under either (default back)")
    fig.add_argument("--primary", default="", metavar="IDS", help="muscle ids to light strongly, comma-separated")
    fig.add_argument("--secondary", default="", metavar="IDS", help="muscle ids to light softly, comma-separated")
    fig.add_argument("--size", default="600x1280", metavar="WxH",
                     help="picture size; the figure keeps its shape, centred (default 600x1280)")
    fig.add_argument("--theme", choices=THEMES, default="light", help="palette (default light)")

    plan = sub.add_parser("set-plan", help="print the timeline of one working set as the guided session runs it")
    plan.add_argument("exercise", metavar="EXERCISE_ID")
    plan.add_argument("--reps", type=int, metavar="N", help="reps per side (default: the top of the exercise's range)")
    plan.add_argument("--tempo", metavar="T", help="tempo such as 3-1-1-2 (default: the exercise's)")
    plan.add_argument("--seconds", type=int, metavar="S", help="for a timed exercise: the hold (default: the exercise's)")
    plan.add_argument("--json", action="store_true", help="print JSON: {\"exercise\": ID, \"segments\": [...]}")

    plates = sub.add_parser("plates", help="the plates a side for a barbell load")
    plates.add_argument("load", metavar="LOAD", help="the whole load, bar included, e.g. 62.5")
    plates.add_argument("--unit", choices=("kg", "lb"), default="kg", help="kg (default) or lb")
    plates.add_argument("--bar", metavar="B", help="the bar's weight (default: 20 kg or 45 lb)")
    plates.add_argument("--plates", metavar="LIST", help="your plates, e.g. \"25 20 15 10 5 2.5 1.25\" "
                        "(default: those of a standard gym)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _dispatch(args)
    except UsageError as exc:
        print(f"backcoach: {exc} (see 'backcoach --help')", file=sys.stderr)
        return EXIT_USAGE
    except CommandFailed as exc:
        print(f"backcoach: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except LibraryError as exc:
        print(f"backcoach: the exercise library is invalid:\n{exc}", file=sys.stderr)
        return EXIT_FAILURE
    except AnatomyError as exc:
        print(f"backcoach: {exc}; reinstall BackCoach", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:  # `backcoach exercises | head`
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - no traceback from the data folder reaches the user
        message = _data_failure(exc)
        if message is None:
            raise
        print(f"backcoach: {message}", file=sys.stderr)
        return EXIT_FAILURE


def _data_failure(exc: BaseException) -> str | None:
    """One true sentence for a failure of the data folder (a full disk, an I/O error, a
    damaged file); None for anything else, which is a bug and keeps its traceback."""
    from backcoach.storage import StorageError, WriteFailedError

    if isinstance(exc, WriteFailedError):
        # The process ends here, so the store's "kept in memory" promise would be false.
        return (f"could not save to the data folder: {exc.reason}. Nothing saved before was changed; "
                "this command's changes were not saved.")
    if isinstance(exc, StorageError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return (f"the data folder could not be used: {exc.strerror or exc}{where}. "
                "Nothing saved before was changed.")
    return None


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "exercises":
        return _cmd_exercises(args)
    if args.command == "muscles":
        return _cmd_muscles(args)
    if args.command == "screenshot":
        return _cmd_screenshot(args)
    if args.command == "figure":
        return _cmd_figure(args)
    if args.command == "set-plan":
        return _cmd_set_plan(args)
    if args.command == "plates":
        return _cmd_plates(args)
    if args.command == "demo-data":
        return _cmd_demo_data(args)
    if args.command in ("export", "import"):
        return _cmd_transfer(args)
    if args.command == "routines":
        return _cmd_routines(args)
    if args.command == "install-desktop-entry":
        return _cmd_install_desktop_entry(args)
    return _cmd_gui(args)


IMPORT_APPS = ("strong", "hevy", "fitnotes", "stronglifts", "json", "backcoach")


def _open_store(args: argparse.Namespace, reads_only: bool = False):
    """The user's store. A command that writes refuses while the app holds the folder;
    one that only reads (`reads_only`) goes ahead, as a second window would."""
    from backcoach.store import NewerSchemaError, Store

    try:
        data_dir = ensure_data_dir(resolve_data_dir(args.data_dir))
    except DataDirError as exc:
        raise UsageError(str(exc)) from None
    try:
        store = Store.open(data_dir)
    except NewerSchemaError as exc:
        raise CommandFailed(str(exc)) from None
    _warn(store)
    if store.read_only and store.locked_elsewhere and not reads_only:
        holder = f" (process {store.lock_holder})" if store.lock_holder else ""
        store.close()
        raise CommandFailed(f"BackCoach is running with the data folder {data_dir}{holder}; close it first")
    if store.read_only and not (reads_only and store.locked_elsewhere):
        store.close()
        raise CommandFailed(f"the data folder {data_dir} cannot be written until the problem above is fixed")
    return store


def _warn(store) -> None:
    """One stderr line per problem of the data folder, from every command that reads it."""
    for problem in store.problems:
        print(f"backcoach: warning: {problem.describe()}", file=sys.stderr)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    if not 1 <= args.years <= 30:
        raise UsageError(f"--years must be between 1 and 30, not {args.years}")
    from dataclasses import replace
    from datetime import date

    from backcoach.demo import generate_history

    lib = load_library()
    with _open_store(args) as store:
        real = [s for s in store.sessions() if s.source != "demo"]
        if real and not args.force:
            raise CommandFailed(
                f"{store.data_dir} already holds {len(real)} real sessions; "
                "demo data would mix with them (add --force to do it anyway)"
            )
        sessions = [s if s.source_key else replace(s, source_key=f"demo|{args.seed}|{s.started_at}")
                    for s in generate_history(lib, years=args.years, seed=args.seed, today=date.today())]
        from backcoach.demo import demo_routines
        from backcoach.routines import RoutineBook

        with store.batch():  # sessions and routines in one commit: a kill leaves all or none
            counts = store.add_sessions(sessions)
            book = RoutineBook(store)
            taken = {n.casefold() for n in book.names()}
            book.save_many([r for r in demo_routines(lib, sessions) if r.name.casefold() not in taken])
    print(f"Added {counts.sessions_added} demo sessions ({counts.sets_added} sets) to {store.data_dir}"
          + (f"; {counts.sessions_skipped} were already there" if counts.sessions_skipped else ""))
    return 0


def _cmd_routines(args: argparse.Namespace) -> int:
    from backcoach.routine_io import RoutineFileError, import_routines, read_routines, write_routines
    from backcoach.routines import RoutineBook

    if args.routines_command == "check":
        return _cmd_routines_check(args)
    lib = load_library()
    with _open_store(args, reads_only=args.routines_command != "import") as store:
        book = RoutineBook(store, lib.exercises.keys() | store.custom_exercises().keys())
        if args.routines_command == "list":
            routines = book.all()
            rows = [(r.name, str(len(r.items)), f"{r.sessions_per_week}×/week", r.updated_at[:10]) for r in routines]
            if rows:
                _print_table(("NAME", "EXERCISES", "FREQUENCY", "CHANGED"), rows)
            print(f"{len(routines)} routine{'s' if len(routines) != 1 else ''}")
        elif args.routines_command == "export":
            matches = [r for r in book.all() if r.name.casefold() == args.name.casefold()]
            if not matches:
                names = ", ".join(repr(r.name) for r in book.all()) or "none yet"
                raise UsageError(f"no routine called {args.name!r} (yours: {names})")
            path = Path(args.file).expanduser()
            if not path.parent.is_dir():
                raise UsageError(f"cannot write {str(path)!r}: the folder does not exist")
            try:
                write_routines(matches, path)
            except (RoutineFileError, OSError) as exc:  # an unwritable file is a usage mistake (README)
                raise UsageError(f"cannot write {path}: {getattr(exc, 'strerror', None) or exc}") from None
            print(f"Wrote “{matches[0].name}” to {path}")
        else:
            try:
                pairs = import_routines(book, read_routines(Path(args.file).expanduser(), book.known))
            except RoutineFileError as exc:
                raise CommandFailed(str(exc)) from None
            for original, saved in pairs:
                print(f"Imported “{saved}”" + (f" (a routine called “{original}” already existed)" if saved != original else ""))
    return 0


def _cmd_routines_check(args: argparse.Namespace) -> int:
    """Print the guidance panel's advice for one routine: a template (no data folder needed),
    a routine file, or one of the user's routines (with its history, so the "unchanged" and
    "stalled" rules speak too). Advice is not an error: the exit code is 0 either way."""
    from datetime import date

    from backcoach.guidance import advise
    from backcoach.routine_io import RoutineFileError, read_routines
    from backcoach.routines import RoutineBook
    from backcoach.settings import Settings

    if (args.target is None) == (args.template is None):
        raise UsageError("give a routine NAME or FILE, or --template ID (one of them)")
    lib = load_library()
    checks: list[tuple[str, Routine, str, list]] = []  # (name, routine, level, history)
    if args.template is not None:
        from backcoach.templates import load_templates

        templates = {t.id: t for t in load_templates(lib)}
        if args.template not in templates:
            raise UsageError(f"unknown template {args.template!r}; choose from: {', '.join(templates)}")
        t = templates[args.template]
        checks.append((t.name, t.routine, args.level or t.level, []))
    else:
        path = Path(args.target).expanduser()
        with _open_store(args) as store:
            level = args.level or Settings(store)["level"]
            if path.suffix.lower() == ".json" or path.is_file():
                try:
                    routines = read_routines(path, lib.exercises.keys() | store.custom_exercises().keys())
                except RoutineFileError as exc:
                    raise CommandFailed(str(exc)) from None
                checks += [(r.name, r, level, []) for r in routines]
            else:
                book = RoutineBook(store, lib.exercises.keys() | store.custom_exercises().keys())
                matches = [r for r in book.all() if r.name.casefold() == args.target.casefold()]
                if not matches:
                    names = ", ".join(repr(r.name) for r in book.all()) or "none yet"
                    raise UsageError(f"no routine called {args.target!r} and no such file (yours: {names})")
                checks.append((matches[0].name, matches[0], level, store.sessions()))
    several = len(checks) > 1
    out: list[dict] = []
    for name, routine, level, history in checks:
        for advice in advise(routine, lib, level, history, date.today() if history else None):
            row = advice.to_dict()
            if several:
                row["routine"] = name
            out.append(row)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for row in out:
        where = f"{row['routine']}: " if several else ""
        print(f"{where}{row['severity']}: {row['text']} [{row['rule']}]")
        if row["suggestions"]:
            print("    try: " + ", ".join(lib.exercises[i].name for i in row["suggestions"] if i in lib.exercises))
    return 0


def _cmd_transfer(args: argparse.Namespace) -> int:
    from backcoach.transfer import TransferError, export_file, import_file, undo_last_import

    if args.command == "import":
        if args.undo_last:
            if args.format or args.file:
                raise UsageError("import --undo-last takes no file")
            with _open_store(args) as store:
                try:
                    print(undo_last_import(store))
                except TransferError as exc:
                    raise CommandFailed(str(exc)) from None
            return 0
        if args.file is None:
            if args.format is None:
                raise UsageError("import needs a FILE (and optionally the APP before it: "
                                 + ", ".join(IMPORT_APPS) + ")")
            args.format, args.file = None, args.format
        elif args.format not in IMPORT_APPS:
            raise UsageError(f"import: {args.format!r} is not a format BackCoach reads; choose from "
                             + ", ".join(IMPORT_APPS) + ", or give only the FILE")
    lib = load_library()
    path = Path(args.file).expanduser()
    with _open_store(args, reads_only=args.command == "export") as store:
        try:
            if args.command == "export":
                try:
                    n = export_file(store, lib, args.format, path)
                except TransferError as exc:  # the only way an export fails: where it was told to write
                    raise UsageError(str(exc)) from None
                print(f"Wrote {n} session{'' if n == 1 else 's'} to {path}")
            else:
                report = import_file(store, lib.with_custom(store.custom_exercises().values()), args.format, path)
                print(report.text())
        except TransferError as exc:
            raise CommandFailed(str(exc)) from None
    return 0


def _cmd_install_desktop_entry(args: argparse.Namespace) -> int:
    from backcoach.desktop import APP_ID, DesktopEntryError, data_home, install, uninstall

    if sys.platform in ("win32", "darwin"):
        raise UsageError("install-desktop-entry is for Linux desktops; on Windows and macOS "
                         "start BackCoach with the 'backcoach' command or from the bundle")
    home = data_home()
    try:
        if args.uninstall:
            removed = uninstall(home)
            print(f"Removed {len(removed)} files of BackCoach's desktop entry from {home}" if removed
                  else f"No BackCoach desktop entry found in {home}")
            return 0
        written = install(home)
    except DesktopEntryError as exc:
        raise CommandFailed(str(exc)) from None
    entry = written[0]
    print(f"Installed {entry} (with its icon and AppStream metadata, {len(written)} files in {home}).")
    print(f"BackCoach is in your app menu; it starts with: {entry.read_text(encoding='utf-8').split('Exec=', 1)[1].splitlines()[0]}")
    print(f"Remove it with: backcoach install-desktop-entry --uninstall  (app id {APP_ID})")
    return 0


def load_library() -> Library:
    """The shipped library, through its cache in the user's cache folder (see paths.cache_dir)."""
    from backcoach.library import load_library as load
    from backcoach.paths import cache_dir

    return load(cache_dir=cache_dir())


def _check_choice(library_ids: Mapping[str, object], value: str | None, what: str) -> None:
    if value is not None and value not in library_ids:
        raise UsageError(f"unknown {what} {value!r}; choose from: {', '.join(library_ids)}")


def _cmd_exercises(args: argparse.Namespace) -> int:
    lib = load_library()
    _check_choice(lib.muscles, args.muscle, "muscle")
    _check_choice(lib.patterns, args.pattern, "pattern")
    _check_choice(lib.equipment, args.equipment, "equipment")
    _check_choice(lib.levels, args.level, "level")
    found = lib.filter(query=args.search, muscle=args.muscle, pattern=args.pattern,
                       equipment=args.equipment, level=args.level)
    if args.json:
        print(json.dumps([ex.to_dict() for ex in found], indent=2, ensure_ascii=False))
        return 0
    rows = [(ex.id, ex.name, lib.patterns[ex.pattern], ex.level,
             ", ".join(lib.muscles[m].name for m in ex.primary_muscles)) for ex in found]
    _print_table(("ID", "NAME", "PATTERN", "LEVEL", "PRIMARY MUSCLES"), rows)
    print(f"{len(found)} of {len(lib)} exercises")
    return 0


def _cmd_muscles(args: argparse.Namespace) -> int:
    lib = load_library()
    if args.json:
        out = [{"id": m.id, "name": m.name, "group": m.group, "function": m.function,
                "exercises": len(lib.exercises_for_muscle(m.id))} for m in lib.muscles.values()]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    rows = [(m.id, m.name, m.group, str(len(lib.exercises_for_muscle(m.id)))) for m in lib.muscles.values()]
    _print_table(("ID", "NAME", "GROUP", "EXERCISES"), rows)
    return 0


def _print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())


def parse_size(text: str, limits: tuple[tuple[int, int], tuple[int, int]] = ((320, 240), (7680, 4320)),
               example: str = "1366x768") -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must look like {example}, not {text!r}") from None
    (w0, h0), (w1, h1) = limits
    if not (w0 <= w <= w1 and h0 <= h <= h1):
        raise UsageError(f"--size {text} is outside {w0}x{h0} to {w1}x{h1}")
    return w, h


def check_output_path(text: str) -> Path:
    out = Path(text).expanduser()
    if out.suffix.lower() != ".png":
        raise UsageError(f"the output file must end in .png: {text!r}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {text!r}: the folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"cannot write {text!r}: permission denied")
    return out


def _cmd_plates(args: argparse.Namespace) -> int:
    import math

    from backcoach.plates import DEFAULT_BARS, DEFAULT_PLATES, bar_load, format_weight, parse_weights

    unit = args.unit
    try:
        load = float(args.load)
    except ValueError:
        raise UsageError(f"LOAD must be a number, not {args.load!r}") from None
    try:
        bar = parse_weights(args.bar, "bar")[0] if args.bar is not None else DEFAULT_BARS[unit][0]
        plates = parse_weights(args.plates, "plates") if args.plates is not None else DEFAULT_PLATES[unit]
        if not math.isfinite(load) or load <= 0:
            raise ValueError(f"LOAD must be a weight above 0, not {args.load}")
        made = bar_load(load, bar, plates, unit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if load < bar:
        print(f"{format_weight(load)} {unit} is lighter than the {format_weight(bar)} {unit} bar: {made.describe()}")
    elif not made.exact:
        print(f"{format_weight(load)} {unit} cannot be made with these plates; nearest: "
              f"{format_weight(made.total)} {unit} = {made.describe()}")
    else:
        print(f"{format_weight(made.total)} {unit} = {made.describe()}")
    return 0


def _cmd_set_plan(args: argparse.Namespace) -> int:
    from backcoach.setplan import SetPlanError, format_plan, set_plan

    lib = load_library()
    try:
        plan = set_plan(lib, args.exercise, reps=args.reps, tempo=args.tempo, seconds=args.seconds)
    except SetPlanError as exc:
        raise UsageError(str(exc)) from None
    print(json.dumps(plan.to_dict(), indent=2) if args.json else format_plan(plan))
    return 0


def _cmd_screenshot(args: argparse.Namespace) -> int:
    if args.view not in SCREENSHOT_VIEWS:
        raise UsageError(f"unknown view {args.view!r}; choose from: {', '.join(SCREENSHOT_VIEWS)}")
    size = parse_size(args.size)
    out = check_output_path(args.out)
    lib = load_library()
    if args.exercise is not None and args.exercise not in lib.exercises:
        raise UsageError(f"unknown exercise id {args.exercise!r} (try 'backcoach exercises')")
    store = None
    if args.view not in ("library", "session"):
        from backcoach.store import NewerSchemaError, Store

        try:  # read-only: a screenshot never changes the user's data, even if the app is open
            store = Store.open(resolve_data_dir(args.data_dir), read_only=True)
        except NewerSchemaError as exc:
            raise CommandFailed(str(exc)) from None
        _warn(store)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from backcoach.ui.screenshot import render_view

    if not render_view(args.view, out, size=size, theme=args.theme, library=lib, exercise_id=args.exercise,
                       store=store, tab=args.phase if args.view == "session" else args.tab,
                       side=args.side, rep=args.rep):
        print(f"backcoach: could not write {str(out)!r}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def parse_muscle_ids(text: str, known: Sequence[str] | Mapping[str, object], option: str) -> list[str]:
    """'lats, traps-middle' -> ['lats', 'traps-middle']; an unknown id is a usage error."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise UsageError(f"{option}: unknown muscle id {unknown[0]!r} (try 'backcoach muscles')")
    return ids


def _cmd_figure(args: argparse.Namespace) -> int:
    out = check_output_path(args.out)
    w, h = parse_size(args.size, FIGURE_SIZES, example="600x1280")
    lib = load_library()
    primary = parse_muscle_ids(args.primary, lib.muscles, "--primary")
    secondary = parse_muscle_ids(args.secondary, lib.muscles, "--secondary")
    from backcoach.anatomy import load_figures

    figures = load_figures(lib.muscles)
    for muscle in [*primary, *secondary]:
        if muscle not in figures[args.view].muscles:  # drawn, but in another view
            where = ", ".join(v for v in FIGURE_VIEWS if muscle in figures[v].muscles)
            print(f"backcoach: note: {muscle} is not drawn in the {args.view} view; try --view {where}",
                  file=sys.stderr)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from backcoach.ui.screenshot import render_figure_file

    if not render_figure_file(out, args.view, (w, h), args.theme, lib, primary, secondary):
        print(f"backcoach: could not write {str(out)!r}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def has_display(environ: os._Environ[str] | dict[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether a GUI can open: always on Windows and macOS, on Linux when X11 or Wayland is set."""
    if environ.get("QT_QPA_PLATFORM"):
        return True
    if not platform.startswith("linux"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _cmd_gui(args: argparse.Namespace) -> int:
    try:
        data_dir = ensure_data_dir(resolve_data_dir(args.data_dir))
    except DataDirError as exc:
        raise UsageError(str(exc)) from None
    if not has_display():
        print("backcoach: no graphical display found (DISPLAY and WAYLAND_DISPLAY are unset); "
              "start BackCoach from a desktop session.", file=sys.stderr)
        return EXIT_FAILURE
    lib = load_library()
    from backcoach.ui.app import run_app

    return run_app(library=lib, data_dir=data_dir)


if __name__ == "__main__":
    sys.exit(main())
