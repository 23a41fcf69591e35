"""The scenario language and its loader: every mistake is one line naming the file,
the exact line and the closest valid name. Scenario files are written into tmp_path.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from cognito_states.errors import ScenarioFilesError
from cognito_states.operations import Op
from cognito_states.scenario import (
    Pool,
    Scenario,
    ScenarioError,
    Step,
    load_scenarios,
    step,
)

Write = Callable[[str, str], Path]

HEADER = "from cognito_states import Pool, Scenario, step\n"


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the one line of ``path`` that contains ``needle``."""
    found = [n for n, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    assert len(found) == 1, (needle, found)
    return found[0]


def load_error(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenarios([path])
    return info.value


def scenario_file(write: Write, steps: str, pool: str = "Pool()", name: str = "s.py") -> Path:
    """A file with one scenario whose steps are given one per line."""
    body = "".join(f"        {line.strip()}\n" for line in steps.strip().splitlines())
    return write(
        name,
        HEADER
        + "\n"
        + "SCENARIO = Scenario(\n"
        + '    "a scenario",\n'
        + f"    pool={pool},\n"
        + "    steps=[\n"
        + body
        + "    ],\n"
        + ")\n",
    )


def assert_error(path: Path, needle: str, message: str) -> None:
    error = load_error(path)
    assert str(error) == f"{path}:{line_of(path, needle)}: {message}"
    assert (error.file, error.line) == (str(path), line_of(path, needle))
    assert "\n" not in str(error)


# ------------------------------------------------------------------ steps


def test_misspelt_step(write: Write) -> None:
    path = scenario_file(write, "step.admin_create_user(),\nstep.admin_creat_user(),")
    assert_error(
        path,
        "admin_creat_user",
        "unknown step 'admin_creat_user'; did you mean 'admin_create_user'?",
    )


def test_unknown_step_without_a_close_name(write: Write) -> None:
    path = scenario_file(write, "step.xyzzy(),")
    assert_error(path, "xyzzy", "unknown step 'xyzzy'")


def test_misspelt_keyword(write: Write) -> None:
    path = scenario_file(
        write, "step.admin_create_user(),\nstep.admin_set_user_password(permanet=True),"
    )
    assert_error(
        path,
        "permanet",
        "step.admin_set_user_password() has no keyword 'permanet'; did you mean 'permanent'?"
        " (valid: permanent)",
    )


def test_keyword_on_a_step_without_keywords(write: Write) -> None:
    path = scenario_file(write, "step.get_user(wrong_password=True),")
    assert_error(
        path, "get_user", "step.get_user() has no keyword 'wrong_password' (valid: no keywords)"
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            'step.admin_set_user_password(permanent="yes")',
            "step.admin_set_user_password(permanent='yes'): must be one of False, True",
        ),
        (
            "step.admin_set_user_password(permanent=1)",
            "step.admin_set_user_password(permanent=1): must be one of False, True",
        ),
        (
            'step.initiate_auth(auth_flow="ADMIN_USER_PASSWORD_AUTH")',
            "step.initiate_auth(auth_flow='ADMIN_USER_PASSWORD_AUTH'): must be one of"
            " 'USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH', 'USER_SRP_AUTH'",
        ),
        (
            'step.admin_create_user(message_action="resend")',
            "step.admin_create_user(message_action='resend'): must be one of"
            " None, 'SUPPRESS', 'RESEND'",
        ),
    ],
    ids=["string-for-bool", "int-for-bool", "flow", "message-action-case"],
)
def test_wrong_value(write: Write, call: str, message: str) -> None:
    path = scenario_file(write, f"{call},")
    assert_error(path, call, message)


def test_positional_argument(write: Write) -> None:
    path = scenario_file(write, "step.admin_set_user_password(True),")
    assert_error(
        path,
        "admin_set_user_password(True)",
        "step.admin_set_user_password() takes keywords only, such as"
        " admin_set_user_password(...=...)",
    )


def test_update_attributes_with_nothing(write: Write) -> None:
    path = scenario_file(write, "step.admin_create_user(),\nstep.admin_update_user_attributes(),")
    assert_error(
        path,
        "admin_update_user_attributes",
        "step.admin_update_user_attributes() changes nothing;"
        " pass email_verified=, new_email=True, phone_verified= or new_phone=True",
    )


def test_wrong_password_on_refresh(write: Write) -> None:
    path = scenario_file(
        write, 'step.initiate_auth(wrong_password=True, auth_flow="REFRESH_TOKEN_AUTH"),'
    )
    assert_error(
        path,
        "REFRESH_TOKEN_AUTH",
        "step.initiate_auth(wrong_password=True) needs a password flow;"
        " use auth_flow='USER_PASSWORD_AUTH' or 'USER_SRP_AUTH'",
    )


def test_create_without_email_in_an_email_username_pool(write: Write) -> None:
    path = scenario_file(
        write,
        "step.admin_create_user(email=False),\nstep.admin_initiate_auth(),",
        pool='Pool(username_attributes=["email"])',
    )
    assert_error(
        path,
        "email=False",
        "step.admin_create_user(email=False) needs a pool whose usernames are not emails;"
        " drop username_attributes=['email'] or email=False",
    )


# ------------------------------------------------------------------ expectations


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (
            'stauts="CONFIRMED"',
            ".expect() has no keyword 'stauts'; did you mean 'status'?"
            " (valid: status, enabled, email_verified, phone_number_verified, mfa_methods,"
            " preferred_mfa, outcome)",
        ),
        (
            'status="CONFIRM"',
            ".expect(status=...): unknown status 'CONFIRM'; did you mean 'CONFIRMED'?"
            " (None means no such user)",
        ),
        (
            'status="NO_USER"',
            ".expect(status=...): unknown status 'NO_USER' (None means no such user)",
        ),
        (
            'outcome="token"',
            ".expect(outcome=...): unknown outcome 'token'; did you mean 'tokens'?"
            " (ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>)",
        ),
        (
            'outcome="error:NotAuthorisedException"',
            ".expect(outcome=...): unknown error code 'NotAuthorisedException';"
            " did you mean 'error:NotAuthorizedException'?",
        ),
        (
            'outcome="challenge:NEW_PASWORD_REQUIRED"',
            ".expect(outcome=...): unknown challenge 'NEW_PASWORD_REQUIRED';"
            " did you mean 'challenge:NEW_PASSWORD_REQUIRED'?",
        ),
        (
            "outcome=3",
            ".expect(outcome=...): outcome must be a string such as 'tokens', not 3",
        ),
        (
            'enabled="yes"',
            ".expect(enabled=...): must be True or False, not 'yes'",
        ),
        (
            "email_verified=None",
            ".expect(email_verified=...): must be True or False, not None",
        ),
        (
            'phone_number_verified="no"',
            ".expect(phone_number_verified=...): must be True, False or None (no phone"
            " number), not 'no'",
        ),
        (
            'mfa_methods=["SOFTWARE_TOKEN"]',
            ".expect(mfa_methods=...): unknown MFA method 'SOFTWARE_TOKEN'; did you mean"
            " 'SOFTWARE_TOKEN_MFA'? (valid: SOFTWARE_TOKEN_MFA, SMS_MFA)",
        ),
        (
            'mfa_methods="SMS_MFA"',
            ".expect(mfa_methods=...): takes a list such as ['SOFTWARE_TOKEN_MFA'], not 'SMS_MFA'",
        ),
        (
            'preferred_mfa="totp"',
            ".expect(preferred_mfa=...): must be None or one of SOFTWARE_TOKEN_MFA, SMS_MFA,"
            " not 'totp'",
        ),
    ],
    ids=[
        "key",
        "status",
        "status-NO_USER",
        "outcome",
        "error-code",
        "challenge",
        "outcome-type",
        "enabled",
        "email_verified",
        "phone_number_verified",
        "mfa-method",
        "mfa-methods-string",
        "preferred",
    ],
)
def test_bad_expectation(write: Write, expect: str, message: str) -> None:
    path = scenario_file(write, f"step.admin_create_user().expect({expect}),")
    assert_error(path, expect, message)


def test_expectation_on_a_later_line_of_a_chain(write: Write) -> None:
    path = write(
        "chain.py",
        HEADER
        + """
SCENARIO = Scenario(
    "chain",
    steps=[
        step.admin_create_user().expect(
            status="FORCE_CHANGE_PASSWORD"
        ).expect(
            outcome="tokns"
        ),
    ],
)
""",
    )
    # The line of the .expect( call that holds the bad value: the second one.
    second = [n for n, text in enumerate(path.read_text().splitlines(), 1) if ").expect(" in text]
    assert str(load_error(path)).startswith(
        f"{path}:{second[1]}: .expect(outcome=...): unknown outcome 'tokns'"
    )


def test_multi_line_step_points_at_its_first_line(write: Write) -> None:
    path = write(
        "multi.py",
        HEADER
        + """
SCENARIO = Scenario(
    "multi",
    steps=[
        step.admin_create_user(),
        step.admin_set_user_password(
            permanent=2,
        ),
    ],
)
""",
    )
    assert str(load_error(path)) == (
        f"{path}:{line_of(path, 'admin_set_user_password(')}:"
        " step.admin_set_user_password(permanent=2): must be one of False, True"
    )


# ------------------------------------------------------------------ Pool


@pytest.mark.parametrize(
    ("pool", "message"),
    [
        (
            'Pool(auth_flows=["ALLOW_USER_PASWORD_AUTH"])',
            "Pool(auth_flows=...) does not accept 'ALLOW_USER_PASWORD_AUTH';"
            " did you mean 'ALLOW_USER_PASSWORD_AUTH'? (valid: ALLOW_ADMIN_USER_PASSWORD_AUTH,"
            " ALLOW_CUSTOM_AUTH, ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_AUTH,"
            " ALLOW_USER_PASSWORD_AUTH, ALLOW_USER_SRP_AUTH)",
        ),
        (
            'Pool(username_attributes="email")',
            "Pool(username_attributes=...) takes a list of strings, such as"
            " ['email', 'phone_number']",
        ),
        (
            'Pool(username_attributes=["phone"])',
            "Pool(username_attributes=...) does not accept 'phone'; did you mean"
            " 'phone_number'? (valid: email, phone_number)",
        ),
        (
            'Pool(required_attributes=["emial"])',
            "Pool(required_attributes=...) does not accept 'emial'; did you mean 'email'?"
            " (valid: address, birthdate, email, family_name, gender, given_name, locale,"
            " middle_name, name, nickname, phone_number, picture, preferred_username, profile,"
            " website, zoneinfo)",
        ),
        (
            'Pool(prevent_user_existence_errors="ON")',
            "Pool(prevent_user_existence_errors=...) must be 'LEGACY' or 'ENABLED', not 'ON'",
        ),
        (
            'Pool(attributes_require_verification_before_update=["email"])',
            "Pool(attributes_require_verification_before_update=...) may only name"
            " auto-verified attributes; add ['email'] to auto_verified_attributes",
        ),
        (
            'Pool(mfa="required")',
            "Pool(mfa=...) must be 'OFF', 'OPTIONAL' or 'ON', not 'required'",
        ),
        (
            'Pool(mfa="ON")',
            "Pool(mfa='ON') needs mfa_methods=['SOFTWARE_TOKEN_MFA'], ['SMS_MFA'] or both",
        ),
        (
            'Pool(mfa_methods=["SMS_MFA"])',
            "Pool(mfa_methods=['SMS_MFA']) needs mfa='OPTIONAL' or 'ON' (with MFA off no"
            " method is offered)",
        ),
        (
            'Pool(mfa="ON", mfa_methods=["TOTP"])',
            "Pool(mfa_methods=...) does not accept 'TOTP' (valid: SMS_MFA, SOFTWARE_TOKEN_MFA)",
        ),
        (
            'Pool(account_recovery=["verified_email", "verified_email"])',
            "Pool(account_recovery=...) names 'verified_email' twice; name each once",
        ),
        (
            'Pool(attributes_require_verification_before_update=["phone_number"],'
            ' auto_verified_attributes=["phone_number"])',
            "Pool(attributes_require_verification_before_update=...) does not accept"
            " 'phone_number' (valid: email)",
        ),
    ],
    ids=[
        "auth-flow",
        "string-not-list",
        "username-attr",
        "required-attr",
        "existence",
        "verify",
        "mfa",
        "mfa-without-methods",
        "methods-without-mfa",
        "method",
        "recovery-twice",
        "verify-phone",
    ],
)
def test_bad_pool(write: Write, pool: str, message: str) -> None:
    path = scenario_file(write, "step.admin_create_user(),", pool=pool)
    assert_error(path, "pool=", message)


def test_pool_normalises_lists() -> None:
    pool = Pool(auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH"], required_attributes=[])
    assert pool.auth_flows == ("ALLOW_USER_SRP_AUTH",)
    assert pool.flow_allowed("USER_SRP_AUTH")
    assert not pool.flow_allowed("USER_PASSWORD_AUTH")
    assert Pool(required_attributes=["name", "email"]) == Pool(
        required_attributes=["email", "name"]
    )


def test_pool_default_flows_allow_the_scenario_flows() -> None:
    pool = Pool()
    for flow in (
        "ADMIN_USER_PASSWORD_AUTH",
        "USER_PASSWORD_AUTH",
        "REFRESH_TOKEN_AUTH",
        "USER_SRP_AUTH",
    ):
        assert pool.flow_allowed(flow), flow
    assert pool.prevent_user_existence_errors == "LEGACY"


def test_misspelt_pool_keyword(write: Write) -> None:
    path = scenario_file(
        write, "step.admin_create_user(),", pool='Pool(auto_verify_attributes=["email"])'
    )
    assert_error(
        path,
        "pool=",
        "Pool() has no keyword 'auto_verify_attributes'; did you mean 'auto_verified_attributes'?",
    )


def test_unknown_pool_keyword_lists_the_valid_ones(write: Write) -> None:
    path = scenario_file(write, "step.admin_create_user(),", pool="Pool(lambda_triggers=True)")
    assert_error(
        path,
        "pool=",
        "Pool() has no keyword 'lambda_triggers' (valid: username_attributes,"
        " auto_verified_attributes, required_attributes, prevent_user_existence_errors,"
        " auth_flows, attributes_require_verification_before_update, mfa, mfa_methods,"
        " account_recovery)",
    )


def test_misspelt_scenario_keyword(write: Write) -> None:
    path = write("s.py", HEADER + '\nX = Scenario("x", step=[step.get_user()])\n')
    assert_error(path, "X = ", "Scenario() has no keyword 'step'; did you mean 'steps'?")


def test_a_step_without_its_call_is_named_at_its_line(write: Write) -> None:
    path = scenario_file(
        write, "step.admin_create_user(),\nstep.admin_disable_user,\nstep.get_user(),"
    )
    assert_error(
        path,
        "admin_disable_user",
        "step.admin_disable_user is not called; write step.admin_disable_user()",
    )


def test_expect_on_a_step_without_its_call(write: Write) -> None:
    path = scenario_file(write, 'step.admin_create_user.expect(status="FORCE_CHANGE_PASSWORD"),')
    assert_error(
        path,
        "admin_create_user",
        "step.admin_create_user is not called; write step.admin_create_user()",
    )


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (
            'status="confirmed"',
            ".expect(status=...): unknown status 'confirmed'; did you mean 'CONFIRMED'?"
            " (None means no such user)",
        ),
        (
            'status="force_change"',
            ".expect(status=...): unknown status 'force_change';"
            " did you mean 'FORCE_CHANGE_PASSWORD'? (None means no such user)",
        ),
        (
            'outcome="challenge:NEW_PASSWORD"',
            ".expect(outcome=...): unknown challenge 'NEW_PASSWORD';"
            " did you mean 'challenge:NEW_PASSWORD_REQUIRED'?",
        ),
        (
            'outcome="challenge:new_password_required"',
            ".expect(outcome=...): unknown challenge 'new_password_required';"
            " did you mean 'challenge:NEW_PASSWORD_REQUIRED'?",
        ),
        (
            'outcome="Challenge:NEW_PASSWORD_REQUIRED"',
            ".expect(outcome=...): unknown outcome 'Challenge:NEW_PASSWORD_REQUIRED';"
            " did you mean 'challenge:NEW_PASSWORD_REQUIRED'?"
            " (ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>)",
        ),
        (
            'outcome="NEW_PASSWORD_REQUIRED"',
            ".expect(outcome=...): unknown outcome 'NEW_PASSWORD_REQUIRED';"
            " did you mean 'challenge:NEW_PASSWORD_REQUIRED'?"
            " (ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>)",
        ),
        (
            'outcome="error:UserNotFound"',
            ".expect(outcome=...): unknown error code 'UserNotFound';"
            " did you mean 'error:UserNotFoundException'?",
        ),
        (
            'outcome="Tokens"',
            ".expect(outcome=...): unknown outcome 'Tokens'; did you mean 'tokens'?"
            " (ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>)",
        ),
    ],
    ids=[
        "status-case",
        "status-prefix",
        "challenge-prefix",
        "challenge-case",
        "kind-case",
        "bare-challenge",
        "error-prefix",
        "plain-case",
    ],
)
def test_suggestions_fix_the_case_and_give_the_whole_name(
    write: Write, expect: str, message: str
) -> None:
    path = scenario_file(write, f"step.admin_create_user().expect({expect}),")
    assert_error(path, expect, message)


# ------------------------------------------------------------------ Scenario


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            'Scenario("", steps=[step.get_user()])',
            "Scenario(...) needs a name as its first argument",
        ),
        ('Scenario("x", steps=[])', "Scenario(steps=[...]) needs at least one step"),
        ('Scenario("x", pool={}, steps=[step.get_user()])', "Scenario(pool=...) takes a Pool(...)"),
        (
            'Scenario("x", steps=["get_user"])',
            "Scenario(steps=[...]) holds 'get_user'; use step.<operation>(...)",
        ),
    ],
    ids=["no-name", "no-steps", "pool-type", "step-type"],
)
def test_bad_scenario(write: Write, call: str, message: str) -> None:
    path = write("s.py", HEADER + "\n" + f"X = {call}\n")
    assert_error(path, "X = ", message)


# ------------------------------------------------------------------ loading


def test_syntax_error(write: Write) -> None:
    path = write(
        "broken.py",
        HEADER + "\nSCENARIO = Scenario(\n    'x',\n    steps=[step.get_user()\n)\n",
    )
    opening = line_of(path, "steps=[")
    assert str(load_error(path)) == (
        f"{path}:{opening + 1}: syntax error: closing parenthesis ')' does not match"
        f" opening parenthesis '[' on line {opening}"
    )


def test_syntax_error_line(write: Write) -> None:
    path = write(
        "broken.py", HEADER + "\nSCENARIO = Scenario('x', steps=[step.get_user()])\nx = = 1\n"
    )
    assert (
        str(load_error(path)) == f"{path}:{line_of(path, 'x = = 1')}: syntax error: invalid syntax"
    )


def test_import_error(write: Write) -> None:
    path = write("imports.py", "from cognito_states import Pool, Scenario, Stpe\n")
    assert str(load_error(path)) == (
        f"{path}:1: does not import: ImportError: cannot import name 'Stpe' from"
        " 'cognito_states' (" + str(Path(__import__("cognito_states").__file__)) + ");"
        " scenario files import only what they use from cognito_states"
    )


def test_file_raising_another_exception(write: Write) -> None:
    path = write("raises.py", HEADER + "\nScenario  # a mention\nx = 1 / 0\n")
    assert str(load_error(path)) == (
        f"{path}:{line_of(path, '1 / 0')}: does not import: ZeroDivisionError: division by zero"
    )


@pytest.mark.parametrize("form", ["relative", "absolute", "dotted"])
@pytest.mark.parametrize(
    ("body", "needle", "message"),
    [
        (
            'SCENARIO = Scenario("x", pool=Pool(auto_verify_attributes=[]),'
            " steps=[step.get_user()])\n",
            "SCENARIO",
            "Pool() has no keyword 'auto_verify_attributes';"
            " did you mean 'auto_verified_attributes'?",
        ),
        ("VALUES = {}\nx = VALUES['nope']\n", "nope", "does not import: KeyError: 'nope'"),
        (
            "def helper():\n    raise RuntimeError('boom')\n\nVALUE = helper()\n",
            "raise RuntimeError",  # the deepest line of the file: where it was raised
            "does not import: RuntimeError: boom",
        ),
        ("x = = 1\n", "x = = 1", "syntax error: invalid syntax"),
    ],
    ids=["pool-keyword", "key-error", "raised-in-a-function", "syntax"],
)
def test_every_error_names_the_file_as_given_and_the_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    form: str,
    body: str,
    needle: str,
    message: str,
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    path = folder / "bad.py"
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    given = {
        "relative": Path("scenarios/bad.py"),
        "absolute": path,
        "dotted": Path("./scenarios/../scenarios/bad.py"),
    }[form]
    error = load_error(given)
    assert str(error) == f"{given}:{line_of(path, needle)}: {message}"


def test_an_error_in_an_imported_helper_names_the_helper(write: Write) -> None:
    helper = write("helpers.py", HEADER + "\nVERIFIED = Pool(auto_verify_attributes=['email'])\n")
    path = write(
        "uses.py",
        "import sys\nsys.path.insert(0, " + repr(str(helper.parent)) + ")\n"
        "from helpers import VERIFIED\n",
    )
    try:
        error = load_error(path)
    finally:
        sys.modules.pop("helpers", None)
    assert str(error) == (
        f"{helper}:{line_of(helper, 'VERIFIED')}: Pool() has no keyword"
        " 'auto_verify_attributes'; did you mean 'auto_verified_attributes'?"
    )


def test_every_bad_file_of_a_folder_is_reported(write: Write) -> None:
    good = scenario_file(write, "step.get_user(),", name="good.py")
    typo = scenario_file(write, "step.get_usr(),", name="a_typo.py")
    uncalled = scenario_file(write, "step.get_user,", name="c_uncalled.py")
    syntax = write("b_syntax.py", HEADER + "\nSCENARIO = Scenario(\n")
    with pytest.raises(ScenarioFilesError) as info:
        load_scenarios([good.parent])
    assert str(info.value).splitlines() == [
        f"{typo}:{line_of(typo, 'get_usr')}: unknown step 'get_usr'; did you mean 'get_user'?",
        f"{syntax}:3: syntax error: '(' was never closed",
        f"{uncalled}:{line_of(uncalled, 'get_user')}: step.get_user is not called;"
        " write step.get_user()",
    ]
    assert info.value.exit_code == 4


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.py"
    error = load_error(missing)
    assert (
        str(error) == f"{missing}: no such file or folder; give a scenario file or a folder of them"
    )


def test_duplicate_names(write: Write) -> None:
    first = scenario_file(write, "step.admin_create_user(),", name="a.py")
    second = scenario_file(write, "step.admin_create_user(),", name="b.py")
    error = load_error(first.parent)
    assert str(error) == (
        f"{second}:{line_of(second, 'Scenario(')}: a second scenario is named 'a scenario'"
        f" (first in {first}); give each a unique name"
    )


def test_duplicate_names_in_one_file(write: Write) -> None:
    path = write(
        "twice.py",
        HEADER
        + '\nA = Scenario("same", steps=[step.get_user()])\n'
        + 'B = Scenario("same", steps=[step.get_user()])\n',
    )
    error = load_error(path)
    assert error.line == line_of(path, "B = ")
    assert "a second scenario is named 'same'" in str(error)


def test_folder_skips_files_without_scenario(write: Write) -> None:
    write("helpers.py", "raise RuntimeError('a helper module must not be imported')\n")
    write("notes.txt", "Scenario( in a text file\n")
    path = scenario_file(write, "step.admin_create_user(),", name="real.py")
    scenarios = load_scenarios([path.parent])
    assert [(s.name, s.file) for s in scenarios] == [("a scenario", str(path))]


def test_folder_is_searched_recursively_in_order(write: Write) -> None:
    b = scenario_file(write, "step.get_user(),", name="b.py")
    b.write_text(b.read_text().replace('"a scenario"', '"b"'))
    a = scenario_file(write, "step.get_user(),", name="sub/a.py")
    a.write_text(a.read_text().replace('"a scenario"', '"sub/a"'))
    c = scenario_file(write, "step.get_user(),", name="a.py")
    c.write_text(c.read_text().replace('"a scenario"', '"a"'))
    assert [s.name for s in load_scenarios([b.parent])] == ["a", "b", "sub/a"]


def test_module_level_scenarios_in_line_order(write: Write) -> None:
    path = write(
        "many.py",
        HEADER
        + '\nZED = Scenario("first", steps=[step.get_user()])\n'
        + 'ALPHA = Scenario("second", steps=[step.get_user()])\n'
        + 'NESTED = [Scenario("not module level", steps=[step.get_user()])]\n'
        + 'MIDDLE = Scenario("third", steps=[step.get_user()])\n',
    )
    scenarios = load_scenarios([path])
    assert [s.name for s in scenarios] == ["first", "second", "third"]
    assert [s.line for s in scenarios] == [
        line_of(path, "ZED"),
        line_of(path, "ALPHA"),
        line_of(path, "MIDDLE"),
    ]
    assert {s.file for s in scenarios} == {str(path)}


def test_paths_keep_their_order(write: Write) -> None:
    z = scenario_file(write, "step.get_user(),", name="z.py")
    z.write_text(z.read_text().replace('"a scenario"', '"z"'))
    a = scenario_file(write, "step.get_user(),", name="a.py")
    assert [s.name for s in load_scenarios([z, a])] == ["z", "a scenario"]


def test_step_line_points_at_the_step(write: Write) -> None:
    path = scenario_file(write, "step.admin_create_user(),\nstep.get_user(),")
    (scenario,) = load_scenarios([path])
    assert [s.line for s in scenario.steps] == [
        line_of(path, "admin_create_user"),
        line_of(path, "get_user"),
    ]
    assert scenario.steps[0].file == str(path)


def test_shipped_scenarios_load(shipped: list[Scenario]) -> None:
    assert len(shipped) >= 20
    assert len({s.name for s in shipped}) == len(shipped)
    for scenario in shipped:
        assert scenario.file is not None
        assert scenario.line is not None
        assert (
            Path(scenario.file)
            .read_text()
            .splitlines()[scenario.line - 1]
            .rstrip()
            .endswith("Scenario(")
        )


# ------------------------------------------------------------------ Step values


def test_defaults_are_dropped_so_equal_steps_compare_equal() -> None:
    assert step.admin_set_user_password(permanent=False) == step.admin_set_user_password()
    assert step.admin_set_user_password(permanent=True) != step.admin_set_user_password()
    assert step.initiate_auth(auth_flow="USER_PASSWORD_AUTH").params == ()


def test_kwargs_fill_in_defaults() -> None:
    assert step.initiate_auth(wrong_password=True).kwargs == {
        "auth_flow": "USER_PASSWORD_AUTH",
        "wrong_password": True,
    }
    assert step.get_user().kwargs == {}


def test_describe_is_the_call_as_written() -> None:
    one = step.initiate_auth(auth_flow="REFRESH_TOKEN_AUTH").expect(outcome="tokens")
    assert one.describe() == "initiate_auth(auth_flow='REFRESH_TOKEN_AUTH')"
    assert step.get_user().describe() == "get_user()"


def test_expect_merges_fields() -> None:
    one = step.get_user().expect(outcome="ok").expect(status="CONFIRMED")
    assert one.expect_dict == {"outcome": "ok", "status": "CONFIRMED"}
    assert step.admin_delete_user().expect(status=None).expect_dict == {"status": None}


def test_a_field_expected_twice_is_an_error() -> None:
    with pytest.raises(ScenarioError) as info:
        step.get_user().expect(status=None).expect(status="CONFIRMED")
    assert info.value.message == (
        ".expect(status=...) is given twice for this step (status=None, then"
        " status='CONFIRMED'); keep one"
    )


def test_step_factory_lists_every_operation() -> None:
    assert sorted(dir(step)) == sorted(Op.__members__)
    with pytest.raises(AttributeError):
        step.__wrapped__  # noqa: B018 (dunder lookups are not steps)


def test_step_is_a_step() -> None:
    assert isinstance(step.get_user(), Step)
    assert step.get_user().op is Op.get_user


def test_inline_scenario_records_its_place() -> None:
    scenario = Scenario("inline", steps=[step.get_user()])
    assert scenario.file == __file__
    assert scenario.line is not None
