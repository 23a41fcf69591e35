"""Backends run a scenario's steps somewhere and show what happened: one small
interface (``base.Backend``), one module per backend, chosen by name.
"""

from __future__ import annotations

from cognito_states.backends.base import (
    Backend,
    BackendError,
    Outcome,
    SettingsError,
    StepSkipped,
    UserDriver,
)

__all__ = [
    "BACKENDS",
    "Backend",
    "BackendError",
    "Outcome",
    "SettingsError",
    "StepSkipped",
    "UserDriver",
    "make_backend",
]

# name -> (module, class); imported only when chosen, so --help stays light.
BACKENDS: dict[str, tuple[str, str]] = {
    "moto": ("cognito_states.backends.moto", "MotoBackend"),
    "model": ("cognito_states.backends.model", "ModelBackend"),
    "endpoint": ("cognito_states.backends.remote", "EndpointBackend"),
    "aws": ("cognito_states.backends.remote", "AwsBackend"),
}


def make_backend(name: str, **options: object) -> Backend:
    import importlib

    module_name, class_name = BACKENDS[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    backend: Backend = cls(**options)
    return backend
