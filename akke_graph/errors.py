"""Every error a user can see, as an exception carrying a message written for that user.

The command line turns these into a message and an exit code once, at the command boundary
(``cli.py``); library callers catch them like any other exception.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_NONCONFORMANT = 1
EXIT_ERROR = 2


class AkkeError(Exception):
    """Base class: ``str(error)`` is the user-facing message, ``exit_code`` the CLI exit code."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  → {self.hint}"


class ConfigError(AkkeError):
    """The project configuration or layout is missing or wrong."""


class InputError(AkkeError):
    """A file the user gave cannot be read or parsed."""

    def __init__(self, path: str, message: str, *, line: int | None = None,
                 hint: str | None = None) -> None:
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}", hint=hint)
        self.path = path
        self.line = line


class ShapesError(AkkeError):
    """The SHACL shapes are missing or cannot be used."""


class NonConformantError(AkkeError):
    """The graph does not conform to the shapes; nothing downstream may run."""

    exit_code = EXIT_NONCONFORMANT

    def __init__(self, message: str, report_text: str = "") -> None:
        super().__init__(message)
        self.report_text = report_text


class QueryError(AkkeError):
    """A canned or ad-hoc query cannot be found, parsed or run."""


class ParameterError(QueryError):
    """A query parameter is missing, unknown or has a value of the wrong type."""


class EndpointError(AkkeError):
    """A remote SPARQL endpoint or store is unreachable or answered with an error."""


class RegistryError(AkkeError):
    """A national registry cannot be reached or answered something unusable."""


class PublishError(AkkeError):
    """A release cannot be written."""


class ServeError(AkkeError):
    """The SPARQL service cannot be started or stopped."""
