"""Settings for real pools and endpoints: from flags, then environment variables, then a
``.env`` file in the working folder, under the article's names. A missing or malformed
value is one line naming the variable and where to set it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cognito_states.scenario import ScenarioError

# variable -> (flag, what it is, pattern of a well-formed value)
VARIABLES: Mapping[str, tuple[str, str, str]] = {
    "USER_POOL_ID": (
        "--pool-id",
        "a user pool id like us-east-1_AbC123xyz",
        r"[\w-]+_[0-9a-zA-Z]+",
    ),
    "COGNITO_CLIENT_ID": ("--client-id", "an app client id", r"[\w+]{1,128}"),
    # AWS's own are [\w+]{1,64}; emulators (moto) make UUIDs.
    "COGNITO_CLIENT_SECRET": ("--client-secret", "an app client secret", r"[\w+/=-]{1,128}"),
    "REGION": ("--region", "an AWS region like eu-west-1", r"[a-z]{2}(-[a-z]+)+-\d"),
    "MY_USERNAME": (
        "--email",
        "your own email address, like you@example.org",
        r"[^@\s+]+@[^@\s]+\.[^@\s]+",
    ),
    "COGNITO_ENDPOINT_URL": ("--endpoint-url", "a URL like http://127.0.0.1:5000", r"https?://\S+"),
}


class ConfigError(ScenarioError):
    """A setting is missing or malformed: bad input, exit code 4."""


@dataclass(frozen=True)
class Settings:
    values: Mapping[str, str]
    origins: Mapping[str, str]  # variable -> "flag", "environment" or ".env"

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def require(self, name: str, why: str) -> str:
        value = self.values.get(name)
        if value is None:
            flag = VARIABLES[name][0]
            raise ConfigError(
                f"{name} is not set ({why}); pass {flag}, or set {name} in the environment"
                " or in .env"
            )
        return value


def _dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve(flags: Mapping[str, str | None], cwd: Path | None = None) -> Settings:
    """Flags win over the environment, which wins over ``.env``; values are checked."""
    dotenv = _dotenv((cwd or Path.cwd()) / ".env")
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    for name, (flag, what, pattern) in VARIABLES.items():
        layers = (("flag", flags), ("environment", os.environ), (".env", dotenv))
        found = next(((o, layer[name]) for o, layer in layers if layer.get(name)), None)
        if found is None:
            continue
        origin, value = found
        assert value is not None
        origins[name] = origin
        if not re.fullmatch(pattern, value):
            where = {
                "flag": flag,
                "environment": f"{name} in the environment",
                ".env": f"{name} in .env",
            }[origin]
            shown = "(hidden)" if name == "COGNITO_CLIENT_SECRET" else repr(value)
            raise ConfigError(f"{name} {shown} is not {what}; fix {where}")
        values[name] = value
    return Settings(values, origins)
