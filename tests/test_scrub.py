"""Error messages are kept (shown, written to JSON, records and reports) only after
scrubbing: moto echoes the whole access token in some of them (a revoked token on
UpdateUserAttributes, AssociateSoftwareToken, GlobalSignOut), and an emulator may echo
refresh tokens, sessions, codes or SECRET_HASH.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from test_diff import capture

from cognito_states.scrub import LONGEST, MASK, scrub
from cognito_states.views import Answer, View

JWT = re.compile(r"eyJ[\w-]{10,}\.[\w-]{10,}")
# What must never survive: a JWT, or a long opaque run (base64, hex) that mixes letters
# and digits the way tokens, sessions and hashes do (a file name or a URL path does not).
OPAQUE = re.compile(r"[A-Za-z0-9+=_-]{20,}")


def leaks(text: str) -> list[str]:
    def opaque(run: str) -> bool:
        return sum(c.isdigit() for c in run) >= 4 and sum(c.isalpha() for c in run) >= 4

    return JWT.findall(text) + [r for r in OPAQUE.findall(text) if opaque(r)]


FAKE_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        (FAKE_JWT, MASK),
        (f"Invalid token {FAKE_JWT} given", f"Invalid token {MASK} given"),
        ("refresh 6f1c9a0b8e7d6c5b4a39281706f5e4d3c2b1a0 done", f"refresh {MASK} done"),
        ("hash " + base64.b64encode(b"x" * 32).decode() + "1", f"hash {MASK}"),
        ("code 123456 was wrong", f"code {MASK} was wrong"),
        ("moto-confirmation-code:524724", MASK),
        # Cognito's own messages stay whole
        ("User does not exist.", "User does not exist."),
        (
            "Cannot reset password for the user as there is no registered/verified email or"
            " phone_number",
            "Cannot reset password for the user as there is no registered/verified email or"
            " phone_number",
        ),
        (
            "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
            "User cannot be confirmed. Current status is FORCE_CHANGE_PASSWORD",
        ),
        ("USER_PASSWORD_AUTH flow not enabled", "USER_PASSWORD_AUTH flow not enabled"),
        ("Attempt limit exceeded,\n please try\tlater", "Attempt limit exceeded, please try later"),
        (None, None),
    ],
)
def test_scrub(text: str | None, scrubbed: str | None) -> None:
    assert scrub(text) == scrubbed


def test_the_drivers_own_secrets_are_masked_whatever_their_shape() -> None:
    assert scrub("bad password Cs_short!7 and secret s3cr", ["Cs_short!7", "s3cr"]) == (
        f"bad password {MASK} and secret {MASK}"
    )


def test_a_long_message_is_cut_after_scrubbing() -> None:
    text = scrub("word " * 100)
    assert text is not None
    assert len(text) == LONGEST
    assert text.endswith("…")
    assert scrub(text) == text  # scrubbing twice changes nothing


def test_answers_and_views_scrub_whoever_made_them() -> None:
    assert Answer("error:NotAuthorizedException", None, FAKE_JWT).message == MASK
    view = View.from_dict({"outcome": "error:NotAuthorizedException", "message": FAKE_JWT})
    assert view.message == MASK


# ------------------------------------------------------------------ moto's echoes


@pytest.fixture(scope="module")
def revoked_token() -> Iterator[tuple[Any, str]]:
    """A moto client and a user's access token that global sign-out revoked."""
    import boto3
    from moto import mock_aws

    with mock_aws():
        client = boto3.client("cognito-idp", region_name="us-east-1")
        pool = client.create_user_pool(PoolName="scrub")["UserPool"]["Id"]
        app = client.create_user_pool_client(
            UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        client.admin_create_user(UserPoolId=pool, Username="u", MessageAction="SUPPRESS")
        client.admin_set_user_password(
            UserPoolId=pool, Username="u", Password="Perm-Passw0rd!", Permanent=True
        )
        token = client.initiate_auth(
            ClientId=app,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "u", "PASSWORD": "Perm-Passw0rd!"},
        )["AuthenticationResult"]["AccessToken"]
        client.global_sign_out(AccessToken=token)
        yield client, token


ECHOES: dict[str, Callable[[Any, str], Any]] = {
    "UpdateUserAttributes": lambda c, t: c.update_user_attributes(
        AccessToken=t, UserAttributes=[{"Name": "name", "Value": "x"}]
    ),
    "AssociateSoftwareToken": lambda c, t: c.associate_software_token(AccessToken=t),
    "GlobalSignOut": lambda c, t: c.global_sign_out(AccessToken=t),
}


@pytest.mark.parametrize("operation", list(ECHOES))
def test_motos_echo_of_a_revoked_token_is_scrubbed(
    operation: str, revoked_token: tuple[Any, str]
) -> None:
    from botocore.exceptions import ClientError

    from cognito_states.backends.boto import error_message

    client, token = revoked_token
    with pytest.raises(ClientError) as info:
        ECHOES[operation](client, token)
    raw = error_message(info.value)
    assert token in raw
    assert len(raw) > 900
    assert leaks(raw)
    kept = scrub(raw)
    assert kept is not None
    assert token not in kept
    assert leaks(kept) == []


def test_a_run_on_moto_keeps_no_token_anywhere(
    tmp_path: Path, write: Callable[[str, str], Path]
) -> None:
    """ChangePassword and a second GlobalSignOut with a revoked token make moto echo
    it; the table, the JSON, the record and the report keep only the scrubbed text."""
    path = write(
        "echo.py",
        """
        from cognito_states import Pool, Scenario, step

        SCENARIO = Scenario("echo", pool=Pool(), steps=[
            step.admin_create_user(),
            step.admin_set_user_password(permanent=True),
            step.initiate_auth(),
            step.global_sign_out(),
            step.change_password(),
            step.global_sign_out(),
        ])
        """,
    )
    record, report = tmp_path / "run.jsonl", tmp_path / "run.md"
    code, out, err = capture("run", str(path), "--json", "--record", str(record))
    assert code == 0, err
    doc = json.loads(out)
    messages = [s["observed"].get("message") for s in doc["scenarios"][0]["steps"]]
    assert messages[-2:] == [MASK, MASK]  # the whole message was the token
    code, table, _ = capture("run", str(path), "--report", str(report))
    texts = {
        "json": out,
        "table": table,
        "record": record.read_text(encoding="utf-8"),
        "report": report.read_text(encoding="utf-8"),
    }
    texts = {name: text.replace(str(path), "echo.py") for name, text in texts.items()}
    assert {name: leaks(text) for name, text in texts.items()} == {key: [] for key in texts}
