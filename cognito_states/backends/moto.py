"""The embedded default: moto's cognito-idp mock, in this process (no account needed).

In-process moto raises Python exceptions where a server would answer HTTP 500:
NotImplementedError becomes ``unsupported``, a crash ``error:InternalError``. TOTP codes
are really checked: moto does so only with MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true,
which is set while the mock runs (and put back as it was after). Explore may read
moto's user record directly instead of calling AdminGetUser (same process, same data,
what AdminGetUser answers): a ``read``, not a call.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


@dataclass
class MotoUser(BotoUser):
    """A user on in-process moto; with ``direct`` it is observed by reading moto's own
    record of it (moto's AdminGetUser without the HTTP round trip), counted in
    ``reads``, not ``calls``."""

    direct: bool = False
    account: str = ""
    region: str = "us-east-1"
    reads: int = 0

    def read_user(self) -> dict[str, Any] | None:
        if not self.direct:
            return super().read_user()
        from moto.cognitoidp.exceptions import UserNotFoundError
        from moto.cognitoidp.models import cognitoidp_backends

        self.reads += 1
        backend = cognitoidp_backends[self.account][self.region]
        try:
            user = backend.admin_get_user(self.settings.pool_id, self.admin_name or self.name)
        except UserNotFoundError:
            return None
        record: dict[str, Any] = user.to_json(extended=True, attributes_key="UserAttributes")
        status = record["UserStatus"]
        record["UserStatus"] = str(getattr(status, "value", status))  # moto's enum
        return record


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
        self._account = ""
        # Observe by reading moto's record directly (explore turns this on).
        self.direct_reads = False

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

    def user(self, pool: Pool, label: str) -> MotoUser:
        settings = self._pools.get(pool)
        if settings is None:
            label = f"cognito-states-{len(self._pools) + 1}"
            settings = create_pool(self._client, pool, label, sms_role=SmsRole(DUMMY_SMS_ROLE))
            self._pools[pool] = settings
            arn = self._client.describe_user_pool(UserPoolId=settings.pool_id)["UserPool"]["Arn"]
            self._account = arn.split(":")[4]  # where moto keeps this pool's records
        self._users += 1
        return MotoUser(
            settings,
            pool,
            f"cs-{self._run}-{self._users}",
            crash_types=_CRASHES,
            unimplemented=unimplemented_for(self.kind),
            unsupported_codes=UNSUPPORTED_CODES,
            crashes_observed=True,  # its known gaps list where it crashes
            phones=example_phones(self._users),
            direct=self.direct_reads,
            account=self._account,
            region=self.region,
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
