"""The one interface every backend implements, and the values that cross it.

A backend opens (starts moto, connects, ...), hands out one ``UserDriver`` per scenario
and closes. A driver acts on its user, observes it with AdminGetUser, and removes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cognito_states.model import Observation
from cognito_states.scenario import Pool, Step


class BackendError(Exception):
    """The backend itself failed (not a Cognito answer): exit code 3."""


class SettingsError(BackendError):
    """The backend was given bad settings (unknown pool, bad region): exit code 4."""


class StepSkipped(Exception):  # noqa: N818 (a signal, not an error)
    """This step cannot run on this backend (its reason says why); nor can the rest."""


@dataclass(frozen=True)
class Outcome:
    """A step's outcome string, with a challenge's requiredAttributes when it has them."""

    outcome: str
    required_attributes: tuple[str, ...] | None = None


class UserDriver(Protocol):
    """Acts on one scenario user. Holds its passwords, tokens, session and codes."""

    def act(self, step: Step) -> Outcome: ...

    def observe(self, outcome: Outcome) -> Observation: ...

    def close(self) -> None:
        """Delete the user if it still exists; never raises."""


class Backend(Protocol):
    name: str
    # Whose known gaps apply (a moto server behind an endpoint is "moto").
    kind: str

    def versions(self) -> dict[str, str]: ...

    def open(self) -> None: ...

    def fixed_pool(self) -> Pool | None:
        """The settings of the one existing pool every scenario runs in, or None when
        the backend makes a pool for each scenario's declared settings."""

    def user(self, pool: Pool, label: str) -> UserDriver: ...

    def close(self) -> None: ...
