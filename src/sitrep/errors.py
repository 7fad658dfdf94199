"""sitrep's exceptions. The library raises these; only the command line turns them into exit codes.

    SitrepError
    ├── InputError            an input could not be read (names the input and the reason)
    │   ├── UnreadableInput       missing, a directory where a file was expected, no permission
    │   ├── BinaryInput           not text
    │   ├── EmptyInput            nothing to read
    │   ├── OversizedInput        larger than the limit
    │   ├── MalformedRecord       a JSONL line that is not an article record (names file:line)
    │   └── AnalysisError         an article was read but analysing it failed (names the article)
    ├── StoreError            the database could not be opened or written
    │   └── MissingDatabase       a command that only reads was given a path where no database is
    ├── NotFound              no stored event, report or article has this id
    ├── ReviewError           a review, merge or split that cannot be applied (sitrep.review)
    └── MissingDependency     an optional extra is needed for this feature (says how to install it)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """An input could not be read. ``str(err)`` is one line: 'INPUT: reason'."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{printable(source)}: {printable(reason)}")
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


class AnalysisError(InputError):
    """An article was read, but analysing it failed: an error in sitrep, not in the article.

    ``source`` is the article's id; ``reason`` names the exception; ``detail`` is its traceback as text,
    kept across worker processes so that ``-vv`` can show where it happened.
    """

    def __init__(self, source: str, reason: str, detail: str | None = None) -> None:
        super().__init__(source, reason)
        self.detail = detail

    def __reduce__(self) -> tuple[type[AnalysisError], tuple[str, str, str | None]]:  # type: ignore[override]
        return type(self), (self.source, self.reason, self.detail)


class StoreError(SitrepError):
    pass


class MissingDatabase(StoreError):
    pass


class NotFound(SitrepError, LookupError):
    """No stored event, report or article has the id given (``str(err)`` names it)."""


class ReviewError(SitrepError, ValueError):
    """A review, merge or split that cannot be applied: an unknown status or field, a value of the wrong
    kind, a merge of one event, a split that leaves nothing on one side."""


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


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
"""What a terminal would act on rather than show: C0 and C1 controls (ESC starts colour and hyperlink
sequences), line and paragraph separators, bidirectional overrides, and lone surrogates (undecodable
bytes of a file name)."""


def printable(text: str) -> str:
    """``text`` safe to show on one line of a terminal: each control character escaped as ``\\xNN``,
    ``\\uNNNN`` (a line break becomes ``\\n``), everything else unchanged."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def yaml_file(path: Path, error: type[SitrepError]) -> Any:
    """The parsed content of a user's YAML file (a sources or rules file); ``error`` naming the file when
    it cannot be read or is not YAML."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise error(f"{path}: cannot be read ({err.strerror or err})") from None
    except yaml.YAMLError as err:
        raise error(f"{path}: not valid YAML ({' '.join(str(err).split())})") from None
