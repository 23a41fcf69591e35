"""A small fake Cognito endpoint for the tests: an HTTP server in this process speaking
the JSON protocol (``X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>``).

It keeps just enough state for throwaway pools and one admin-created user, and answers
one chosen operation the way an emulator that lacks it would: its own error code, a bare
HTTP 501, or a crash (HTTP 500). It is not a moto server: ``/moto-api/`` is a 404.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PREFIX = "AWSCognitoIdentityProviderService."


@dataclass
class Failure:
    """How the fake answers ``operation``: HTTP ``status`` with ``body`` (None: empty)."""

    operation: str
    status: int
    body: dict[str, Any] | None = None


@dataclass
class FakeCognito:
    failure: Failure | None = None
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    pools: int = 0

    def answer(self, operation: str, request: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
        self.calls.append(operation)
        if self.failure is not None and operation == self.failure.operation:
            return self.failure.status, self.failure.body
        handler = getattr(self, re.sub(r"(?<!^)([A-Z])", r"_\1", operation).lower(), None)
        if handler is None:
            return 400, {"__type": "InvalidParameterException", "message": operation}
        return 200, handler(request)

    def list_user_pools(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"UserPools": []}

    def create_user_pool(self, request: dict[str, Any]) -> dict[str, Any]:
        self.pools += 1
        return {"UserPool": {"Id": f"us-east-1_fake{self.pools}"}}

    def create_user_pool_client(self, request: dict[str, Any]) -> dict[str, Any]:
        return {"UserPoolClient": {"ClientId": f"fakeclient{self.pools}"}}

    def delete_user_pool(self, request: dict[str, Any]) -> dict[str, Any]:
        return {}

    def admin_create_user(self, request: dict[str, Any]) -> dict[str, Any]:
        name = request["Username"]
        self.users[name] = {
            "Username": name,
            "UserStatus": "FORCE_CHANGE_PASSWORD",
            "Enabled": True,
            "UserAttributes": list(request.get("UserAttributes", [])),
        }
        return {"User": {"Username": name}}

    def admin_get_user(self, request: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(request["Username"])
        if user is None:
            raise _NotFoundError
        return user

    def admin_disable_user(self, request: dict[str, Any]) -> dict[str, Any]:
        self.users[request["Username"]]["Enabled"] = False
        return {}

    def admin_delete_user(self, request: dict[str, Any]) -> dict[str, Any]:
        self.users.pop(request["Username"], None)
        return {}


class _NotFoundError(Exception):
    """AdminGetUser of a user that is not there."""


def _handler(fake: FakeCognito) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            self._send(404, {"message": "not a moto server"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = json.loads(self.rfile.read(length) or b"{}")
            operation = str(self.headers.get("X-Amz-Target", "")).removeprefix(PREFIX)
            try:
                status, body = fake.answer(operation, request)
            except _NotFoundError:
                status, body = 400, {"__type": "UserNotFoundException", "message": "no user"}
            self._send(status, body)

        def _send(self, status: int, body: dict[str, Any] | None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@dataclass
class FakeEndpoint:
    fake: FakeCognito
    server: ThreadingHTTPServer

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"


def serve(fake: FakeCognito) -> Iterator[FakeEndpoint]:
    """Serve ``fake`` on a free port of 127.0.0.1 until the generator is closed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield FakeEndpoint(fake, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
