"""Confirmation codes: moto's built in, `--codes prompt`, `--codes module:function`, and
none: a step that needs a code it cannot have is skipped with the reason, and so is the
rest of its scenario."""

from __future__ import annotations

import builtins
import io
import json
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from moto_server import (
    MotoServer,
    endpoint_args,
    main_run,
    moto_server_fixture,  # noqa: F401 (the moto_server fixture)
    pool_ids,
    remote_env_fixture,  # noqa: F401 (the remote_env fixture)
    run_users,
    write_scenario,
)

from cognito_states.codes import (
    CODE_KINDS,
    NoCode,
    load_code_source,
    moto_codes,
    no_codes,
    prompt_codes,
)
from cognito_states.errors import SettingsError
from cognito_states.operations import OPERATIONS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.usefixtures("remote_env")

SIGN_UP = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "sign-up with a code",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.sign_up().expect(status="UNCONFIRMED"),
        step.admin_disable_user(),
        step.confirm_sign_up(),
        step.admin_enable_user(),
        step.initiate_auth(auth_flow="USER_PASSWORD_AUTH"),
    ],
)
"""


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# ---------------------------------------------------------------- kinds


def test_every_code_mailed_is_a_code_sent_back() -> None:
    """A kind of code some operation mails (Mail.code) is one some operation sends back
    (Operation.code), and the other way round: the kinds come from operations.SPEC."""
    mailed = {o.mail.code for o in OPERATIONS if o.mail is not None and o.mail.code}
    texted = {o.sms.code for o in OPERATIONS if o.sms is not None and o.sms.code}
    sent_back = {o.code for o in OPERATIONS if o.code}
    assert mailed | texted == sent_back == set(CODE_KINDS)
    assert {"sign_up", "forgot_password", "verify_attribute", "sms_mfa"} <= set(CODE_KINDS)
    assert texted - mailed == {"sms_mfa"}  # MFA codes only ever come by text


def test_the_readme_names_every_kind() -> None:
    for kind in CODE_KINDS:
        assert f"`{kind}`" in README, kind


# ---------------------------------------------------------------- sources


def test_no_spec_gives_the_backends_default() -> None:
    assert load_code_source(None, moto_codes) is moto_codes
    assert load_code_source(None, no_codes) is no_codes
    assert load_code_source("prompt", no_codes) is prompt_codes


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("nocolon", "not 'prompt' or 'module:function'"),
        (":func", "not 'prompt' or 'module:function'"),
        ("no_such_module_xyz:func", "cannot import"),
        ("json:no_such_function", "no callable"),
        ("json:__doc__", "no callable"),
    ],
)
def test_bad_specs_are_bad_input(spec: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_code_source(spec, no_codes)
    assert says in str(caught.value)
    assert spec in str(caught.value)


def test_a_bad_spec_on_the_command_line_exits_4(
    moto_server: MotoServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = main_run(capsys, "run", *endpoint_args(moto_server, "--codes", "oops"))
    assert code == 4
    assert err.count("\n") == 1
    assert "--codes 'oops'" in err


def test_no_codes_says_how_to_give_one() -> None:
    with pytest.raises(NoCode) as caught:
        no_codes("forgot_password", "u", None)
    assert "forgot-password" in str(caught.value)
    assert "--codes prompt" in str(caught.value)


def test_prompt_without_a_terminal_raises_no_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("123456\n"))
    with pytest.raises(NoCode) as caught:
        prompt_codes("sign_up", "u", "u@example.com")
    assert "no terminal" in str(caught.value)


def test_prompt_at_a_terminal_asks_for_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", FakeTerminal())
    monkeypatch.setattr(builtins, "input", lambda prompt: asked.append(prompt) or " 654321 ")
    assert prompt_codes("sign_up", "u", "u@example.com") == "654321"
    assert asked == ["sign-up code sent to u@example.com: "]

    prompt_codes("verify_attribute", "u", "u+1@example.com")
    assert asked[-1] == "verify-attribute code sent to u+1@example.com: "

    monkeypatch.setattr(builtins, "input", lambda prompt: "")
    with pytest.raises(NoCode):
        prompt_codes("forgot_password", "u", None)


# ---------------------------------------------------------------- in a run


def skipped_from(steps: list[dict[str, Any]]) -> int | None:
    for s in steps:
        if s["verdict"] == "skipped":
            return int(s["index"])
    return None


def test_prompt_with_no_terminal_skips_the_code_step_and_the_rest(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    remote_env: Path,
) -> None:
    client = moto_server.client()
    before = pool_ids(client)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    path = write_scenario(tmp_path, "sign_up.py", SIGN_UP)

    code, out, err = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, "--codes", "prompt")
    )

    assert code == 0, err
    steps = json.loads(out)["scenarios"][0]["steps"]
    assert [s["verdict"] for s in steps[:2]] == ["match", "match"]
    assert [s["verdict"] for s in steps[2:]] == ["skipped"] * 3
    assert "no terminal" in steps[2]["note"]
    assert steps[3]["note"].startswith("after step 3: ")
    assert "no terminal" in steps[4]["note"]
    assert all(s["observed"]["status"] is None for s in steps[2:])
    assert pool_ids(client) == before
    assert not run_users(client, remote_env)


def test_no_code_source_on_an_unknown_server_skips_with_the_way_out(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path, "sign_up.py", SIGN_UP)
    code, out, err = main_run(
        capsys, "run", str(path), "--json", *endpoint_args(moto_server, "--endpoint-kind", "other")
    )
    assert code == 0, err
    steps = json.loads(out)["scenarios"][0]["steps"]
    assert skipped_from(steps) == 3
    assert "pass --codes prompt or --codes module:function" in steps[2]["note"]


def test_moto_codes_are_built_in(
    moto_server: MotoServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_scenario(tmp_path, "sign_up.py", SIGN_UP)
    code, out, err = main_run(capsys, "run", str(path), "--json", *endpoint_args(moto_server))
    assert code == 0, err
    steps = json.loads(out)["scenarios"][0]["steps"]
    assert skipped_from(steps) is None
    assert steps[2]["observed"]["status"] == "CONFIRMED"


def test_a_code_function_is_called_with_kind_username_email(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module = f"codes_{uuid.uuid4().hex}"
    folder = tmp_path / "codes"
    folder.mkdir()
    (folder / f"{module}.py").write_text(
        textwrap.dedent(
            """
            CALLS = []

            def code(kind, username, email):
                CALLS.append((kind, username, email))
                return "424242"
            """
        ),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    path = write_scenario(tmp_path, "sign_up.py", SIGN_UP)

    code, out, err = main_run(
        capsys,
        "run",
        str(path),
        "--json",
        *endpoint_args(moto_server, "--codes", f"{module}:code"),
    )

    assert code == 0, err
    steps = json.loads(out)["scenarios"][0]["steps"]
    assert skipped_from(steps) is None
    assert steps[2]["observed"]["outcome"] == "ok"
    assert steps[2]["observed"]["status"] == "CONFIRMED"
    calls = sys.modules[module].CALLS
    assert len(calls) == 1
    kind, username, email = calls[0]
    assert kind == "sign_up"
    assert username.startswith("cs-")
    assert email == f"{username}@example.com"


CHANGE_EMAIL = """
from cognito_states import Pool, Scenario, step

SCENARIO = Scenario(
    "the user verifies a new email",
    pool=Pool(auto_verified_attributes=["email"]),
    steps=[
        step.admin_create_user(email_verified=True),
        step.admin_set_user_password(permanent=True),
        step.initiate_auth(),
        step.update_user_attributes(new_email=True),
        step.verify_user_attribute(),
    ],
)
"""


def test_a_code_function_is_asked_for_the_verify_attribute_code(
    moto_server: MotoServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a server not known to lack VerifyUserAttribute the code is asked for, by kind
    (moto is that server here, named 'other' so that nothing is known about it)."""
    module = f"codes_{uuid.uuid4().hex}"
    folder = tmp_path / "codes"
    folder.mkdir()
    (folder / f"{module}.py").write_text(
        "CALLS = []\n\ndef code(kind, username, email):\n"
        "    CALLS.append((kind, username, email))\n    return '515151'\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(folder))
    path = write_scenario(tmp_path, "change_email.py", CHANGE_EMAIL)

    _, out, err = main_run(
        capsys,
        "run",
        str(path),
        "--json",
        *endpoint_args(moto_server, "--endpoint-kind", "other", "--codes", f"{module}:code"),
    )

    steps = json.loads(out)["scenarios"][0]["steps"]
    assert skipped_from(steps) is None, err
    ((kind, username, email),) = sys.modules[module].CALLS
    assert kind == "verify_attribute"
    assert username.startswith("cs-")
    assert email == f"{username}+1@example.com"  # the new address, where the code went
