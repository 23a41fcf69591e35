"""What a step shows, in one type for the model's prediction, the backend's observation and
the scenario's expectation: the user's status (or no such user), Enabled, email_verified,
phone_number_verified, the MFA methods turned on and the preferred one, and the step's
outcome, parsed once. ``View.differs`` is the one definition of "differs".
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
# ``phone_number_verified`` is None for a user without a phone number; ``mfa_methods`` is
# AdminGetUser's UserMFASettingList (sorted), ``preferred_mfa`` its PreferredMfaSetting.
COMPARED = (
    "status",
    "enabled",
    "email_verified",
    "phone_number_verified",
    "mfa_methods",
    "preferred_mfa",
    "outcome",
)
# The fields added for phone numbers and MFA, and what each is when a record written
# before it existed does not carry it (the value an e-mail-only user has).
DEFAULTS: Mapping[str, Any] = {
    "phone_number_verified": None,
    "mfa_methods": (),
    "preferred_mfa": None,
}
# The user's fields (all but the outcome): what a backend shows of where the user is.
USER_FIELDS = tuple(k for k in COMPARED if k != "outcome")


@dataclass(frozen=True)
class View:
    """What a step shows: the user after it (AdminGetUser's view) and what it answered.

    ``status`` None means no such user. ``has_email`` and ``has_phone`` are what the
    backend saw of the user's email and phone_number attributes: not judged, but the model
    continues from them.
    """

    status: str | None
    enabled: bool | None
    email_verified: bool | None
    outcome: Outcome
    required_attributes: tuple[str, ...] | None = None
    message: str | None = None
    has_email: bool | None = None
    phone_number_verified: bool | None = None
    mfa_methods: tuple[str, ...] = ()
    preferred_mfa: str | None = None
    has_phone: bool | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "outcome", Outcome(self.outcome))
        object.__setattr__(self, "message", scrub(self.message))  # records read back too
        if self.required_attributes is not None:
            object.__setattr__(self, "required_attributes", tuple(self.required_attributes))
        object.__setattr__(self, "mfa_methods", tuple(sorted(self.mfa_methods or ())))

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
            user.get("phone_number_verified"),
            tuple(user.get("mfa_methods") or ()),
            user.get("preferred_mfa"),
            user.get("has_phone"),
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
        data["mfa_methods"] = list(self.mfa_methods)
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
            None,
            data.get("phone_number_verified", DEFAULTS["phone_number_verified"]),
            tuple(data.get("mfa_methods") or DEFAULTS["mfa_methods"]),
            data.get("preferred_mfa", DEFAULTS["preferred_mfa"]),
        )

    def user(self) -> tuple[Any, ...]:
        """The user's judged fields (all but the outcome): where the backend shows it is."""
        return tuple(getattr(self, k) for k in USER_FIELDS)


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
        if "mfa_methods" in ordered:  # a list in a scenario file; compared as a view has it
            ordered["mfa_methods"] = tuple(sorted(ordered["mfa_methods"]))
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
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.items}

    def disagreeing(self, view: View, only: Iterable[str] | None = None) -> list[str]:
        """The expected fields (of ``only``, if given) ``view`` does not have."""
        keys = None if only is None else set(only)
        return [k for k, v in self.items if (keys is None or k in keys) and getattr(view, k) != v]

    def agrees(self, view: View, key: str) -> bool:
        """Whether ``view`` has this expected field's value (one the step expects)."""
        return key not in self or getattr(view, key) == self[key]
