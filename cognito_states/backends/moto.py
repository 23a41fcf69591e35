"""The embedded default: moto's cognito-idp mock, in this process (no account needed).

In-process moto raises Python exceptions where a server would answer HTTP 500:
NotImplementedError becomes ``unsupported``, a crash ``error:InternalError``. TOTP codes
are really checked: moto does so only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true,
which is set while the mock runs (and put back as it was after).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Any

from cognito_states.backends.boto import (
    DUMMY_SMS_ROLE,
    UNSUPPORTED_CODES,
    BotoUser,
    ClientSettings,
    SmsRole,
    create_pool,
    example_phones,
)
from cognito_states.gaps import unimplemented_for
from cognito_states.scenario import Pool

# Where in-process moto crashes instead of answering (moto-9, moto-11, moto-12).
_CRASHES = (KeyError, AttributeError, TypeError, IndexError, ValueError)
# moto reads it at every call (settings.get_cognito_idp_user_pool_enable_totp).
TOTP_SETTING = "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP"


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
        self._totp_before: str | None = None

    def versions(self) -> dict[str, str]:
        return {"moto": version("moto"), "boto3": version("boto3")}

    def open(self) -> None:
        import boto3
        from botocore.config import Config
        from moto import mock_aws

        self._mock = mock_aws()
        self._mock.start()
        self._totp_before = os.environ.get(TOTP_SETTING)
        os.environ[TOTP_SETTING] = "true"
        # One attempt: an error Cognito answers is an observation, never retried away.
        config = Config(retries={"max_attempts": 1, "mode": "standard"})
        self._client = boto3.client("cognito-idp", region_name=self.region, config=config)

    def user(self, pool: Pool, label: str) -> BotoUser:
        settings = self._pools.get(pool)
        if settings is None:
            label = f"cognito-states-{len(self._pools) + 1}"
            settings = create_pool(self._client, pool, label, sms_role=SmsRole(DUMMY_SMS_ROLE))
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
            phones=example_phones(self._users),
        )

    def fixed_pool(self) -> None:
        return None

    def prepare(self, pools: Sequence[Pool], texts: Callable[[Pool | None], int]) -> None:
        """Every pool can be made here, and nothing is texted."""

    def close(self) -> None:
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
            self._pools.clear()
            if self._totp_before is None:
                os.environ.pop(TOTP_SETTING, None)
            else:
                os.environ[TOTP_SETTING] = self._totp_before
