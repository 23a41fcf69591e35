"""Phone numbers and MFA on endpoints and real pools (the aws backend, pointed at a moto
server): no text to a made-up number (steps that would give a user a phone number need
--phone, which goes to one user at a time), an SMS role before a throwaway pool that
texts, the texts counted before anything is touched, and `pool show` and drift reading
the MFA configuration and the account recovery setting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from moto_server import (
    MotoServer,
    endpoint_args,
    ledger_entries,
    main_run,
    make_pool,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    write_scenario,
)
from test_safety import aws_args, failing, hook_cli_clients

from cognito_states.backends.boto import BotoUser, ClientSettings, OwnPhone
from cognito_states.errors import StepSkipped
from cognito_states.scenario import Pool, step

pytestmark = pytest.mark.usefixtures("remote_env")

MY_PHONE = "+447700900123"
ROLE = "arn:aws:iam::123456789012:role/cognito-sms"

PHONES = """
from cognito_states import Pool, Scenario, step

RECOVERY = Scenario(
    "reset by text",
    pool=Pool(),
    steps=[
        step.admin_create_user(phone=True, phone_verified=True),
        step.admin_set_user_password(permanent=True),
        step.admin_update_user_attributes(new_phone=True),
    ],
)
"""

TEXTING_POOL = """
from cognito_states import Pool, Scenario, step

SMS = Scenario(
    "sms mfa",
    pool=Pool(mfa="OPTIONAL", mfa_methods=["SMS_MFA"]),
    steps=[
        step.admin_create_user(phone=True),
        step.admin_set_user_password(permanent=True),
        step.admin_set_user_mfa_preference(preferred="sms"),
        step.admin_initiate_auth(),
    ],
)
"""


def test_without_your_number_no_user_gets_a_phone_number(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created: list[dict[str, Any]] = []
    hook_cli_clients(monkeypatch, {"AdminCreateUser": failing("none", 0, created)})
    path = write_scenario(tmp_path, "phones.py", PHONES)

    code, out, err = main_run(capsys, "run", str(path), "--json", *aws_args(moto_server))

    assert code == 0, err
    (scenario,) = json.loads(out)["scenarios"]
    assert [s["verdict"] for s in scenario["steps"]] == ["skipped"] * 3
    assert "--phone" in scenario["steps"][0]["note"]
    assert "made-up phone number" in scenario["steps"][0]["note"]
    assert created == []  # nothing was sent


def test_your_number_goes_to_the_user_and_no_second_one_is_made_up(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    created: list[dict[str, Any]] = []
    updated: list[dict[str, Any]] = []
    hook_cli_clients(
        monkeypatch,
        {
            "AdminCreateUser": failing("none", 0, created),
            "AdminUpdateUserAttributes": failing("none", 0, updated),
        },
    )
    path = write_scenario(tmp_path, "phones.py", PHONES)

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *aws_args(moto_server, "--phone", MY_PHONE)
    )

    assert code == 0, err
    (scenario,) = json.loads(out)["scenarios"]
    assert [s["verdict"] for s in scenario["steps"]] == ["match", "match", "skipped"]
    assert "a new one would be made up" in scenario["steps"][2]["note"]
    (call,) = created
    phones = [a["Value"] for a in call["UserAttributes"] if a["Name"] == "phone_number"]
    assert phones == [MY_PHONE]
    assert updated == []
    assert MY_PHONE not in out + err  # the number is shown by its last digits only


def test_your_number_goes_to_one_user_at_a_time() -> None:
    own = OwnPhone(MY_PHONE)

    class Client:
        def admin_create_user(self, **kw: Any) -> dict[str, Any]:
            return {"User": {"Username": kw["Username"]}}

        def admin_delete_user(self, **kw: Any) -> None:
            return None

    def user(name: str) -> BotoUser:
        return BotoUser(
            ClientSettings(Client(), "pool", "client"),
            Pool(),
            name,
            phones=None,
            own_phone=own,
            mail_allowed=False,
            suppress_invitations=True,
        )

    first, second = user("cs-1"), user("cs-2")
    assert first.act(step.admin_create_user(phone=True)).outcome == "ok"
    assert first.phone == MY_PHONE
    with pytest.raises(StepSkipped, match="belongs to another user"):
        second.act(step.admin_create_user(phone=True))
    first.close()  # deleted: the number is free again
    assert second.act(step.admin_create_user(phone=True)).outcome == "ok"
    assert (own.holder, own.shown) == ("cs-2", "+…0123")


def test_a_throwaway_pool_that_texts_needs_an_sms_role_before_anything_runs(
    moto_server: MotoServer, tmp_path: Path, remote_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = pool_ids(moto_server.client())
    path = write_scenario(tmp_path, "sms.py", TEXTING_POOL)

    code, out, err = main_run(capsys, "run", str(path), *aws_args(moto_server))

    assert code == 4
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Pool(mfa_methods=['SMS_MFA']) needs an SMS role" in lines[0]
    assert "--sms-role-arn (or COGNITO_SMS_ROLE_ARN)" in lines[0]
    assert "Traceback" not in err
    assert out == ""
    assert pool_ids(moto_server.client()) == before
    assert not remote_env.exists() or ledger_entries(remote_env) == []


def test_with_an_sms_role_the_pool_is_made_to_text_and_the_texts_are_counted(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pools: list[dict[str, Any]] = []
    mfa: list[dict[str, Any]] = []
    hook_cli_clients(
        monkeypatch,
        {
            "CreateUserPool": failing("none", 0, pools),
            "SetUserPoolMfaConfig": failing("none", 0, mfa),
        },
    )
    path = write_scenario(tmp_path, "sms.py", TEXTING_POOL)
    sms_args = ("--sms-role-arn", ROLE, "--sms-external-id", "ext-1")

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *aws_args(moto_server, *sms_args, "--phone", MY_PHONE)
    )

    assert code == 0, err
    configuration = {"SnsCallerArn": ROLE, "ExternalId": "ext-1"}
    (created,) = pools
    assert created["SmsConfiguration"] == configuration
    assert "MfaConfiguration" not in created  # CreateUserPool sets SMS MFA only (S1)
    (config,) = mfa
    assert config["MfaConfiguration"] == "OPTIONAL"
    assert config["SmsMfaConfiguration"] == {"SmsConfiguration": configuration}
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": False}
    # the line before anything is touched: one SMS_MFA challenge (the invitation is
    # suppressed), to your number, shown by its last digits
    assert "About 1 text message will go to +…0123" in err
    (scenario,) = json.loads(out)["scenarios"]
    assert scenario["steps"][-1]["observed"]["outcome"] == "challenge:SMS_MFA"


def test_without_your_number_the_start_line_says_the_texting_steps_are_skipped(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path, "sms.py", TEXTING_POOL)
    code, _, err = main_run(
        capsys, "run", str(path), *aws_args(moto_server, "--sms-role-arn", ROLE)
    )
    assert code == 0, err
    assert "1 step would text a phone: skipped without --phone." in err


def test_a_malformed_phone_number_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = main_run(capsys, "run", "--backend", "aws", "--phone", "07700 900123")
    assert code == 4
    assert out == ""
    assert "is not a phone number in E.164 form" in err.strip()
    assert len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- pool show and drift


def test_pool_show_reads_mfa_and_account_recovery(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    client = moto_server.client()
    pool = make_pool(
        client,
        "mfa-show",
        UsernameAttributes=["phone_number"],
        AutoVerifiedAttributes=["phone_number"],
        AccountRecoverySetting={
            "RecoveryMechanisms": [
                {"Priority": 2, "Name": "verified_email"},
                {"Priority": 1, "Name": "verified_phone_number"},
            ]
        },
    )
    client.set_user_pool_mfa_config(
        UserPoolId=pool.pool_id,
        MfaConfiguration="ON",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={"SmsConfiguration": {"SnsCallerArn": ROLE}},
    )

    code, out, err = main_run(
        capsys, "pool", "show", "--json", *endpoint_args(moto_server, *pool.args())
    )

    assert code == 0, err
    settings = json.loads(out)["settings"]
    assert settings["username_attributes"] == ["phone_number"]
    assert settings["auto_verified_attributes"] == ["phone_number"]
    assert settings["mfa"] == "ON"
    assert settings["mfa_methods"] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert settings["account_recovery"] == ["verified_phone_number", "verified_email"]


def test_a_scenario_declaring_mfa_drifts_from_a_pool_without(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pool = make_pool(moto_server.client(), "mfa-off")
    path = write_scenario(
        tmp_path,
        "mfa.py",
        """
        from cognito_states import Pool, Scenario, step

        S = Scenario(
            "needs mfa",
            pool=Pool(mfa="ON", mfa_methods=["SOFTWARE_TOKEN_MFA"]),
            steps=[step.admin_create_user()],
        )
        """,
    )
    code, out, err = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, *pool.args())
    )
    assert code == 1, err
    (scenario,) = json.loads(out)["scenarios"]
    assert scenario["verdict"] == "drift"
    assert {d["keyword"]: d["actual"] for d in scenario["drift"]} == {
        "mfa": "OFF",
        "mfa_methods": [],
    }
    assert scenario["steps"] == []


def test_an_mfa_pool_runs_on_an_endpoint_with_its_gaps(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A moto server started without MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP accepts any
    TOTP code: the gaps list that too, so the shipped MFA scenario passes there."""
    from cognito_states.scenario import shipped_scenarios_path

    path = shipped_scenarios_path() / "mfa_setup_totp.py"
    code, out, err = main_run(capsys, "run", str(path), "--json", *endpoint_args(moto_server))
    assert code == 0, err
    (scenario,) = json.loads(out)["scenarios"]
    wrong = scenario["steps"][4]
    assert (wrong["verdict"], wrong["observed"]["outcome"]) == ("known-gap", "ok")
    assert "MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP" in wrong["gap_source"]


def test_pool_settings_the_model_does_not_know_are_refused() -> None:
    from cognito_states.backends.remote import pool_from_description
    from cognito_states.errors import SettingsError

    client = {"ExplicitAuthFlows": [], "PreventUserExistenceErrors": "LEGACY"}
    admin_only = {
        "AccountRecoverySetting": {"RecoveryMechanisms": [{"Priority": 1, "Name": "admin_only"}]}
    }
    with pytest.raises(SettingsError, match="AccountRecoverySetting"):
        pool_from_description(admin_only, client)
    email_mfa = {
        "MfaConfiguration": "OPTIONAL",
        "SoftwareTokenMfaConfiguration": {"Enabled": True},
        "EmailMfaConfiguration": {"Message": "{####}"},
    }
    with pytest.raises(SettingsError, match="email MFA"):
        pool_from_description({}, client, email_mfa)
    totp = {"MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": {"Enabled": True}}
    pool = pool_from_description({}, client, totp)
    assert (pool.mfa, pool.mfa_methods) == ("ON", ("SOFTWARE_TOKEN_MFA",))
