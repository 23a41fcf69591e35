"""One backend factory (``backends.from_settings``) for the CLI and the pytest plugin: a
setting given to either, as a flag, an option or an ini value, reaches the same backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cognito_states import backends, cli
from cognito_states.config import OPTIONS, BackendSettings
from cognito_states.pytest_plugin import _CognitoSession

pytest_plugins = ["pytester"]

URL = "http://127.0.0.1:9"
VALUES = {
    "backend": "endpoint",
    "endpoint_url": URL,
    "endpoint_kind": "other",
    "region": "eu-west-1",
    "profile": "someone",
    "pool_id": "eu-west-1_Pool1",
    "client_id": "client1",
    "codes": "prompt",
    "email": "me@example.org",
    "phone": "+447700900123",
    "sms_role_arn": "arn:aws:iam::123456789012:role/cognito-sms",
    "sms_external_id": "external-1",
}
SWITCHES = ("create_pool", "generate_secret", "yes")
# What each setting becomes on the backend object.
ATTRIBUTES = {
    "endpoint_url": "endpoint_url",
    "endpoint_kind": "endpoint_kind",
    "region": "region",
    "profile": "profile",
    "pool_id": "pool_id",
    "client_id": "client_id",
    "codes": "codes_spec",
    "email": "email",
    "create_pool": "create_pool",
    "generate_secret": "generate_secret",
}


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[BackendSettings, Any]]:
    for o in OPTIONS:
        if o.env:
            monkeypatch.delenv(o.env, raising=False)
    # The profile is checked when the backend is built: it must exist.
    config = tmp_path / "aws-config"
    config.write_text(f"[profile {VALUES['profile']}]\nregion = eu-west-1\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    calls: list[tuple[BackendSettings, Any]] = []
    real = backends.from_settings

    def spy(settings: BackendSettings, confirm: Any = None) -> Any:
        backend = real(settings, confirm)
        calls.append((settings, backend))
        return backend

    monkeypatch.setattr(backends, "from_settings", spy)
    return calls


def _cli(*argv: str) -> None:
    cli._backend(cli.build_parser().parse_args(["run", *argv]))


def _plugin(pytester: pytest.Pytester, *argv: str) -> None:
    config = pytester.parseconfig(*argv)
    _CognitoSession(config)._make()


def _flags(prefix: str) -> list[str]:
    argv = []
    for name, value in VALUES.items():
        argv += [f"{prefix}{name.replace('_', '-')}", value]
    return argv + [f"{prefix}{name.replace('_', '-')}" for name in SWITCHES]


def _same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    for setting, attribute in ATTRIBUTES.items():
        assert getattr(a, attribute) == getattr(b, attribute), setting
    if hasattr(a, "phone"):  # the remote backends: your number and the SMS role
        assert a.phone.number == b.phone.number
        assert a.sms_role == b.sms_role


def test_a_flag_and_a_plugin_option_reach_the_same_backend(
    pytester: pytest.Pytester, built: list[tuple[BackendSettings, Any]]
) -> None:
    _cli(*_flags("--"))
    _plugin(pytester, *_flags("--cognito-"))
    (cli_settings, cli_backend), (plugin_settings, plugin_backend) = built
    assert cli_settings == plugin_settings
    assert {name: cli_settings.get(name) for name in VALUES} == VALUES
    assert all(cli_settings.get(name) is True for name in SWITCHES)
    # every option but the secret (environment only) was given here
    assert {*VALUES, *SWITCHES} == {o.name for o in OPTIONS if not o.secret}
    _same(cli_backend, plugin_backend)
    assert cli_backend.region == "eu-west-1"
    assert cli_backend.codes_spec == "prompt"
    assert cli_backend.phone.number == "+447700900123"
    assert cli_backend.sms_role.configuration() == {
        "SnsCallerArn": "arn:aws:iam::123456789012:role/cognito-sms",
        "ExternalId": "external-1",
    }


def test_an_ini_value_reaches_the_backend_like_a_flag(
    pytester: pytest.Pytester, built: list[tuple[BackendSettings, Any]]
) -> None:
    pytester.makeini(
        "[pytest]\n"
        + "".join(f"cognito_{name} = {value}\n" for name, value in VALUES.items())
        + "".join(f"cognito_{name} = true\n" for name in SWITCHES)
    )
    _plugin(pytester)
    _cli(*_flags("--"))
    (ini_settings, ini_backend), (cli_settings, cli_backend) = built
    assert ini_settings == cli_settings
    _same(ini_backend, cli_backend)


def test_an_option_wins_over_the_ini_file(
    pytester: pytest.Pytester, built: list[tuple[BackendSettings, Any]]
) -> None:
    pytester.makeini("[pytest]\ncognito_backend = model\ncognito_region = eu-west-1\n")
    _plugin(pytester, "--cognito-region", "eu-central-1")
    ((settings, backend),) = built
    assert (settings.backend, settings.region) == ("model", "eu-central-1")
    assert backend.name == "model"
