"""The one interface every backend implements, and the values that cross it.

A backend opens (starts moto, connects, ...), hands out one ``UserDriver`` per scenario
and closes. A driver acts on its user, observes it with AdminGetUser, and removes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from cognito_states.errors import BackendError, SettingsError, StepSkipped
from cognito_states.scenario import Pool, Step
from cognito_states.views import Answer, View

__all__ = [
    "Answer",
    "Backend",
    "BackendError",
    "SettingsError",
    "StepSkipped",
    "UserDriver",
    "View",
]


class UserDriver(Protocol):
    """Acts on one scenario user. Holds its passwords, tokens, session and codes."""

    def act(self, step: Step) -> Answer: ...

    def observe(self, answer: Answer) -> View: ...

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

    def prepare(self, pools: Sequence[Pool], texts: Callable[[Pool | None], int]) -> None:
        """Told before ``open()`` what will run: the pools, which ``open()`` checks it can
        make (SettingsError, one line) once its own settings are checked and before it
        creates anything, and how to count the text messages the run sends (given an
        existing pool's settings, or None), which a real pool's start line reports."""

    def user(self, pool: Pool, label: str) -> UserDriver: ...

    def close(self) -> None: ...
