"""Backends run a scenario's steps somewhere and show what happened: one small
interface (``base.Backend``), one module per backend, chosen by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cognito_states.backends.base import (
    Answer,
    Backend,
    BackendError,
    SettingsError,
    StepSkipped,
    UserDriver,
    View,
)

__all__ = [
    "BACKENDS",
    "Answer",
    "Backend",
    "BackendError",
    "SettingsError",
    "StepSkipped",
    "UserDriver",
    "View",
    "from_settings",
    "make_backend",
]

if TYPE_CHECKING:
    from cognito_states.config import BackendSettings

# name -> (module, class); imported only when chosen, so --help stays light.
BACKENDS: dict[str, tuple[str, str]] = {
    "moto": ("cognito_states.backends.moto", "MotoBackend"),
    "model": ("cognito_states.backends.model", "ModelBackend"),
    "endpoint": ("cognito_states.backends.remote", "EndpointBackend"),
    "aws": ("cognito_states.backends.remote", "AwsBackend"),
}


def from_settings(
    settings: BackendSettings, confirm: Callable[[str], bool] | None = None
) -> Backend:
    """The one way the CLI and the pytest plugin build a backend: from resolved settings
    (config.resolve). ``confirm`` is asked before a real pool is touched."""
    s = settings
    if s.backend == "model":
        return make_backend("model")
    if s.backend == "moto":
        return make_backend("moto", region=s.region or "us-east-1")
    return make_backend(
        s.backend,
        endpoint_url=s.endpoint_url,
        region=s.region,
        profile=s.profile,
        pool_id=s.pool_id,
        client_id=s.client_id,
        client_secret=s.client_secret,
        endpoint_kind=s.endpoint_kind,
        codes=s.codes,
        email=s.email,
        phone=s.phone,
        sms_role_arn=s.sms_role_arn,
        sms_external_id=s.sms_external_id,
        generate_secret=s.generate_secret,
        create_pool=s.create_pool,
        confirm=confirm,
    )


def make_backend(name: str, **options: object) -> Backend:
    import importlib

    module_name, class_name = BACKENDS[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    backend: Backend = cls(**options)
    return backend
