"""Backends that speak to Cognito over HTTP: ``endpoint`` (a moto server or another
emulator at a URL) and ``aws`` (a real user pool, with boto3's credential chain).

Both create throwaway pools per distinct ``Pool(...)`` unless given an existing pool,
whose real settings then feed the model. Every user and pool created is written to the
ledger and removed at the end, after an error, on Ctrl-C and on SIGTERM.
"""

from __future__ import annotations

import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from importlib.metadata import version
from typing import Any

from cognito_states.backends.boto import (
    DUMMY_SMS_ROLE,
    SIGN_OUT_PAUSE,
    UNSUPPORTED_CODES,
    BotoUser,
    ClientSettings,
    OwnPhone,
    SmsRole,
    create_pool,
    error_code,
    error_message,
    example_addresses,
    example_phones,
    plus_addresses,
)
from cognito_states.codes import CodeSource, load_code_source, moto_codes, no_codes
from cognito_states.errors import BackendError, SettingsError, option, setting
from cognito_states.gaps import unimplemented_for
from cognito_states.ledger import Ledger
from cognito_states.scenario import (
    AUTH_FLOWS,
    MFA_METHODS,
    POOL_KEYWORDS,
    RECOVERY_MECHANISMS,
    STANDARD_ATTRIBUTES,
    Pool,
)
from cognito_states.scrub import scrub

# Answers that mean the caller, not Cognito's user model, is wrong: never observations.
FATAL_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidSignatureException",
        "InvalidClientTokenId",
        "ExpiredTokenException",
        "AccessDeniedException",
        "AccessDenied",
        "MissingAuthenticationTokenException",
    }
)
THROTTLED = "TooManyRequestsException"
# Legacy ExplicitAuthFlows values and their ALLOW_ names.
_LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}


def cognito_client(session: Any, endpoint_url: str | None, real_pool: bool, **kwargs: Any) -> Any:
    """A cognito-idp client; behind an emulator's URL without credentials, dummy ones
    (an emulator accepts any signature; a real pool never gets these)."""
    if endpoint_url:
        kwargs["endpoint_url"] = endpoint_url
        if session.get_credentials() is None and not real_pool:
            kwargs |= {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return session.client("cognito-idp", **kwargs)


class RetryingClient:
    """A boto3 client whose calls wait out throttling (TooManyRequestsException) with
    exponential backoff and, on real pools, stay under 5 requests a second per
    operation (the strictest per-pool quota, S6). Other errors pass through untouched:
    LimitExceededException is an answer to observe, not throttling to retry."""

    def __init__(
        self,
        client: Any,
        per_operation_rps: float | None = None,
        attempts: int = 6,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._interval = 1.0 / per_operation_rps if per_operation_rps else 0.0
        self._attempts = attempts
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self.throttled = 0

    @property
    def meta(self) -> Any:
        return self._client.meta

    def _pace(self, name: str) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            wait = self._last.get(name, 0.0) + self._interval - now
            self._last[name] = max(now, now + wait)
        if wait > 0:
            self._sleep(wait)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if not callable(method) or name.startswith("_"):
            return method

        def call(**kwargs: Any) -> Any:
            delay = 0.1
            for attempt in range(self._attempts):
                self._pace(name)
                try:
                    return method(**kwargs)
                except Exception as exc:
                    if error_code(exc) != THROTTLED or attempt == self._attempts - 1:
                        raise
                    self.throttled += 1
                    self._sleep(delay)
                    delay = min(delay * 2, 5.0)
            raise AssertionError("unreachable")

        return call


def is_moto_server(endpoint_url: str, timeout: float = 2.0) -> bool:
    """A moto server answers on /moto-api/ (other emulators and AWS do not)."""
    try:
        with urllib.request.urlopen(endpoint_url.rstrip("/") + "/moto-api/", timeout=timeout) as r:
            return bool(r.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def pool_from_description(
    user_pool: dict[str, Any], app_client: dict[str, Any], mfa_config: dict[str, Any] | None = None
) -> Pool:
    """The settings that matter to the model, from DescribeUserPool(Client) and
    GetUserPoolMfaConfig (MfaConfiguration and the methods it turns on)."""
    required = tuple(
        a["Name"]
        for a in user_pool.get("SchemaAttributes", [])
        if a.get("Required") and a.get("Name") in STANDARD_ATTRIBUTES
    )
    flows = tuple(
        sorted(
            {
                _LEGACY_FLOWS.get(f, f)
                for f in app_client.get("ExplicitAuthFlows", [])
                if _LEGACY_FLOWS.get(f, f) in AUTH_FLOWS
            }
        )
    )
    update = user_pool.get("UserAttributeUpdateSettings", {})
    mfa_config = mfa_config or {}
    mfa = mfa_config.get("MfaConfiguration") or user_pool.get("MfaConfiguration") or "OFF"
    methods: tuple[str, ...] = ()
    if mfa != "OFF":
        totp = (mfa_config.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled")
        sms = (mfa_config.get("SmsMfaConfiguration") or {}).get("SmsConfiguration")
        methods = tuple(m for m, on in zip(MFA_METHODS, (totp, sms), strict=True) if on)
    mechanisms = sorted(
        (user_pool.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms", []),
        key=lambda m: m.get("Priority", 0),
    )
    recovery = tuple(m.get("Name") for m in mechanisms)
    values: dict[str, Any] = {
        "username_attributes": tuple(user_pool.get("UsernameAttributes", [])),
        "auto_verified_attributes": tuple(user_pool.get("AutoVerifiedAttributes", [])),
        "required_attributes": required,
        "prevent_user_existence_errors": app_client.get("PreventUserExistenceErrors") or "LEGACY",
        "auth_flows": flows,
        "attributes_require_verification_before_update": tuple(
            update.get("AttributesRequireVerificationBeforeUpdate", [])
        ),
        "mfa": mfa,
        "mfa_methods": methods,
        "account_recovery": recovery,
    }
    unmodelled = [
        f"{name} {value}"
        for name, value, modelled in (
            ("AccountRecoverySetting", list(recovery), set(RECOVERY_MECHANISMS)),
            (
                "AttributesRequireVerificationBeforeUpdate",
                list(values["attributes_require_verification_before_update"]),
                {"email"},
            ),
        )
        if set(value) - modelled
    ]
    if mfa != "OFF" and mfa_config.get("EmailMfaConfiguration"):
        unmodelled.append("EmailMfaConfiguration (email MFA)")
    elif mfa != "OFF" and not methods:
        unmodelled.append(f"MfaConfiguration {mfa} without TOTP or SMS")
    if unmodelled:
        raise SettingsError(
            f"the pool uses {'; '.join(unmodelled)}, which cognito-states does not model;"
            " use a pool without it"
        )
    return Pool(**values, declared=frozenset(POOL_KEYWORDS))


class RemoteBackend:
    """Shared by ``endpoint`` and ``aws``; the subclasses set the safety policy."""

    name = "endpoint"
    kind = "endpoint"
    real_pool = False
    PACE = 5.0  # requests a second per operation on a real pool (the quota S6)

    def __init__(
        self,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        profile: str | None = None,
        pool_id: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        endpoint_kind: str | None = None,
        codes: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        sms_role_arn: str | None = None,
        sms_external_id: str | None = None,
        generate_secret: bool = False,
        create_pool: bool = False,
        confirm: Callable[[str], bool] | None = None,
        ledger: Ledger | None = None,
        client_factory: Callable[..., Any] | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url
        self.region = region or "us-east-1"
        self.profile = profile
        self.pool_id = pool_id
        self.client_id = client_id
        self._client_secret = client_secret
        self.endpoint_kind = endpoint_kind
        self.codes_spec = codes
        self.email = email
        self.phone = OwnPhone(phone)
        self.sms_role = SmsRole(sms_role_arn, sms_external_id) if sms_role_arn else None
        # What prepare() was told: how to count the texts the run will send.
        self._texts: Callable[[Pool | None], int] | None = None
        self.generate_secret = generate_secret
        self.create_pool = create_pool
        self.confirm = confirm
        self.ledger = ledger or Ledger()
        self._client_factory = client_factory
        self.run = secrets.token_hex(3)
        self._client: Any = None
        self._session: Any = None
        self._pools: dict[Pool, ClientSettings] = {}
        self._fixed: ClientSettings | None = None
        self._actual: Pool | None = None
        self._codes: CodeSource = no_codes
        self._users = 0
        self._lock = threading.Lock()
        # How users wait between a sign-out and the next sign-in on a real pool.
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], None] = time.sleep
        # What the run will do, told in the confirmation question (explore's plan),
        # from the existing pool's settings (None: throwaway pools).
        self.preview: Callable[[Pool | None], str] | None = None
        self.latency: float | None = None  # seconds of one request, seen when opening
        # Every setting is checked here, before any network call (and in pytest, at
        # start-up): what is missing, an unknown profile, a region without Cognito.
        self._check_required()
        if client_factory is None:
            self._session = self._new_session()

    @property
    def emulated(self) -> bool:
        """An emulator, not real Cognito: its own words for "not implemented" count."""
        return not self.real_pool and self.kind != "aws"

    @property
    def per_operation_rps(self) -> float | None:
        """The pace this backend keeps per operation (None: as fast as answered)."""
        return self.PACE if self.real_pool else None

    # ------------------------------------------------------------------ set-up
    def _check_required(self) -> None:
        if self.pool_id and not self.client_id:
            raise SettingsError(
                f"{setting('client_id')} is not set (the app client of {setting('pool_id')})"
            )

    def _new_session(self) -> Any:
        """boto3's session: the profile and region are checked against the AWS config
        files and botocore's region list, with no network call."""
        import boto3
        from botocore.exceptions import ProfileNotFound

        try:
            session = boto3.Session(profile_name=self.profile, region_name=self.region)
        except ProfileNotFound:
            raise SettingsError(
                f"AWS profile {self.profile!r} is not in your AWS config files;"
                f" fix {setting('profile')}"
            ) from None
        if self.endpoint_url is None and self.region not in session.get_available_regions(
            "cognito-idp"
        ):
            raise SettingsError(
                f"region {self.region!r} has no Cognito user pools; fix {setting('region')}"
            )
        return session

    def versions(self) -> dict[str, str]:
        return {"boto3": version("boto3")}

    def _record(self, event: str, kind: str, pool_id: str, username: str | None) -> None:
        self.ledger.record(
            event,
            kind,
            backend=self.name,
            endpoint_url=self.endpoint_url,
            region=self.region,
            pool_id=pool_id,
            username=username,
            run=self.run,
        )

    def _make_client(self) -> Any:
        from botocore.config import Config

        if self._client_factory is not None:
            return self._client_factory()
        config = Config(
            retries={"max_attempts": 1, "mode": "standard"},  # we retry throttling ourselves
            connect_timeout=5,
            read_timeout=30,
        )
        return cognito_client(self._session, self.endpoint_url, self.real_pool, config=config)

    def prepare(self, pools: Sequence[Pool], texts: Callable[[Pool | None], int]) -> None:
        """Settings are checked when the backend is made; the pools it would create are
        checked here, before any network call."""
        for pool in dict.fromkeys(pools):
            self.check_pool(pool)
        self._texts = texts

    def open(self) -> None:
        raw = self._make_client()
        self._client = RetryingClient(raw, per_operation_rps=self.per_operation_rps)
        self._detect_kind()
        self._codes = load_code_source(
            self.codes_spec, moto_codes if self.kind == "moto" else no_codes
        )
        self._check_reachable()
        if self.pool_id:
            self._fixed, self._actual = self._describe(self.pool_id)
        self._confirm()

    def _detect_kind(self) -> None:
        if self.endpoint_kind:
            self.kind = self.endpoint_kind
        elif self.endpoint_url and is_moto_server(self.endpoint_url):
            self.kind = "moto"

    def _check_reachable(self) -> None:
        started = time.perf_counter()
        try:
            self._client.list_user_pools(MaxResults=1)
        except Exception as exc:
            raise self._failure("could not reach Cognito", exc) from None
        self.latency = time.perf_counter() - started

    def _failure(self, what: str, exc: BaseException) -> BackendError | SettingsError:
        code = error_code(exc)
        where = self.endpoint_url or f"AWS {self.region}"
        if code in ("ResourceNotFoundException", "InvalidParameterException"):
            return SettingsError(f"{what} at {where}: {code}: {_message(exc)}")
        if code is not None:
            return BackendError(f"{what} at {where}: {code}: {_message(exc)}")
        name = type(exc).__name__
        if name == "NoCredentialsError":
            return SettingsError(f"{what}: {_NO_CREDENTIALS}")
        return BackendError(f"{what} at {where}: {name}: {exc}")

    def _describe(self, pool_id: str) -> tuple[ClientSettings, Pool]:
        if not self.client_id:
            raise SettingsError(
                f"{setting('client_id')} is not set (the app client of {setting('pool_id')})"
            )
        try:
            user_pool = self._client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
            app = self._client.describe_user_pool_client(
                UserPoolId=pool_id, ClientId=self.client_id
            )["UserPoolClient"]
            mfa = self._client.get_user_pool_mfa_config(UserPoolId=pool_id)
        except Exception as exc:
            raise self._failure(f"pool {pool_id} / client {self.client_id}", exc) from None
        secret = self._client_secret or app.get("ClientSecret")
        settings = ClientSettings(self._client, pool_id, self.client_id, secret)
        return settings, pool_from_description(user_pool, app, mfa)

    def _confirm(self) -> None:
        """Real pools only: say where we are about to write, and ask."""

    def fixed_pool(self) -> Pool | None:
        return self._actual

    def check_pool(self, pool: Pool) -> None:
        """A throwaway real pool that texts needs an SMS role we cannot make up."""
        if not self.real_pool or self.pool_id or not pool.needs_sms_role:
            return
        if self.sms_role is None:
            raise SettingsError(
                f"{_texting(pool)} needs an SMS role to create a throwaway pool; pass"
                f" {setting('sms_role_arn')} arn:aws:iam::<account>:role/<name> (a role"
                " Cognito may assume, with sns:Publish), or run it on an existing pool with"
                f" {setting('pool_id')}"
            )

    def _sms_role(self) -> SmsRole:
        return self.sms_role or SmsRole(DUMMY_SMS_ROLE)

    def pool_settings(self) -> Pool:
        """`pool show`: the existing pool's settings (needs --pool-id)."""
        if self._actual is None:
            raise SettingsError(
                f"pool show needs an existing pool: {setting('pool_id')} and {setting('client_id')}"
            )
        return self._actual

    # ------------------------------------------------------------------ users
    def _settings_for(self, pool: Pool) -> ClientSettings:
        if self._fixed is not None:
            return self._fixed
        with self._lock:
            settings = self._pools.get(pool)
            if settings is None:
                label = f"cognito-states-{self.run}-{len(self._pools) + 1}"
                made: list[str] = []

                def created(pool_id: str) -> None:
                    made.append(pool_id)
                    self._record("created", "pool", pool_id, None)

                self.check_pool(pool)
                try:
                    settings = create_pool(
                        self._client,
                        pool,
                        label,
                        secret=self.generate_secret,
                        created=created,
                        sms_role=self._sms_role(),
                    )
                except Exception as exc:
                    if made and not self._pool_exists(made[0]):
                        self._record("deleted", "pool", made[0], None)
                    raise self._failure("could not create a pool", exc) from None
                self._pools[pool] = settings
        return settings

    def _pool_exists(self, pool_id: str) -> bool:
        try:
            self._client.describe_user_pool(UserPoolId=pool_id)
        except Exception as exc:
            return error_code(exc) != "ResourceNotFoundException"
        return True

    def user(self, pool: Pool, label: str) -> BotoUser:
        settings = self._settings_for(pool)
        with self._lock:
            self._users += 1
            number = self._users
            name = f"cs-{self.run}-{number}"
        addresses = example_addresses(name)
        if self.email:
            addresses = plus_addresses(self.email, name)
        pool_id = settings.pool_id
        return _LedgeredUser(
            settings,
            pool,
            name,
            addresses=addresses,
            codes=self._codes,
            created=lambda username: self._record("created", "user", pool_id, username),
            deleted=lambda username: self._record("deleted", "user", pool_id, username),
            mail_allowed=not self.real_pool or self.email is not None,
            suppress_invitations=self.real_pool,
            fatal_codes=FATAL_CODES,
            unimplemented=unimplemented_for(self.kind),
            # An emulator's own "not implemented"; a real pool's answers are all observed.
            unsupported_codes=UNSUPPORTED_CODES if self.emulated else frozenset(),
            crashes_observed=self.kind == "moto",
            sign_out_pause=SIGN_OUT_PAUSE if self.real_pool else 0.0,
            clock=self.clock,
            sleep=self.sleep,
            # On a real pool a user's only phone number is yours, one user at a time.
            phones=None if self.real_pool else example_phones(number),
            own_phone=self.phone if self.real_pool else None,
            fresh_totp=self.real_pool,
        )

    def close(self) -> None:
        """Delete the throwaway pools (their users go with them)."""
        for settings in list(self._pools.values()):
            try:
                self._client.delete_user_pool(UserPoolId=settings.pool_id)
            except Exception as exc:
                print(
                    f"cognito-states: could not delete pool {settings.pool_id} ({exc});"
                    " run `cognito-states cleanup` later",
                    file=sys.stderr,
                )
                continue
            self._record("deleted", "pool", settings.pool_id, None)
        self._pools.clear()


def _texting(pool: Pool) -> str:
    """The settings of ``pool`` that make Cognito text users, as a scenario writes them."""
    parts = []
    if "phone_number" in pool.auto_verified_attributes:
        parts.append("auto_verified_attributes=['phone_number']")
    if "SMS_MFA" in pool.mfa_methods:
        parts.append("mfa_methods=['SMS_MFA']")
    if "verified_phone_number" in pool.account_recovery:
        parts.append("account_recovery=[..., 'verified_phone_number']")
    return f"Pool({', '.join(parts)})"


class _LedgeredUser(BotoUser):
    """A BotoUser that records its deletion in the ledger."""

    def __init__(self, *args: Any, deleted: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deleted = deleted

    def close(self) -> None:
        if self.created_names and self.delete_user():
            for username in self.created_names:
                self._deleted(username)
        self._release_phone()


def _message(exc: BaseException) -> str:
    return scrub(error_message(exc)) or ""


class EndpointBackend(RemoteBackend):
    name = "endpoint"
    kind = "endpoint"

    def __init__(self, **options: Any) -> None:
        if not options.get("endpoint_url"):
            raise SettingsError(
                f"the endpoint backend needs {setting('endpoint_url')}, such as"
                " http://127.0.0.1:5000 for a moto server"
            )
        super().__init__(**options)


_NO_CREDENTIALS = (
    f"no AWS credentials; name a profile of your AWS config files with {setting('profile')},"
    " or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
)


class AwsBackend(RemoteBackend):
    name = "aws"
    kind = "aws"
    real_pool = True

    def _check_required(self) -> None:
        super()._check_required()
        if not self.pool_id and not self.create_pool:
            raise SettingsError(
                f"the aws backend needs {setting('pool_id')} and {setting('client_id')},"
                f" or {setting('create_pool')} to make throwaway pools"
            )

    def _new_session(self) -> Any:
        session = super()._new_session()
        # boto3's credential chain: the environment, the config files, then instance
        # metadata; never a Cognito call.
        if session.get_credentials() is None:
            raise SettingsError(_NO_CREDENTIALS)
        return session

    def _detect_kind(self) -> None:
        # Real Cognito unless told otherwise (tests reach a moto server this way).
        self.kind = self.endpoint_kind or "aws"

    def _confirm(self) -> None:
        account = "unknown account"
        try:
            kwargs = {"endpoint_url": self.endpoint_url} if self.endpoint_url else {}
            sts = self._session.client("sts", **kwargs) if self._session else None
            if sts is not None:
                account = f"account {sts.get_caller_identity()['Account']}"
        except Exception as exc:
            raise self._failure("could not identify the AWS account", exc) from None
        pool = self.pool_id or f"throwaway pools ({setting('create_pool')})"
        plan = f"\n{self.preview(self._actual)}\n" if self.preview else " "
        texts = self._texts(self._actual) if self._texts else 0
        sms = ""
        plural = "s" if texts != 1 else ""
        if texts and self.phone.number:
            sms = (
                f" About {texts} text message{plural} will go to {self.phone.shown} (SMS"
                " costs money; an account in the SNS sandbox texts only verified numbers)."
            )
        elif texts:
            sms = f" {texts} step{plural} would text a phone: skipped without {option('phone')}."
        question = (
            f"cognito-states will create and delete its own test users in {account},"
            f" region {self.region}, pool {pool}.{sms}{plan}Continue?"
        )
        if self.confirm is None or not self.confirm(question):
            raise SettingsError(f"not confirmed; pass {setting('yes')} to run without asking")
