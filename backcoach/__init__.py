"""BackCoach: a desktop workout companion for back training.

The package root and everything directly in it is the Qt-free core (library, storage,
session logic); every widget lives in :mod:`backcoach.ui`.
"""

__version__ = "0.1.0"
