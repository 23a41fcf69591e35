"""Backend settings: one table of every option a backend takes, and how a value is found:
given (a flag, a pytest option or ini value), then the environment, then a ``.env`` file in
the working folder, under the article's variable names. The CLI's ``--<name>`` flags and
the plugin's ``--cognito-<name>`` options and ``cognito_<name>`` ini values are all made
from this table; a missing or malformed value is one line naming where to set it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cognito_states.errors import SettingsError, option, setting

BACKEND_CHOICES = ("moto", "model", "endpoint", "aws")


@dataclass(frozen=True)
class Option:
    """One backend setting and the ways to give it."""

    name: str
    help: str
    env: str | None = None  # the environment (and .env) variable
    what: str = ""  # what a well-formed value is
    pattern: str | None = None
    switch: bool = False  # on or off (a flag without a value)
    choices: tuple[str, ...] | None = None
    secret: bool = False  # shown as (hidden); the plugin takes it from the environment only
    default: Any = None

    @property
    def flag(self) -> str:
        """The command line's flag."""
        return "--" + self.name.replace("_", "-")

    @property
    def pytest_flag(self) -> str:
        return "--cognito-" + self.name.replace("_", "-")

    @property
    def ini(self) -> str:
        return f"cognito_{self.name}"


OPTIONS: tuple[Option, ...] = (
    Option(
        "backend",
        "moto: in-process mock (default); model: the model itself; endpoint: any"
        " Cognito-compatible URL; aws: a real pool with your AWS credentials",
        choices=BACKEND_CHOICES,
        default="moto",
    ),
    Option(
        "endpoint_url",
        "the endpoint's URL",
        "COGNITO_ENDPOINT_URL",
        "a URL like http://127.0.0.1:5000",
        r"https?://\S+",
    ),
    Option(
        "endpoint_kind",
        "whose known gaps apply (default: a moto server is recognised by /moto-api/)",
        choices=("moto", "aws", "other"),
    ),
    Option(
        "region", "AWS region", "REGION", "an AWS region like eu-west-1", r"[a-z]{2}(-[a-z]+)+-\d"
    ),
    Option(
        "profile", "AWS profile from your config files", "AWS_PROFILE", "a profile name", r"\S+"
    ),
    Option(
        "pool_id",
        "use this existing pool",
        "USER_POOL_ID",
        "a user pool id like us-east-1_AbC123xyz",
        r"[\w-]+_[0-9a-zA-Z]+",
    ),
    # AWS's own client ids are [\w+]{1,128}; emulators (moto) make UUIDs.
    Option("client_id", "its app client", "COGNITO_CLIENT_ID", "an app client id", r"[\w+]{1,128}"),
    Option(
        "client_secret",
        "the client's secret, if DescribeUserPoolClient cannot read it",
        "COGNITO_CLIENT_SECRET",
        "an app client secret",
        r"[\w+/=-]{1,128}",
        secret=True,
    ),
    Option("create_pool", "aws: create throwaway pools per declaration", switch=True),
    Option("generate_secret", "give throwaway app clients a secret", switch=True),
    Option(
        "codes",
        "confirmation codes: 'prompt' (ask at the terminal) or module:function",
        what="'prompt' or module:function",
    ),
    Option(
        "email",
        "aws: your address; each user gets you+<run>-<n>@domain",
        "MY_USERNAME",
        "your own email address, like you@example.org",
        r"[^@\s+]+@[^@\s]+\.[^@\s]+",
    ),
    Option(
        "phone",
        "aws: your phone number, given to one user at a time; steps that would give a"
        " user a phone number (and so could text it) need it, the others are skipped",
        "MY_PHONE",
        "a phone number in E.164 form, like +447700900123",
        r"\+[1-9]\d{6,14}",
    ),
    Option(
        "sms_role_arn",
        "aws: the IAM role Cognito assumes to send SMS (sns:Publish), for throwaway pools"
        " that text (phone auto-verified, SMS MFA, phone recovery)",
        "COGNITO_SMS_ROLE_ARN",
        "an IAM role ARN like arn:aws:iam::123456789012:role/cognito-sms",
        r"arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+",
    ),
    Option(
        "sms_external_id",
        "aws: the external id the SMS role's trust policy asks for, if any",
        "COGNITO_SMS_EXTERNAL_ID",
        "an external id",
        r"[\w+=,.@:/-]{2,1224}",
    ),
    Option("yes", "aws: do not ask before touching the pool", switch=True),
)
OPTION = {o.name: o for o in OPTIONS}
# variable -> (flag, what it is, pattern of a well-formed value), for the variables read
VARIABLES: Mapping[str, tuple[str, str, str]] = {
    o.env: (o.flag, o.what, o.pattern or r".*") for o in OPTIONS if o.env
}


def cli_name(name: str, alone: bool = False) -> str:
    """How the command line names a setting in a message."""
    o = OPTION[name]
    return f"{o.flag} (or {o.env})" if o.env and not alone else o.flag


def plugin_name(name: str, alone: bool = False) -> str:
    """How the pytest plugin names a setting in a message."""
    o = OPTION[name]
    if o.secret:
        return str(o.env)
    if alone:
        return o.pytest_flag
    where = f"{o.pytest_flag} (or {o.ini} in the ini file"
    return where + (f", or {o.env})" if o.env else ")")


class ConfigError(SettingsError):
    """A setting is missing or malformed: bad input, exit code 4."""


@dataclass(frozen=True)
class BackendSettings:
    """Every option with its value (None or False when nothing gave it), and where each
    value came from: "given", "environment" or ".env"."""

    backend: str = "moto"
    endpoint_url: str | None = None
    endpoint_kind: str | None = None
    region: str | None = None
    profile: str | None = None
    pool_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    create_pool: bool = False
    generate_secret: bool = False
    codes: str | None = None
    email: str | None = None
    phone: str | None = None
    sms_role_arn: str | None = None
    sms_external_id: str | None = None
    yes: bool = False
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> Any:
        return getattr(self, name)

    def require(self, name: str, why: str) -> str:
        value = getattr(self, name)
        if value is None:
            raise ConfigError(
                f"{setting(name)} is not set ({why}); give it as an option, in the"
                " environment or in .env"
            )
        return str(value)


def _dotenv(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def resolve(given: Mapping[str, Any], cwd: Path | None = None) -> BackendSettings:
    """Given values win over the environment, which wins over ``.env``; values are
    checked. ``given`` maps option names to values (None or False: not given)."""
    unknown = set(given) - set(OPTION)
    if unknown:
        raise ValueError(f"unknown settings: {sorted(unknown)}")
    dotenv = _dotenv((cwd or Path.cwd()) / ".env")
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for o in OPTIONS:
        found: tuple[str, Any] | None = None
        if given.get(o.name) not in (None, False):
            found = ("given", given[o.name])
        elif o.env and not o.switch:
            found = next(
                ((origin, layer[o.env]) for origin, layer in _layers(dotenv) if layer.get(o.env)),
                None,
            )
        if found is None:
            continue
        origin, value = found
        _check(o, value, origin)
        values[o.name], origins[o.name] = value, origin
    return BackendSettings(**values, origins=origins)


def _layers(dotenv: Mapping[str, str]) -> tuple[tuple[str, Mapping[str, str]], ...]:
    return (("environment", os.environ), (".env", dotenv))


def _check(o: Option, value: Any, origin: str) -> None:
    if o.switch:
        return
    if o.choices is not None and value not in o.choices:
        raise ConfigError(f"{setting(o.name)} {value!r} is not one of {', '.join(o.choices)}")
    if o.pattern is not None and not re.fullmatch(o.pattern, str(value)):
        where = {
            "given": option(o.name),
            "environment": f"{o.env} in the environment",
            ".env": f"{o.env} in .env",
        }[origin]
        shown = "(hidden)" if o.secret else repr(value)
        raise ConfigError(f"{o.env or o.name} {shown} is not {o.what}; fix {where}")


SETTING_NAMES: tuple[str, ...] = tuple(
    f.name for f in fields(BackendSettings) if f.name != "origins"
)
Namer = Callable[[str], str]
