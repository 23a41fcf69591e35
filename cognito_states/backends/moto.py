"""The embedded default: moto's cognito-idp mock, in this process (no account needed).

In-process moto raises Python exceptions where a server would answer HTTP 500:
NotImplementedError becomes ``unsupported``, a crash ``error:InternalError``.
"""

from __future__ import annotations

import secrets
from importlib.metadata import version
from typing import Any

from cognito_states.backends.boto import UNSUPPORTED_CODES, BotoUser, ClientSettings, create_pool
from cognito_states.gaps import unimplemented_for
from cognito_states.scenario import Pool

# Where in-process moto crashes instead of answering (moto-9, moto-11, moto-12).
_CRASHES = (KeyError, AttributeError, TypeError, IndexError, ValueError)


class MotoBackend:
    name = "moto"
    kind = "moto"

    def __init__(self, region: str = "us-east-1") -> None:
        self.region = region
        self._mock: Any = None
        self._client: Any = None
        self._pools: dict[Pool, ClientSettings] = {}
        self._run = secrets.token_hex(3)
        self._users = 0

    def versions(self) -> dict[str, str]:
        return {"moto": version("moto"), "boto3": version("boto3")}

    def open(self) -> None:
        import boto3
        from botocore.config import Config
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        # One attempt: an error Cognito answers is an observation, never retried away.
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        self._client = boto3.client("cognito-idp", region_name=self.region, config=config)

    def user(self, pool: Pool, label: str) -> BotoUser:
        settings = self._pools.get(pool)
        if settings is None:
            settings = create_pool(self._client, pool, f"cognito-states-{len(self._pools) + 1}")
            self._pools[pool] = settings
        self._users += 1
        return BotoUser(
            settings,
            pool,
            f"cs-{self._run}-{self._users}",
            crash_types=_CRASHES,
            unimplemented=unimplemented_for(self.kind),
            unsupported_codes=UNSUPPORTED_CODES,
            crashes_observed=True,  # its known gaps list where it crashes
        )

    def fixed_pool(self) -> None:
        return None

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            self._pools.clear()
