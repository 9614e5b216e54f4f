"""Practice journal: a private log of therapy, supervision, practice hours and reflections."""

__version__ = "0.1.0"
