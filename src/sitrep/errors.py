"""sitrep's exceptions. The library raises these; only the command line turns them into exit codes.

    SitrepError
    ├── InputError            an input could not be read (names the input and the reason)
    │   ├── UnreadableInput       missing, a directory where a file was expected, no permission
    │   ├── BinaryInput           not text
    │   ├── EmptyInput            nothing to read
    │   ├── OversizedInput        larger than the limit
    │   └── MalformedRecord       a JSONL line that is not an article record (names file:line)
    ├── StoreError            the database could not be opened or written
    │   └── MissingDatabase       a command that only reads was given a path where no database is
    └── MissingDependency     an optional extra is needed for this feature (says how to install it)
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """An input could not be read. ``str(err)`` is one line: 'INPUT: reason'."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[InputError], tuple[str, str]]:
        """Pickle by the constructor's arguments, so errors cross to worker processes and back."""
        return type(self), (self.source, self.reason)


class UnreadableInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class EmptyInput(InputError):
    pass


class OversizedInput(InputError):
    pass


class MalformedRecord(InputError):
    pass


class StoreError(SitrepError):
    pass


class MissingDatabase(StoreError):
    pass


class MissingDependency(SitrepError):
    pass


def import_optional(module: str, extra: str) -> object:
    """Import an optional dependency, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        raise MissingDependency(
            f"This feature needs the '{module}' package, which is not installed. "
            f"Install it with: pip install 'sitrep[{extra}]'"
        ) from err
