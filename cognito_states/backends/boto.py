"""A scenario user driven through boto3's cognito-idp client, for every backend that
speaks Cognito's API (moto in-process, an endpoint, a real pool).

The driver makes up and keeps the user's passwords, tokens, session, TOTP secret and
codes; none of them leaves this module.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from cognito_states.codes import CodeSource, NoCode, moto_codes
from cognito_states.errors import BackendError, StepSkipped
from cognito_states.operations import MFA_SETUP, MFA_TYPES, SPEC, Need, Op, Operation
from cognito_states.scenario import Pool, Step
from cognito_states.scrub import scrub
from cognito_states.statuses import NA, OK, TOKENS, UNSUPPORTED, Tokens
from cognito_states.totp import totp_code
from cognito_states.views import Answer, Outcome, View

# The code a client sends when none was sent to it (it can only make one up), and the
# code it sends for ``wrong_code=True`` (any code but the one sent).
MADE_UP_CODE = "000000"
WRONG_CODE = "999999"

# How an emulator says it lacks an operation, in its own words: cognito-local answers
# Unsupported, others NotImplemented(Exception), UnknownOperationException, InvalidAction
# or a bare HTTP 501. Read only from emulators: on AWS such a code is an answer to observe.
UNSUPPORTED_CODES = frozenset(
    {
        "Unsupported",
        "NotImplemented",
        "NotImplementedException",
        "UnknownOperationException",
        "InvalidAction",
        "501",
    }
)
# A server error: the backend crashed, it did not answer as Cognito.
SERVER_ERRORS = frozenset({"500", "InternalFailure", "InternalServerError"})

# Revocation is timestamp-based on real pools: tokens from a sign-in made right after a
# global sign-out are often rejected as revoked (evidence review, section 6). Real pools
# leave this long between a call that revokes the user's tokens and the next sign-in.
SIGN_OUT_PAUSE = 1.0

# Values given to required attributes other than email, so that sign-up succeeds.
_ATTRIBUTE_VALUES = {
    "name": "Scenario User",
    "given_name": "Scenario",
    "family_name": "User",
    "middle_name": "M",
    "nickname": "scenario",
    "preferred_username": None,  # filled with the user's name
    "address": "1 Example Street",
    "birthdate": "2000-01-01",
    "gender": "unspecified",
    "locale": "en",
    "website": "https://example.com",
    "zoneinfo": "UTC",
    "profile": "https://example.com/profile",
    "picture": "https://example.com/picture.png",
}


def new_password() -> str:
    """A fresh password meeting Cognito's default policy (upper, lower, digit, symbol)."""
    return f"Cs{secrets.token_urlsafe(12)}7!"


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    digest = hmac.new(
        client_secret.encode(), (username + client_id).encode(), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode()


@dataclass
class ClientSettings:
    """Where a scenario's user lives: a client, a pool and an app client."""

    client: Any
    pool_id: str
    client_id: str
    client_secret: str | None = None


def example_addresses(name: str) -> Callable[[int], str]:
    """Made-up addresses at example.com (RFC 2606): safe where no mail is sent."""
    return lambda n: f"{name}@example.com" if n == 0 else f"{name}+{n}@example.com"


def plus_addresses(email: str, name: str) -> Callable[[int], str]:
    """The person's own mailbox, one plus-address per user: you+<user>[-n]@domain."""
    local, _, domain = email.partition("@")
    return lambda n: f"{local}+{name}@{domain}" if n == 0 else f"{local}+{name}-{n}@{domain}"


def example_phones(user: int) -> Callable[[int], str]:
    """Made-up phone numbers, safe where nothing is texted (moto, an emulator): North
    America's numbers for fiction, +1 202 555-0100 to -0199. The user's n-th number;
    users made one after another do not share one (unique numbers: S11)."""
    return lambda n: f"+1202555{(user * 7 + n) % 100 + 100:04d}"


class OwnPhone:
    """The person's own phone number on a real pool (``--phone``): the only number a
    user there may have, so that Cognito never texts a made-up one. One user holds it at
    a time; it is free again when that user is deleted."""

    def __init__(self, number: str | None) -> None:
        self.number = number
        self.holder: str | None = None
        self._lock = threading.Lock()

    @property
    def shown(self) -> str:
        """The number as messages show it: its last four digits only."""
        return f"+…{self.number[-4:]}" if self.number else "(none)"

    def claim(self, user: str) -> str:
        if self.number is None:
            raise StepSkipped(
                "would give the user a made-up phone number that Cognito could text;"
                " pass --phone +<your number> (pytest: --cognito-phone; or set MY_PHONE)"
            )
        with self._lock:
            if self.holder not in (None, user):
                raise StepSkipped(
                    f"your phone number {self.shown} belongs to another user of this run"
                    " until it is deleted; a second number would be made up"
                )
            self.holder = user
        return self.number

    def release(self, user: str) -> None:
        with self._lock:
            if self.holder == user:
                self.holder = None


def sends_mail(step: Step, pool: Pool) -> bool:
    """Whether real Cognito would mail the user for this step (operations.SPEC)."""
    return SPEC[step.op].sends_mail(step.kwargs, pool)


def revokes(op: Op) -> bool:
    """A success revokes the user's tokens (global sign-outs, disable, RevokeToken)."""
    return SPEC[op].holds_after.get("tokens") is Tokens.revoked


def signs_in(op: Op) -> bool:
    """The call asks for tokens: a sign-in flow, or the answer to its challenge."""
    operation = SPEC[op]
    return bool(operation.flow or operation.flow_keyword) or operation.needs is Need.session


@dataclass
class BotoUser:
    """One scenario user on a Cognito-compatible API."""

    settings: ClientSettings
    pool: Pool
    name: str
    addresses: Callable[[int], str] | None = None
    codes: CodeSource = moto_codes
    # Turned into outcomes instead of stopping the run (in-process moto raises these).
    crash_types: tuple[type[BaseException], ...] = ()
    # Told the Cognito username of every user this driver creates (the ledger).
    created: Callable[[str], None] | None = None
    # On a real pool: never mail a made-up address; invitations are suppressed.
    mail_allowed: bool = True
    suppress_invitations: bool = False
    # Error codes that mean the caller is misconfigured: stop, never observe.
    fatal_codes: frozenset[str] = frozenset()
    # Operations the backend is known not to implement: its HTTP 500 means unsupported,
    # and no code source is asked for a code they would carry.
    unimplemented: frozenset[str] = frozenset()
    # Error codes that mean "not implemented here" (UNSUPPORTED_CODES on emulators; none
    # on AWS): the step is unsupported, with the code in its note.
    unsupported_codes: frozenset[str] = frozenset()
    # Whether a server error (HTTP 5xx) is observed as error:InternalError: on moto,
    # whose known gaps list its crashes. Anywhere else it stops the scenario (exit 3).
    crashes_observed: bool = False
    # Real pools: seconds between a call that revokes tokens and the next sign-in.
    sign_out_pause: float = 0.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    revoked_at: float | None = None  # when the last revoking call returned
    # Made-up phone numbers (moto, emulators); on a real pool None, and ``own_phone``
    # is the one number a user may have.
    phones: Callable[[int], str] | None = None
    own_phone: OwnPhone | None = None
    # Real pools: never send a TOTP code twice (wait for the next 30-second step).
    fresh_totp: bool = False

    password: str | None = field(default=None, repr=False)
    access_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    session: str | None = field(default=None, repr=False)
    challenge_name: str | None = None  # the pending challenge the session answers
    challenge_user: str | None = field(default=None, repr=False)
    totp_secret: str | None = field(default=None, repr=False)
    totp_step: int | None = None  # the 30-second step of the last TOTP code sent
    required: tuple[str, ...] = ()
    # Kinds of code Cognito mailed and no successful call has used yet (operations.SPEC:
    # Mail.code, Operation.code), and codes a backend handed back itself (moto's
    # forgot-password code comes in a response header).
    codes_sent: set[str] = field(default_factory=set)
    codes_received: dict[str, str] = field(default_factory=dict, repr=False)
    created_names: list[str] = field(default_factory=list)  # written before the call
    calls: int = 0  # API calls made, clean-up included
    email: str | None = None
    emails_made: int = 0
    phone: str | None = None  # the user's phone number, once it has one
    phones_made: int = 0
    admin_name: str | None = None
    replaced: list[str] = field(default_factory=list)  # earlier usernames of this user

    def __post_init__(self) -> None:
        if self.addresses is None:
            self.addresses = example_addresses(self.name)
        self.email = self._address(0)
        self.admin_name = self.email if self.pool.email_is_username else self.name

    def _new_phone(self) -> str:
        """The next phone number to give the user: a made-up one, or on a real pool the
        person's own (one user at a time; never a second one)."""
        if self.phones is not None:
            number = self.phones(self.phones_made)
            self.phones_made += 1
            return number
        own = self.own_phone or OwnPhone(None)
        if self.phone is not None:
            raise StepSkipped(
                f"the user has your phone number {own.shown} already; a new one would be"
                " made up, and Cognito could text it"
            )
        return own.claim(self.name)

    # ------------------------------------------------------------------ helpers
    def _address(self, n: int) -> str:
        assert self.addresses is not None
        return self.addresses(n)

    @property
    def login(self) -> str:
        """What the user types to sign in."""
        if self.pool.email_is_username and self.email:
            return self.email
        if self.pool.phone_is_username and self.phone:
            return self.phone
        return self.name

    def _hash(self, username: str) -> dict[str, str]:
        s = self.settings
        return (
            {"SECRET_HASH": secret_hash(username, s.client_id, s.client_secret)}
            if s.client_secret
            else {}
        )

    def _secret_kw(self, username: str) -> dict[str, str]:
        s = self.settings
        return (
            {"SecretHash": secret_hash(username, s.client_id, s.client_secret)}
            if s.client_secret
            else {}
        )

    def _other_attributes(self) -> list[dict[str, str]]:
        attrs = []
        for attr in self.pool.required_attributes:
            if attr in ("email", "phone_number"):  # given by the step (the pool gives_phone)
                continue
            value = _ATTRIBUTE_VALUES.get(attr) or self.name
            attrs.append({"Name": attr, "Value": value})
        return attrs

    def _keep_tokens(self, result: dict[str, Any]) -> None:
        self.access_token = result.get("AccessToken", self.access_token)
        self.refresh_token = result.get("RefreshToken", self.refresh_token)
        self.session = None
        self.required = ()

    def _auth_outcome(self, response: dict[str, Any], username: str) -> Answer:
        if "AuthenticationResult" in response:
            self._keep_tokens(response["AuthenticationResult"])
            self.challenge_name = None
            return Answer(Outcome(TOKENS))
        name = response.get("ChallengeName", "")
        if not name:  # neither tokens nor a challenge: moto's answer to SELECT_MFA_TYPE
            self.session = self.challenge_name = None
            return Answer(Outcome(UNSUPPORTED))
        self.session = response.get("Session")
        self.challenge_name = name
        # MFAS_CAN_SETUP is a JSON list on Cognito and a Python repr on moto: not read.
        params = response.get("ChallengeParameters") or {}
        self.challenge_user = params.get("USER_ID_FOR_SRP") or params.get("USERNAME") or username
        required: tuple[str, ...] = ()
        if "requiredAttributes" in params:
            try:
                required = tuple(json.loads(params["requiredAttributes"]))
            except (TypeError, ValueError):
                required = ()
        self.required = required
        if name == "NEW_PASSWORD_REQUIRED":
            return Answer(Outcome.challenge(name), required)
        return Answer(Outcome.challenge(name))

    # ------------------------------------------------------------------ the driver
    def holds(self, need: Need | None) -> bool:
        """Whether this client holds what a call needs (operations.SPEC)."""
        held = {
            None: True,
            Need.access_token: self.access_token is not None,
            Need.refresh_token: self.refresh_token is not None,
            Need.session: self.session is not None,
            Need.setup_session_or_access_token: self._setup_session() is not None
            or self.access_token is not None,
        }
        return held[need]

    def align(self, *, tokens: bool, session: bool, codes: Collection[str], totp: bool) -> None:
        """Drop what the model says this client does not hold: tokens, a challenge's
        session, codes of kinds other than ``codes``, a TOTP secret. A covering walk
        keeps one client while the model sees users deleted and made anew (a new user's
        client holds nothing yet): without this it would send a stale token, session,
        code or TOTP code the model's client cannot have."""
        if not tokens:
            self.access_token = self.refresh_token = None
        if not session:
            self.session, self.challenge_name, self.challenge_user = None, None, None
            self.required = ()
        for kind in [k for k in self.codes_sent if k not in codes]:
            self.codes_sent.discard(kind)
        for kind in [k for k in self.codes_received if k not in codes]:
            del self.codes_received[kind]
        if not totp:
            self.totp_secret, self.totp_step = None, None

    def _setup_session(self) -> str | None:
        """The session of a pending MFA_SETUP, which TOTP set-up uses before a token."""
        return self.session if self.challenge_name == MFA_SETUP else None

    def act(self, step: Step) -> Answer:
        kwargs = step.kwargs
        if not self.holds(SPEC[step.op].needs_for(kwargs)):
            return Answer(Outcome(NA))  # no client could send it
        invitation = step.op is Op.admin_create_user and kwargs["message_action"] is None
        if not self.mail_allowed and sends_mail(step, self.pool) and not invitation:
            raise StepSkipped(
                "would make Cognito mail a made-up address; pass --email you@domain"
                " (pytest: --cognito-email; or set MY_USERNAME) to receive it"
            )
        if self.suppress_invitations and kwargs.get("message_action", "") is None:
            kwargs["message_action"] = "SUPPRESS"
        self._pace(step.op)
        handler = getattr(self, f"_op_{step.op}")
        try:
            answer: Answer = handler(**kwargs)
            self.calls += 1
            self._codes_after(SPEC[step.op], kwargs, answer)
            if revokes(step.op):
                self.revoked_at = self.clock()
            return answer
        except NoCode as exc:
            raise StepSkipped(str(exc)) from None
        except StepSkipped:
            raise
        except NotImplementedError:
            self.calls += 1
            return Answer(Outcome(UNSUPPORTED))
        except Exception as exc:
            self.calls += 1
            code = error_code(exc)
            if code is not None and code in self.fatal_codes:
                raise BackendError(f"{step.op} was refused: {code}: {self._scrub(exc)}") from None
            if code is not None:
                return self._error_answer(step, code, exc)
            if self.crash_types and isinstance(exc, self.crash_types):
                crash = f"{type(exc).__name__}: {exc}"
                return Answer(Outcome.error("InternalError"), message=self._scrub(crash))
            raise BackendError(
                f"{step.op} failed: {type(exc).__name__}: {self._scrub(exc)}"
            ) from None

    def _codes_after(self, operation: Operation, kwargs: dict[str, Any], answer: Answer) -> None:
        """After a successful call: the code it carried is used up, the code it made
        Cognito mail or text is pending (operations.SPEC)."""
        if operation.code is not None:
            self.codes_sent.discard(operation.code)
            self.codes_received.pop(operation.code, None)
        sent = operation.sends_code(kwargs, self.pool)
        if sent is not None:
            self.codes_sent.add(sent)
        sms = operation.sms
        texted = sms is not None and sms.code is not None and sms.outcome == answer.outcome
        if texted and sms is not None and sms.code and sms.when(self._facts(kwargs)):
            self.codes_sent.add(sms.code)

    def _facts(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """What this client knows of the facts an Sms condition reads (model.facts):
        the keywords, the pool and whether the user has a phone; not where account
        recovery goes (those codes come by mail's kind too)."""
        from cognito_states.model import pool_facts

        has_phone = self.phone is not None
        return {
            **{f"arg.{k}": v for k, v in kwargs.items()},
            **pool_facts(self.pool),
            "has_phone": has_phone,
            "has_phone_after": has_phone,
            "recovery": None,
        }

    def _code(self, op: Op, wrong: bool) -> str:
        """The code a call of ``op`` sends: the one Cognito mailed for its kind (from the
        backend or the code source), or one any client could make up."""
        kind = SPEC[op].code
        assert kind is not None, op  # only operations whose spec names a code call this
        if wrong:
            return WRONG_CODE  # no need to ask for the right one
        if kind not in self.codes_sent or op in self.unimplemented:
            return MADE_UP_CODE  # nothing was sent, or nothing will read it
        received = self.codes_received.get(kind)
        if received is not None:
            return received
        return self.codes(kind, self.admin_name or self.name, self.email)

    def _error_answer(self, step: Step, code: str, exc: BaseException) -> Answer:
        """An error the backend answered: an observed outcome, ``unsupported`` (in the
        emulator's own words, or an operation it is known to lack), or, for a crash,
        a backend error: a crash is never an answer to judge."""
        status = http_status(exc)
        said = f"{code}: {self._scrub(error_message(exc))}".removesuffix(": ")
        if code in self.unsupported_codes or (status == 501 and self.unsupported_codes):
            return Answer(Outcome(UNSUPPORTED), message=said)
        if code in SERVER_ERRORS or (status is not None and status >= 500):
            if step.op in self.unimplemented:
                return Answer(Outcome(UNSUPPORTED), message=said)
            if self.crashes_observed:
                return Answer(Outcome.error("InternalError"))
            shown = said if status is None else f"HTTP {status}"
            if status is not None and said != str(status):
                shown += f" {said.removeprefix(str(status) + ': ')}"
            raise BackendError(
                f"{step.op}: the backend failed with a server error ({shown});"
                " a crash is not an answer to judge"
            )
        return Answer(Outcome.error(code), message=self._scrub(error_message(exc)) or None)

    def observe(self, answer: Answer) -> View:
        user = self.read_user()
        if user is None:
            return View.of({}, answer)
        attrs = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
        if attrs.get("email"):
            self.email = attrs["email"]
        phone_verified = attrs.get("phone_number_verified")
        seen = {
            "status": user["UserStatus"],
            "enabled": bool(user["Enabled"]),
            "email_verified": attrs.get("email_verified", "false").lower() == "true",
            "has_email": "email" in attrs,
            "has_phone": "phone_number" in attrs,
            # None: no phone number (and no flag); a number without the flag: unverified.
            "phone_number_verified": phone_verified.lower() == "true"
            if phone_verified is not None
            else (False if "phone_number" in attrs else None),
            # AWS leaves both out for a user without MFA; moto sends [] and "".
            "mfa_methods": tuple(user.get("UserMFASettingList") or ()),
            "preferred_mfa": user.get("PreferredMfaSetting") or None,
        }
        return View.of(seen, answer)

    def read_user(self) -> dict[str, Any] | None:
        """AdminGetUser's answer for this user (None: no such user): one call."""
        s = self.settings
        self.calls += 1
        try:
            user: dict[str, Any] = s.client.admin_get_user(
                UserPoolId=s.pool_id, Username=self.admin_name
            )
        except Exception as exc:
            if error_code(exc) == "UserNotFoundException":
                return None
            raise BackendError(
                f"AdminGetUser failed: {type(exc).__name__}: {self._scrub(exc)}"
            ) from None
        return user

    def _scrub(self, error: BaseException | str) -> str:
        """An error's text with every secret this driver holds masked, and anything else
        that looks like a token, session, code or secret (scrub.py)."""
        held = (
            self.password,
            self.access_token,
            self.refresh_token,
            self.session,
            self.totp_secret,
            *self.codes_received.values(),
            self.settings.client_secret,
        )
        return scrub(str(error), held) or ""

    def _pace(self, op: Op) -> None:
        """On real pools, a sign-in waits until ``sign_out_pause`` has passed since the
        last call that revoked the user's tokens (revocation is timestamp-based)."""
        if not self.sign_out_pause or self.revoked_at is None or not signs_in(op):
            return
        wait = self.revoked_at + self.sign_out_pause - self.clock()
        if wait > 0:
            self.sleep(wait)
        self.revoked_at = None

    def _will_create(self, username: str) -> None:
        """Write the ledger before the call, so a kill between the two leaks nothing."""
        if username not in self.created_names:
            self.created_names.append(username)
            if self.created:
                self.created(username)

    def delete_user(self) -> bool:
        """Delete the user if this driver created it; True when it is gone. A user an
        emulator made again under a new username (moto's RESEND) goes too."""
        if not self.created_names:
            return True
        s = self.settings
        gone = True
        for name in dict.fromkeys([*self.replaced, self.admin_name]):
            self.calls += 1
            try:
                s.client.admin_delete_user(UserPoolId=s.pool_id, Username=name)
            except Exception as exc:
                gone = error_code(exc) == "UserNotFoundException"
        return gone

    def close(self) -> None:
        self.delete_user()
        self._release_phone()

    def _release_phone(self) -> None:
        if self.own_phone is not None:
            self.own_phone.release(self.name)

    # ------------------------------------------------------------------ operations
    def _op_admin_create_user(
        self,
        email: bool,
        email_verified: bool | None,
        message_action: str | None,
        phone: bool,
        phone_verified: bool | None,
    ) -> Answer:
        s = self.settings
        attrs = self._other_attributes()
        if email:
            attrs.append({"Name": "email", "Value": self.email or self._address(0)})
        if email_verified is not None:
            attrs.append({"Name": "email_verified", "Value": str(email_verified).lower()})
        if (phone or self.pool.gives_phone) and message_action != "RESEND":
            self.phone = self.phone or self._new_phone()
        if self.phone is not None and (phone or self.pool.gives_phone):
            attrs.append({"Name": "phone_number", "Value": self.phone})
        if phone_verified is not None:
            attrs.append({"Name": "phone_number_verified", "Value": str(phone_verified).lower()})
        temporary = new_password()
        kw: dict[str, Any] = {"UserAttributes": attrs, "TemporaryPassword": temporary}
        if message_action:
            kw["MessageAction"] = message_action
        username = self.login
        if message_action != "RESEND":
            self._will_create(username)
        response = s.client.admin_create_user(UserPoolId=s.pool_id, Username=username, **kw)
        if message_action == "RESEND":  # a new temporary password: no challenge pending
            self.session = self.challenge_name = None
        made = response["User"]["Username"]
        if self.created_names and made != self.admin_name and self.admin_name is not None:
            self.replaced.append(self.admin_name)  # moto: RESEND makes a second user
        self.admin_name = made
        self.password = temporary
        return Answer(Outcome(OK))

    def _op_admin_set_user_password(self, permanent: bool) -> Answer:
        s = self.settings
        password = new_password()
        s.client.admin_set_user_password(
            UserPoolId=s.pool_id,
            Username=self.admin_name,
            Password=password,
            Permanent=permanent,
        )
        self.password = password
        return Answer(Outcome(OK))

    def _new_address(self) -> dict[str, str]:
        """A new email attribute: the next address this user has not had."""
        self.emails_made += 1
        return {"Name": "email", "Value": self._address(self.emails_made)}

    def _op_admin_update_user_attributes(
        self,
        email_verified: bool | None,
        new_email: bool,
        phone_verified: bool | None,
        new_phone: bool,
    ) -> Answer:
        s = self.settings
        attrs = []
        if new_email:
            attrs.append(self._new_address())
        if email_verified is not None:
            attrs.append({"Name": "email_verified", "Value": str(email_verified).lower()})
        if new_phone:
            self.phone = self._new_phone()
            attrs.append({"Name": "phone_number", "Value": self.phone})
        if phone_verified is not None:
            attrs.append({"Name": "phone_number_verified", "Value": str(phone_verified).lower()})
        s.client.admin_update_user_attributes(
            UserPoolId=s.pool_id, Username=self.admin_name, UserAttributes=attrs
        )
        return Answer(Outcome(OK))

    def _password_for(self, wrong: bool) -> str:
        return new_password() if wrong or self.password is None else self.password

    def _op_admin_initiate_auth(self, wrong_password: bool) -> Answer:
        s = self.settings
        login = self.login
        params = {
            "USERNAME": login,
            "PASSWORD": self._password_for(wrong_password),
            **self._hash(login),
        }
        response = s.client.admin_initiate_auth(
            UserPoolId=s.pool_id,
            ClientId=s.client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters=params,
        )
        return self._auth_outcome(response, login)

    def _op_initiate_auth(self, auth_flow: str, wrong_password: bool) -> Answer:
        s = self.settings
        login = self.login
        if auth_flow == "REFRESH_TOKEN_AUTH":
            # With a secret, Cognito hashes the username the token belongs to.
            params = {
                "REFRESH_TOKEN": self.refresh_token,
                **self._hash(self.admin_name or login),
            }
            response = s.client.initiate_auth(
                ClientId=s.client_id, AuthFlow=auth_flow, AuthParameters=params
            )
            return self._auth_outcome(response, login)
        if auth_flow == "USER_SRP_AUTH":
            return self._srp(login, self._password_for(wrong_password))
        params = {
            "USERNAME": login,
            "PASSWORD": self._password_for(wrong_password),
            **self._hash(login),
        }
        response = s.client.initiate_auth(
            ClientId=s.client_id, AuthFlow=auth_flow, AuthParameters=params
        )
        return self._auth_outcome(response, login)

    def _srp(self, login: str, password: str) -> Answer:
        from cognito_states.backends.srp import srp_sign_in

        s = self.settings
        self.calls += 1  # the exchange is two calls; act counts the other
        response = srp_sign_in(s.client, s.pool_id, s.client_id, s.client_secret, login, password)
        return self._auth_outcome(response, login)

    def _answer(self) -> tuple[str, dict[str, str]]:
        username = self.challenge_user or self.login
        password = new_password()
        answers = {
            "USERNAME": username,
            "NEW_PASSWORD": password,
            **self._hash(username),
        }
        for item in self.required:
            attr = item.removeprefix("userAttributes.")
            if attr == "email":
                answers[item] = self.email or self._address(0)
            else:
                answers[item] = _ATTRIBUTE_VALUES.get(attr) or self.name
        return password, answers

    def _mfa_answer(self, op: Op, wrong_code: bool, mfa_type: str) -> dict[str, str]:
        """The answer to the pending MFA challenge: set-up done, a code, or a choice."""
        username = self.challenge_user or self.login
        answers = {"USERNAME": username, **self._hash(username)}
        name = self.challenge_name
        if name == "SOFTWARE_TOKEN_MFA":
            answers["SOFTWARE_TOKEN_MFA_CODE"] = self._totp(wrong_code)
        elif name == "SMS_MFA":
            answers["SMS_MFA_CODE"] = self._code(op, wrong_code)
        elif name == "SELECT_MFA_TYPE":
            answers["ANSWER"] = MFA_TYPES[mfa_type]
        return answers  # MFA_SETUP: the session VerifySoftwareToken returned says it all

    def _respond(self, op: Op, wrong_code: bool, mfa_type: str) -> Answer:
        s = self.settings
        name = self.challenge_name or "NEW_PASSWORD_REQUIRED"
        password = None
        if name == "NEW_PASSWORD_REQUIRED":
            password, answers = self._answer()
        else:
            answers = self._mfa_answer(op, wrong_code, mfa_type)
        kw: dict[str, Any] = {
            "ClientId": s.client_id,
            "ChallengeName": name,
            "Session": self.session,
            "ChallengeResponses": answers,
        }
        self.session = self.challenge_name = None  # a session answers once, whatever the answer
        if op is Op.admin_respond_to_auth_challenge:
            response = s.client.admin_respond_to_auth_challenge(UserPoolId=s.pool_id, **kw)
        else:
            response = s.client.respond_to_auth_challenge(**kw)
        if password is not None:
            self.password = password
        return self._auth_outcome(response, answers["USERNAME"])

    def _op_respond_to_auth_challenge(self, wrong_code: bool, mfa_type: str) -> Answer:
        return self._respond(Op.respond_to_auth_challenge, wrong_code, mfa_type)

    def _op_admin_respond_to_auth_challenge(self, wrong_code: bool, mfa_type: str) -> Answer:
        return self._respond(Op.admin_respond_to_auth_challenge, wrong_code, mfa_type)

    def _totp(self, wrong: bool) -> str:
        """A TOTP code for the secret the backend handed out (pyotp); without one, a
        code any client could make up."""
        if self.totp_secret is None:
            return MADE_UP_CODE
        code, step = totp_code(
            self.totp_secret, wrong=wrong, used_step=self.totp_step if self.fresh_totp else None
        )
        self.totp_step = step
        return code

    def _op_admin_user_global_sign_out(self) -> Answer:
        s = self.settings
        s.client.admin_user_global_sign_out(UserPoolId=s.pool_id, Username=self.admin_name)
        return Answer(Outcome(OK))

    def _op_global_sign_out(self) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.global_sign_out(AccessToken=self.access_token)
        return Answer(Outcome(OK))

    def _op_get_user(self) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.get_user(AccessToken=self.access_token)
        return Answer(Outcome(OK))

    def _op_change_password(self, wrong_password: bool) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        proposed = new_password()
        self.settings.client.change_password(
            AccessToken=self.access_token,
            PreviousPassword=self._password_for(wrong_password),
            ProposedPassword=proposed,
        )
        self.password = proposed
        return Answer(Outcome(OK))

    def _op_update_user_attributes(self, new_email: bool) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        assert new_email  # the spec refuses a call that changes nothing
        self.settings.client.update_user_attributes(
            AccessToken=self.access_token, UserAttributes=[self._new_address()]
        )
        return Answer(Outcome(OK))

    def _op_get_user_attribute_verification_code(self, attribute: str) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.get_user_attribute_verification_code(
            AccessToken=self.access_token, AttributeName=attribute
        )
        return Answer(Outcome(OK))

    def _op_verify_user_attribute(self, attribute: str, wrong_code: bool) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.verify_user_attribute(
            AccessToken=self.access_token,
            AttributeName=attribute,
            Code=self._code(Op.verify_user_attribute, wrong_code),
        )
        return Answer(Outcome(OK))

    def _token_or_session(self) -> dict[str, str]:
        """AssociateSoftwareToken and VerifySoftwareToken take one or the other."""
        session = self._setup_session()
        if session is not None:
            return {"Session": session}
        assert self.access_token is not None  # act() checked the spec's needs
        return {"AccessToken": self.access_token}

    def _op_associate_software_token(self) -> Answer:
        authorization = self._token_or_session()
        response = self.settings.client.associate_software_token(**authorization)
        self.totp_secret = response["SecretCode"]
        if "Session" in authorization and response.get("Session"):
            self.session = response["Session"]
        return Answer(Outcome(OK))

    def _op_verify_software_token(self, wrong_code: bool) -> Answer:
        authorization = self._token_or_session()
        response = self.settings.client.verify_software_token(
            **authorization, UserCode=self._totp(wrong_code), FriendlyDeviceName="cognito-states"
        )
        # With a session, the one returned answers MFA_SETUP (S1 VerifySoftwareToken);
        # with a token, moto returns one too, which answers nothing.
        if "Session" in authorization and response.get("Session"):
            self.session = response["Session"]
        return Answer(Outcome(OK))

    @staticmethod
    def _preferences(
        totp: bool | None, sms: bool | None, preferred: str | None
    ) -> dict[str, dict[str, bool]]:
        """SetUserMFAPreference's settings: a method is sent when its keyword is given or
        it is the preferred one (a method left out stays as it is)."""
        settings = {}
        for name, value, key in (
            ("totp", totp, "SoftwareTokenMfaSettings"),
            ("sms", sms, "SMSMfaSettings"),
        ):
            if value is None and preferred != name:
                continue
            entry = {"Enabled": True if value is None else value}
            if preferred == name:
                entry["PreferredMfa"] = True
            settings[key] = entry
        return settings

    def _op_set_user_mfa_preference(
        self, totp: bool | None, sms: bool | None, preferred: str | None
    ) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.set_user_mfa_preference(
            AccessToken=self.access_token, **self._preferences(totp, sms, preferred)
        )
        return Answer(Outcome(OK))

    def _op_admin_set_user_mfa_preference(
        self, totp: bool | None, sms: bool | None, preferred: str | None
    ) -> Answer:
        s = self.settings
        s.client.admin_set_user_mfa_preference(
            UserPoolId=s.pool_id,
            Username=self.admin_name,
            **self._preferences(totp, sms, preferred),
        )
        return Answer(Outcome(OK))

    def _op_sign_up(self) -> Answer:
        s = self.settings
        password = new_password()
        attrs = [
            *self._other_attributes(),
            {"Name": "email", "Value": self.email or self._address(0)},
        ]
        if self.pool.gives_phone:
            self.phone = self.phone or self._new_phone()
            attrs.append({"Name": "phone_number", "Value": self.phone})
        username = self.login
        self._will_create(username)
        response = s.client.sign_up(
            ClientId=s.client_id,
            Username=username,
            Password=password,
            UserAttributes=attrs,
            **self._secret_kw(username),
        )
        self.password = password
        if self.pool.alias_username:
            self.admin_name = response.get("UserSub", username)
        return Answer(Outcome(OK))

    def _op_confirm_sign_up(self, wrong_code: bool) -> Answer:
        s = self.settings
        login = self.login
        s.client.confirm_sign_up(
            ClientId=s.client_id,
            Username=login,
            ConfirmationCode=self._code(Op.confirm_sign_up, wrong_code),
            **self._secret_kw(login),
        )
        return Answer(Outcome(OK))

    def _op_admin_confirm_sign_up(self) -> Answer:
        s = self.settings
        s.client.admin_confirm_sign_up(UserPoolId=s.pool_id, Username=self.admin_name)
        return Answer(Outcome(OK))

    def _op_resend_confirmation_code(self) -> Answer:
        s = self.settings
        login = self.login
        s.client.resend_confirmation_code(
            ClientId=s.client_id, Username=login, **self._secret_kw(login)
        )
        return Answer(Outcome(OK))

    def _op_forgot_password(self) -> Answer:
        s = self.settings
        login = self.login
        response = s.client.forgot_password(
            ClientId=s.client_id, Username=login, **self._secret_kw(login)
        )
        headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
        # moto returns the code it would have mailed in this header.
        code = headers.get("x-moto-forgot-password-confirmation-code")
        if code:
            self.codes_received["forgot_password"] = code
        return Answer(Outcome(OK))

    def _op_confirm_forgot_password(self, wrong_code: bool) -> Answer:
        s = self.settings
        login = self.login
        password = new_password()
        s.client.confirm_forgot_password(
            ClientId=s.client_id,
            Username=login,
            ConfirmationCode=self._code(Op.confirm_forgot_password, wrong_code),
            Password=password,
            **self._secret_kw(login),
        )
        self.password = password
        return Answer(Outcome(OK))

    def _op_admin_reset_user_password(self) -> Answer:
        s = self.settings
        s.client.admin_reset_user_password(UserPoolId=s.pool_id, Username=self.admin_name)
        # Cognito mails a reset code for ConfirmForgotPassword (E5, operations.SPEC); it
        # replaces any code an earlier ForgotPassword sent, so that one is forgotten.
        self.codes_received.pop("forgot_password", None)
        return Answer(Outcome(OK))

    def _op_admin_disable_user(self) -> Answer:
        s = self.settings
        s.client.admin_disable_user(UserPoolId=s.pool_id, Username=self.admin_name)
        return Answer(Outcome(OK))

    def _op_admin_enable_user(self) -> Answer:
        s = self.settings
        s.client.admin_enable_user(UserPoolId=s.pool_id, Username=self.admin_name)
        return Answer(Outcome(OK))

    def _op_admin_delete_user(self) -> Answer:
        s = self.settings
        s.client.admin_delete_user(UserPoolId=s.pool_id, Username=self.admin_name)
        return Answer(Outcome(OK))

    def _op_delete_user(self) -> Answer:
        assert self.access_token is not None  # act() checked the spec's needs
        self.settings.client.delete_user(AccessToken=self.access_token)
        return Answer(Outcome(OK))

    def _op_revoke_token(self) -> Answer:
        assert self.refresh_token is not None  # act() checked the spec's needs
        s = self.settings
        kw = {"ClientSecret": s.client_secret} if s.client_secret else {}
        s.client.revoke_token(Token=self.refresh_token, ClientId=s.client_id, **kw)
        return Answer(Outcome(OK))


def http_status(exc: BaseException) -> int | None:
    """The HTTP status of a botocore ClientError, else None."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return status if isinstance(status, int) else None
    return None


def error_message(exc: BaseException) -> str:
    """The message of a botocore ClientError (its first line), else the exception's text."""
    response = getattr(exc, "response", None)
    text = str(exc)
    if isinstance(response, dict):
        text = str(response.get("Error", {}).get("Message") or "")
    return text.strip().split("\n", 1)[0]


def error_code(exc: BaseException) -> str | None:
    """The Cognito error code of a botocore ClientError, else None."""
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None


# A role ARN emulators accept for SmsConfiguration (moto checks nothing; no text is sent).
DUMMY_SMS_ROLE = "arn:aws:iam::123456789012:role/cognito-states-sms"


@dataclass(frozen=True)
class SmsRole:
    """The IAM role Cognito assumes to text users (SmsConfiguration), and its external
    id (the trust policy's sts:ExternalId condition), if it has one."""

    arn: str
    external_id: str | None = None

    def configuration(self) -> dict[str, str]:
        config = {"SnsCallerArn": self.arn}
        if self.external_id:
            config["ExternalId"] = self.external_id
        return config


def create_pool(
    client: Any,
    pool: Pool,
    label: str,
    secret: bool = False,
    created: Callable[[str], None] | None = None,
    sms_role: SmsRole | None = None,
) -> ClientSettings:
    """Create a user pool and app client with ``pool``'s settings. ``created`` hears the
    pool id the moment it exists; a pool whose client cannot be made is deleted again.

    MFA is set with SetUserPoolMfaConfig after CreateUserPool, which can set SMS MFA only
    (S1 CreateUserPool); a pool that texts (``Pool.needs_sms_role``) gets ``sms_role``."""
    kw: dict[str, Any] = {}
    if pool.username_attributes:
        kw["UsernameAttributes"] = list(pool.username_attributes)
    if pool.auto_verified_attributes:
        kw["AutoVerifiedAttributes"] = list(pool.auto_verified_attributes)
    if pool.required_attributes:
        kw["Schema"] = [
            {"Name": a, "Required": True, "Mutable": True} for a in pool.required_attributes
        ]
    if pool.attributes_require_verification_before_update:
        kw["UserAttributeUpdateSettings"] = {
            "AttributesRequireVerificationBeforeUpdate": list(
                pool.attributes_require_verification_before_update
            )
        }
    if pool.account_recovery:
        kw["AccountRecoverySetting"] = {
            "RecoveryMechanisms": [
                {"Priority": n, "Name": name}
                for n, name in enumerate(pool.account_recovery, start=1)
            ]
        }
    if pool.needs_sms_role:
        assert sms_role is not None, "the backend checks the SMS role before it creates pools"
        kw["SmsConfiguration"] = sms_role.configuration()
    pool_id = client.create_user_pool(PoolName=label, **kw)["UserPool"]["Id"]
    if created is not None:
        created(pool_id)
    try:
        if pool.uses_mfa:
            mfa: dict[str, Any] = {
                "SoftwareTokenMfaConfiguration": {
                    "Enabled": "SOFTWARE_TOKEN_MFA" in pool.mfa_methods
                },
            }
            if "SMS_MFA" in pool.mfa_methods:
                assert sms_role is not None
                mfa["SmsMfaConfiguration"] = {"SmsConfiguration": sms_role.configuration()}
            client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=pool.mfa, **mfa)
        app = client.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=f"{label}-client",
            GenerateSecret=secret,
            ExplicitAuthFlows=list(pool.auth_flows),
            PreventUserExistenceErrors=pool.prevent_user_existence_errors,
        )["UserPoolClient"]
    except BaseException:
        with contextlib.suppress(Exception):  # the ledger still has it for `cleanup`
            client.delete_user_pool(UserPoolId=pool_id)
        raise
    return ClientSettings(client, pool_id, app["ClientId"], app.get("ClientSecret"))
