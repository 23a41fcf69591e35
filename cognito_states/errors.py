"""Every error cognito-states reports, each carrying its exit code: bad input 4, a backend
failure 3, nothing to run 5. Front ends (the CLI, the pytest plugin) map an error by its
code, never by the order of ``except`` clauses, and name the settings a message mentions
in their own words (``--pool-id`` on the command line, ``--cognito-pool-id`` in pytest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import ClassVar

from cognito_states.statuses import ExitCode

# A setting named in a message: "{setting:pool_id}" (every way to give it) or
# "{option:pool_id}" (the option alone). Front ends replace it with the flag, option or
# variable that sets it; the library's own text is the neutral name.
_SETTING = re.compile(r"\{(setting|option):(\w+)\}")
Namer = Callable[[str, bool], str]  # (setting, the option alone) -> how to name it


def setting(name: str) -> str:
    """A placeholder for a setting in an error message (see ``CognitoStatesError.render``)."""
    return "{setting:" + name + "}"


def option(name: str) -> str:
    """A placeholder for the option that sets a setting, without its variable."""
    return "{option:" + name + "}"


class CognitoStatesError(Exception):
    """An error with a one-line message and the exit code it ends the command with."""

    exit_code: ClassVar[ExitCode] = ExitCode.BACKEND_ERROR

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def render(self, name: Namer | None = None) -> str:
        """The one line, with each setting named by ``name`` (default: its plain name)."""
        text = named(self.message, name)
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{text}"

    def __str__(self) -> str:
        return self.render()


def _plain(name: str, alone: bool) -> str:
    return name


def named(text: str, name: Namer | None = None) -> str:
    """``text`` with each ``setting()``/``option()`` placeholder named by ``name``."""
    namer = name or _plain
    return _SETTING.sub(lambda m: namer(m.group(2), m.group(1) == "option"), text)


class BadInputError(CognitoStatesError):
    """Something the user gave is wrong (a file, a flag, a setting): exit code 4."""

    exit_code = ExitCode.BAD_INPUT


class ScenarioError(BadInputError):
    """Bad input in a scenario file: one line, with the place and the fix."""


class ScenarioFilesError(ScenarioError):
    """Several bad scenario files: every one is reported, one line each."""

    def __init__(self, errors: Sequence[ScenarioError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.render() for e in self.errors))

    def render(self, name: Namer | None = None) -> str:
        return "\n".join(e.render(name) for e in self.errors)


class SettingsError(BadInputError):
    """A backend setting is missing, malformed or refused (unknown pool, bad region)."""


class BackendError(CognitoStatesError):
    """The backend itself failed (not a Cognito answer): exit code 3."""

    exit_code = ExitCode.BACKEND_ERROR


class NoScenarioError(CognitoStatesError):
    """Nothing to run: exit code 5."""

    exit_code = ExitCode.NO_SCENARIO


class StepSkipped(Exception):  # noqa: N818 (a signal, not an error)
    """This step cannot run on this backend (its reason says why); nor can the rest."""
