"""What a step shows, in one type for the model's prediction, the backend's observation and
the scenario's expectation: the user's status (or no such user), Enabled, email_verified
and the step's outcome, parsed once. ``View.differs`` is the one definition of "differs".
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from typing import Any

from cognito_states.scrub import scrub
from cognito_states.statuses import NA, OK, TOKENS, UNSUPPORTED

_KINDS = (OK, TOKENS, NA, UNSUPPORTED)


class Outcome(str):
    """An outcome as the scenario language writes it, parsed once: ``ok``, ``tokens``,
    ``n/a``, ``unsupported``, ``challenge:<NAME>`` or ``error:<Code>``. It is its own
    text (a ``str``), so it compares with and serialises as that text."""

    __slots__ = ("kind", "name")
    kind: str  # ok, tokens, n/a, unsupported, challenge or error
    name: str | None  # the challenge's name or the error's code

    def __new__(cls, text: str) -> Outcome:
        if isinstance(text, Outcome):
            return text
        self = super().__new__(cls, text)
        if text in _KINDS:
            kind, name = text, None
        else:
            kind, sep, name = text.partition(":")
            if not sep or kind not in ("challenge", "error") or not name:
                raise ValueError(f"not an outcome: {text!r}")
        self.kind, self.name = kind, name
        return self

    @classmethod
    def error(cls, code: str) -> Outcome:
        return cls(f"error:{code}")

    @classmethod
    def challenge(cls, name: str) -> Outcome:
        return cls(f"challenge:{name}")

    @property
    def is_error(self) -> bool:
        return self.kind == "error"

    @property
    def is_challenge(self) -> bool:
        return self.kind == "challenge"

    def __reduce__(self) -> tuple[Any, ...]:  # slots and a str base: pickle by text
        return (Outcome, (str(self),))


@dataclass(frozen=True)
class Answer:
    """What an operation answered, before the user is looked at again."""

    outcome: Outcome
    required_attributes: tuple[str, ...] | None = None  # a challenge's requiredAttributes
    message: str | None = None  # the error's message, scrubbed of secrets

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        # Scrubbed again here, whoever made the answer: nothing token-like is kept.
        object.__setattr__(self, "message", scrub(self.message))


# The fields a step is judged on, in the order tables show them. A difference in any of
# them is a departure; ``required_attributes`` counts only between two answers to the same
# challenge, and ``message`` never does (it is shown, so wording drift can be seen).
COMPARED = ("status", "enabled", "email_verified", "outcome")


@dataclass(frozen=True)
class View:
    """What a step shows: the user after it (AdminGetUser's view) and what it answered.

    ``status`` None means no such user. ``has_email`` is what the backend saw of the
    user's email attribute: not judged, but the model continues from it.
    """

    status: str | None
    enabled: bool | None
    email_verified: bool | None
    outcome: Outcome
    required_attributes: tuple[str, ...] | None = None
    message: str | None = None
    has_email: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        object.__setattr__(self, "message", scrub(self.message))  # records read back too
        if self.required_attributes is not None:
            object.__setattr__(self, "required_attributes", tuple(self.required_attributes))

    @classmethod
    def of(cls, user: Mapping[str, Any], answer: Answer) -> View:
        """A view from AdminGetUser's fields (``status``, ``enabled``, ...) and an answer."""
        return cls(
            user.get("status"),
            user.get("enabled"),
            user.get("email_verified"),
            answer.outcome,
            answer.required_attributes,
            answer.message,
            user.get("has_email"),
        )

    @property
    def answer(self) -> Answer:
        return Answer(self.outcome, self.required_attributes, self.message)

    def __getitem__(self, name: str) -> Any:
        """``view["status"]`` reads like the JSON document (and as results did in 0.1):
        required attributes as a list."""
        if name not in _VIEW_NAMES:
            raise KeyError(name)
        value = getattr(self, name)
        return list(value) if isinstance(value, tuple) else value

    def get(self, name: str, default: Any = None) -> Any:
        return self[name] if name in _VIEW_NAMES else default

    def differs(self, other: View) -> list[str]:
        """The judged fields in which two views of a step differ, in table order."""
        keys = [k for k in COMPARED if getattr(self, k) != getattr(other, k)]
        if (
            self.outcome == other.outcome
            and self.outcome.is_challenge
            and self.required_attributes != other.required_attributes
        ):
            keys.append("required_attributes")
        return keys

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: the judged fields, ``required_attributes`` beside a challenge,
        ``message`` where an error carried one."""
        data: dict[str, Any] = {k: getattr(self, k) for k in COMPARED}
        data["outcome"] = str(self.outcome)
        if self.required_attributes is not None:
            data["required_attributes"] = list(self.required_attributes)
        if self.message is not None:
            data["message"] = self.message
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> View:
        """A view from its JSON form; fields a record lacks take their defaults."""
        required = data.get("required_attributes")
        return cls(
            data.get("status"),
            data.get("enabled"),
            data.get("email_verified"),
            Outcome(data.get("outcome") or UNSUPPORTED),
            tuple(required) if required is not None else None,
            data.get("message"),
        )


_VIEW_NAMES = frozenset(f.name for f in dataclass_fields(View))
EXPECTABLE = COMPARED  # what .expect(...) can constrain


@dataclass(frozen=True)
class Expectation:
    """What a scenario step expects: some of the judged fields, each with its value."""

    items: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, values: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Expectation:
        pairs = values.items() if isinstance(values, Mapping) else values
        ordered = dict(pairs)
        return cls(tuple((k, ordered[k]) for k in EXPECTABLE if k in ordered))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self.items)

    def __contains__(self, name: object) -> bool:
        return any(k == name for k, _ in self.items)

    def __getitem__(self, name: str) -> Any:
        for key, value in self.items:
            if key == name:
                return value
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.items).get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.items)

    def disagreeing(self, view: View) -> list[str]:
        """The expected fields ``view`` does not have."""
        return [k for k, v in self.items if getattr(view, k) != v]
