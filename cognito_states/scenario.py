"""The scenario language (``Pool``, ``Scenario``, ``step``) and its loader.

Scenario files are plain Python. Every mistake in one is caught before anything runs
and reported as a single line naming the file, the line and the closest valid name.
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cognito_states.errors import ScenarioError, ScenarioFilesError
from cognito_states.operations import SPEC, Op
from cognito_states.statuses import (
    CHALLENGE_NAMES,
    ERROR_CODES,
    NA,
    OK,
    TOKENS,
    UNSUPPORTED,
    Status,
)
from cognito_states.views import EXPECTABLE, Expectation

if TYPE_CHECKING:
    from cognito_states._stepapi import StepAPI

__all__ = [
    "Pool",
    "Scenario",
    "ScenarioError",
    "Step",
    "load_scenarios",
    "shipped_scenarios_path",
    "step",
]

_PACKAGE_DIR = Path(__file__).resolve().parent


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The valid name ``word`` most likely meant: the same in another case, else the
    shortest that it begins (``NEW_PASSWORD`` -> ``NEW_PASSWORD_REQUIRED``), else the
    closest spelling; None when nothing is close."""
    folded = {c.casefold(): c for c in choices}
    key = word.casefold()
    if key in folded:
        return folded[key]
    if len(key) >= 3:
        longer = sorted((c for f, c in folded.items() if f.startswith(key)), key=len)
        if longer:
            return longer[0]
    found = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.5)
    return folded[found[0]] if found else None


def _closest(word: str, choices: Iterable[str]) -> str:
    found = nearest(word, choices)
    return f"; did you mean {found!r}?" if found is not None and found != word else ""


def _caller() -> tuple[str | None, int | None]:
    """File and line of the first frame outside this module: the scenario file."""
    frame = sys._getframe(1)
    while frame is not None and (
        frame.f_code.co_filename == __file__ or frame.f_code.co_filename.startswith("<")
    ):
        frame = frame.f_back  # type: ignore[assignment]
    if frame is None:
        return None, None
    return frame.f_code.co_filename, frame.f_lineno


# --------------------------------------------------------------------------- Pool

DEFAULT_AUTH_FLOWS: tuple[str, ...] = (
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_SRP_AUTH",
)
AUTH_FLOWS: frozenset[str] = frozenset(
    {*DEFAULT_AUTH_FLOWS, "ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH"}
)
# Standard attributes a scenario user can be given a value for.
STANDARD_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "middle_name",
        "nickname",
        "preferred_username",
        "address",
        "birthdate",
        "gender",
        "locale",
        "website",
        "zoneinfo",
        "profile",
        "picture",
    }
)
# Sign-in and auto-verified attributes (UsernameAttributes, AutoVerifiedAttributes).
_SUPPORTED_ALIASES = ("email", "phone_number")
# What the model follows through a verify-before-update change: the email only.
_VERIFY_BEFORE_UPDATE = ("email",)
MFA_SETTINGS = ("OFF", "OPTIONAL", "ON")
MFA_METHODS = ("SOFTWARE_TOKEN_MFA", "SMS_MFA")
RECOVERY_MECHANISMS = ("verified_email", "verified_phone_number")


def _strings(name: str, value: Any, allowed: Iterable[str]) -> tuple[str, ...]:
    allowed = sorted(allowed)
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ScenarioError(f"Pool({name}=...) takes a list of strings, such as {allowed[:2]}")
    items = tuple(value)
    for item in items:
        if item not in allowed:
            raise ScenarioError(
                f"Pool({name}=...) does not accept {item!r}{_closest(str(item), allowed)}"
                f" (valid: {', '.join(allowed)})"
            )
    return tuple(sorted(set(items)))


class _Keywords:
    """Checks the keywords a Pool(...) or Scenario(...) call is given before the
    dataclass sees them, so a misspelt one is a ScenarioError with a suggestion (at the
    line that wrote it), not a TypeError."""

    __slots__ = ()
    _public: tuple[str, ...] = ()  # the keywords a scenario file writes

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        accepted = {f.name for f in fields(cls) if f.init}  # type: ignore[arg-type]
        for name in kwargs:
            if name not in accepted:
                file, line = _caller()
                hint = _closest(name, cls._public) or f" (valid: {', '.join(cls._public)})"
                raise ScenarioError(f"{cls.__name__}() has no keyword {name!r}{hint}", file, line)
        return super().__new__(cls)


class _Default(tuple[str, ...]):
    """A default left in place: lets Pool tell declared keywords from defaults."""

    __slots__ = ()


class _DefaultStr(str):
    __slots__ = ()


def _ordered(name: str, value: Any, allowed: Iterable[str]) -> tuple[str, ...]:
    """A list whose order means something (a priority): kept as written, no repeats."""
    items = tuple(value) if isinstance(value, Iterable) and not isinstance(value, str) else value
    _strings(name, items, allowed)  # the same checks as an unordered list
    repeated = sorted({item for item in items if items.count(item) > 1})
    if repeated:
        raise ScenarioError(f"Pool({name}=...) names {repeated[0]!r} twice; name each once")
    return items


POOL_KEYWORDS = (
    "username_attributes",
    "auto_verified_attributes",
    "required_attributes",
    "prevent_user_existence_errors",
    "auth_flows",
    "attributes_require_verification_before_update",
    "mfa",
    "mfa_methods",
    "account_recovery",
)


@dataclass(frozen=True)
class Pool(_Keywords):
    """User-pool and app-client settings that change what Cognito does.

    Defaults are CreateUserPool's and CreateUserPoolClient's, except ``auth_flows``,
    which allows the four password and refresh flows the scenarios use.
    """

    _public = POOL_KEYWORDS

    # Lists in a scenario file; tuples once built (a Pool is hashable).
    username_attributes: Sequence[str] = _Default()
    auto_verified_attributes: Sequence[str] = _Default()
    required_attributes: Sequence[str] = _Default()
    prevent_user_existence_errors: str = _DefaultStr("LEGACY")
    auth_flows: Sequence[str] = _Default(DEFAULT_AUTH_FLOWS)
    attributes_require_verification_before_update: Sequence[str] = _Default()
    # MfaConfiguration, the methods SetUserPoolMfaConfig turns on, and
    # AccountRecoverySetting's mechanisms in priority order (empty: not set, legacy).
    mfa: str = _DefaultStr("OFF")
    mfa_methods: Sequence[str] = _Default()
    account_recovery: Sequence[str] = _Default()
    # The keywords the scenario wrote (a real pool supplies the others).
    declared: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        file, line = _caller()
        if not self.declared:
            declared = frozenset(
                name
                for name in POOL_KEYWORDS
                if not isinstance(getattr(self, name), (_Default, _DefaultStr))
            )
            object.__setattr__(self, "declared", declared)
        try:
            self._validate()
        except ScenarioError as exc:
            raise ScenarioError(exc.message, file, line) from None

    def _validate(self) -> None:
        set_ = object.__setattr__
        set_(
            self,
            "username_attributes",
            _strings("username_attributes", self.username_attributes, _SUPPORTED_ALIASES),
        )
        set_(
            self,
            "auto_verified_attributes",
            _strings(
                "auto_verified_attributes",
                self.auto_verified_attributes,
                _SUPPORTED_ALIASES,
            ),
        )
        set_(
            self,
            "required_attributes",
            _strings("required_attributes", self.required_attributes, STANDARD_ATTRIBUTES),
        )
        set_(self, "auth_flows", _strings("auth_flows", self.auth_flows, AUTH_FLOWS))
        set_(
            self,
            "attributes_require_verification_before_update",
            _strings(
                "attributes_require_verification_before_update",
                self.attributes_require_verification_before_update,
                _VERIFY_BEFORE_UPDATE,
            ),
        )
        set_(self, "mfa_methods", _strings("mfa_methods", self.mfa_methods, MFA_METHODS))
        set_(
            self,
            "account_recovery",
            _ordered("account_recovery", self.account_recovery, RECOVERY_MECHANISMS),
        )
        set_(self, "mfa", str(self.mfa))
        if self.mfa not in MFA_SETTINGS:
            raise ScenarioError(
                f"Pool(mfa=...) must be 'OFF', 'OPTIONAL' or 'ON', not {self.mfa!r}"
                f"{_closest(str(self.mfa).upper(), MFA_SETTINGS)}"
            )
        if self.mfa == "OFF" and self.mfa_methods:
            raise ScenarioError(
                f"Pool(mfa_methods={list(self.mfa_methods)}) needs mfa='OPTIONAL' or 'ON'"
                " (with MFA off no method is offered)"
            )
        if self.mfa != "OFF" and not self.mfa_methods:
            raise ScenarioError(
                f"Pool(mfa={self.mfa!r}) needs mfa_methods=['SOFTWARE_TOKEN_MFA'],"
                " ['SMS_MFA'] or both"
            )
        set_(self, "prevent_user_existence_errors", str(self.prevent_user_existence_errors))
        if self.prevent_user_existence_errors not in ("LEGACY", "ENABLED"):
            raise ScenarioError(
                "Pool(prevent_user_existence_errors=...) must be 'LEGACY' or 'ENABLED',"
                f" not {self.prevent_user_existence_errors!r}"
            )
        extra = set(self.attributes_require_verification_before_update) - set(
            self.auto_verified_attributes
        )
        if extra:
            raise ScenarioError(
                "Pool(attributes_require_verification_before_update=...) may only name"
                f" auto-verified attributes; add {sorted(extra)} to auto_verified_attributes"
            )

    def drift(self, actual: Pool) -> list[tuple[str, Any, Any]]:
        """(keyword, declared, actual) for each declared keyword the pool does not have."""
        return [
            (name, getattr(self, name), getattr(actual, name))
            for name in POOL_KEYWORDS
            if name in self.declared and getattr(self, name) != getattr(actual, name)
        ]

    def completed_by(self, actual: Pool) -> Pool:
        """These settings, with every keyword the scenario did not write taken from
        ``actual`` (a real pool's settings)."""
        values = {
            name: getattr(self if name in self.declared else actual, name) for name in POOL_KEYWORDS
        }
        return Pool(**values, declared=self.declared)

    @property
    def email_is_username(self) -> bool:
        return "email" in self.username_attributes

    @property
    def phone_is_username(self) -> bool:
        return "phone_number" in self.username_attributes

    @property
    def alias_username(self) -> bool:
        """Users sign in with an email or phone number; Cognito makes the username."""
        return bool(self.username_attributes)

    @property
    def phone_required(self) -> bool:
        return "phone_number" in self.required_attributes

    @property
    def gives_phone(self) -> bool:
        """Every user of this pool has a phone number (it signs in with it, or must)."""
        return self.phone_is_username or self.phone_required

    @property
    def uses_phone(self) -> bool:
        """Phone numbers matter here: explore tries the phone keywords."""
        return (
            self.gives_phone
            or "phone_number" in self.auto_verified_attributes
            or "verified_phone_number" in self.account_recovery
            or "SMS_MFA" in self.mfa_methods
        )

    @property
    def uses_mfa(self) -> bool:
        return self.mfa != "OFF"

    @property
    def needs_sms_role(self) -> bool:
        """Creating this pool takes an SmsConfiguration (an IAM role Cognito assumes to
        send text messages): it texts codes for sign-up, MFA or account recovery."""
        return (
            "phone_number" in self.auto_verified_attributes
            or "SMS_MFA" in self.mfa_methods
            or "verified_phone_number" in self.account_recovery
        )

    def flow_allowed(self, flow: str) -> bool:
        return f"ALLOW_{flow}" in self.auth_flows

    def as_dict(self) -> dict[str, Any]:
        return {
            "username_attributes": list(self.username_attributes),
            "auto_verified_attributes": list(self.auto_verified_attributes),
            "required_attributes": list(self.required_attributes),
            "prevent_user_existence_errors": self.prevent_user_existence_errors,
            "auth_flows": list(self.auth_flows),
            "attributes_require_verification_before_update": list(
                self.attributes_require_verification_before_update
            ),
            "mfa": self.mfa,
            "mfa_methods": list(self.mfa_methods),
            "account_recovery": list(self.account_recovery),
        }


# --------------------------------------------------------------------------- steps

# For every operation: its keywords, each with (default, allowed values), from the spec.
STEP_KEYWORDS: Mapping[Op, Mapping[str, tuple[Any, tuple[Any, ...]]]] = {
    op: {k.name: (k.default, k.allowed) for k in o.keywords} for op, o in SPEC.items()
}

_EXPECT_KEYS = EXPECTABLE


def keywords_of(op: Op) -> Mapping[str, tuple[Any, tuple[Any, ...]]]:
    return STEP_KEYWORDS.get(op, {})


_PLAIN_OUTCOMES = (OK, TOKENS, NA, UNSUPPORTED)
_NAMED_OUTCOMES = {"error": ERROR_CODES, "challenge": CHALLENGE_NAMES}


def check_outcome(outcome: object) -> str | None:
    """None when ``outcome`` is a valid outcome string, else the reason it is not,
    with the whole outcome it most likely meant."""
    if not isinstance(outcome, str):
        return f"outcome must be a string such as 'tokens', not {outcome!r}"
    if outcome in _PLAIN_OUTCOMES:
        return None
    kind, sep, name = outcome.partition(":")
    names = _NAMED_OUTCOMES.get(kind)
    if sep and names is not None and name in names:
        return None
    meant = _meant_outcome(outcome)
    hint = f"; did you mean {meant!r}?" if meant else ""
    if sep and names is not None:
        what = "error code" if kind == "error" else "challenge"
        return f"unknown {what} {name!r}{hint}"
    valid = "ok, tokens, n/a, unsupported, challenge:<NAME>, error:<Code>"
    return f"unknown outcome {outcome!r}{hint} ({valid})"


def _meant_outcome(text: str) -> str | None:
    """The valid outcome nearest to ``text``: its kind in the right case and the
    nearest whole name; a bare challenge name or error code gets its kind."""
    kind, sep, name = text.partition(":")
    if sep:
        fixed = nearest(kind, _NAMED_OUTCOMES)
        if fixed is None or fixed.casefold() != kind.casefold():
            return None
        found = nearest(name, _NAMED_OUTCOMES[fixed])
        return f"{fixed}:{found}" if found else None
    plain = nearest(text, _PLAIN_OUTCOMES)
    if plain is not None and plain.casefold() == text.casefold():
        return plain
    for kind, names in _NAMED_OUTCOMES.items():  # "NEW_PASSWORD_REQUIRED" alone
        same = {n.casefold(): n for n in names}.get(text.casefold())
        if same is not None:
            return f"{kind}:{same}"
    return plain


@dataclass(frozen=True)
class Step:
    """One operation of a scenario, its keywords and what the scenario expects."""

    op: Op
    params: tuple[tuple[str, Any], ...] = ()
    expected: Expectation = field(default_factory=Expectation)
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def kwargs(self) -> dict[str, Any]:
        """Every keyword with its value, defaults included."""
        values = {name: default for name, (default, _) in keywords_of(self.op).items()}
        values.update(self.params)
        return values

    @property
    def expect_dict(self) -> dict[str, Any]:
        return self.expected.as_dict()

    if TYPE_CHECKING:

        def expect(
            self,
            *,
            status: str | None = ...,
            enabled: bool = ...,
            email_verified: bool = ...,
            phone_number_verified: bool | None = ...,
            mfa_methods: Sequence[str] = ...,
            preferred_mfa: str | None = ...,
            outcome: str = ...,
        ) -> Step:
            """What the scenario expects after this step (status None: no such user;
            phone_number_verified None: no phone number; preferred_mfa None: none)."""
            ...

    else:

        def expect(self, **expected: Any) -> Step:
            file, line = _caller()
            for key, value in expected.items():
                if key not in _EXPECT_KEYS:
                    raise ScenarioError(
                        f".expect() has no keyword {key!r}{_closest(key, _EXPECT_KEYS)}"
                        f" (valid: {', '.join(_EXPECT_KEYS)})",
                        file,
                        line,
                    )
                problem = _check_expectation(key, value)
                if problem:
                    raise ScenarioError(f".expect({key}=...): {problem}", file, line)
                if key in self.expected:
                    raise ScenarioError(
                        f".expect({key}=...) is given twice for this step"
                        f" ({key}={self.expected[key]!r}, then {key}={value!r}); keep one",
                        file,
                        line,
                    )
            merged = self.expected.as_dict() | expected
            return Step(self.op, self.params, Expectation.of(merged), file or self.file, self.line)

    def describe(self, show: Iterable[str] = ()) -> str:
        """The step as it is written in a scenario file (without .expect); the keywords
        in ``show`` are written out even at their defaults."""
        return f"{self.op}({', '.join(self.arguments(show))})"

    def arguments(self, show: Iterable[str] = ()) -> list[str]:
        """``name=value`` for each keyword given, and for each of ``show`` (at its
        default when not given), in the scenario file's order."""
        given = dict(self.params)
        wanted = set(show)
        out = [f"{k}={v!r}" for k, v in self.params]
        for name, (default, _) in keywords_of(self.op).items():
            if name in wanted and name not in given:
                out.append(f"{name}={default!r}")
        return out


def _check_expectation(key: str, value: Any) -> str | None:
    if key == "status":
        if value is None or value in Status.__members__:
            return None
        hint = _closest(str(value), Status.__members__)
        return f"unknown status {value!r}{hint} (None means no such user)"
    if key in ("enabled", "email_verified"):
        return None if isinstance(value, bool) else f"must be True or False, not {value!r}"
    if key == "phone_number_verified":
        if value is None or isinstance(value, bool):
            return None
        return f"must be True, False or None (no phone number), not {value!r}"
    if key == "mfa_methods":
        if isinstance(value, str) or not isinstance(value, Iterable):
            return f"takes a list such as ['SOFTWARE_TOKEN_MFA'], not {value!r}"
        wrong = [m for m in value if m not in MFA_METHODS]
        if wrong:
            return (
                f"unknown MFA method {wrong[0]!r}{_closest(str(wrong[0]), MFA_METHODS)}"
                f" (valid: {', '.join(MFA_METHODS)})"
            )
        return None
    if key == "preferred_mfa":
        if value is None or value in MFA_METHODS:
            return None
        return (
            f"must be None or one of {', '.join(MFA_METHODS)}, not {value!r}"
            f"{_closest(str(value), MFA_METHODS)}"
        )
    return check_outcome(value)


def _make_step(op: Op, file: str | None, line: int | None, params: dict[str, Any]) -> Step:
    spec = keywords_of(op)
    for name, value in params.items():
        if name not in spec:
            valid = ", ".join(spec) or "no keywords"
            raise ScenarioError(
                f"step.{op}() has no keyword {name!r}{_closest(name, spec)} (valid: {valid})",
                file,
                line,
            )
        allowed = spec[name][1]
        if not any(value is a or (type(value) is type(a) and value == a) for a in allowed):
            raise ScenarioError(
                f"step.{op}({name}={value!r}): must be one of {', '.join(map(repr, allowed))}",
                file,
                line,
            )
    merged = {n: d for n, (d, _) in spec.items()} | params
    for check in SPEC[op].checks:
        if check.refuses(merged, None):
            raise ScenarioError(check.message, file, line)
    # Keep only what differs from the defaults, in the spec's order: equal steps compare equal.
    kept = tuple((n, params[n]) for n in spec if n in params and params[n] != spec[n][0])
    return Step(op, kept, Expectation(), file, line)


def make_step(op: Op, params: Mapping[str, Any]) -> Step:
    """A step from keywords given as data (a record line, a plan); defaults are dropped,
    so a keyword an older record lacks takes its default."""
    return _make_step(op, None, None, dict(params))


def step_variants(op: Op, pool: Pool | None = None) -> list[Step]:
    """The operation with its defaults, then with one keyword changed at a time (the
    combinations the language rejects are left out). Only what is worth trying in
    ``pool`` (default: ``Pool()``): the MFA operations where MFA is on or optional, the
    phone keywords where phone numbers matter (operations.SPEC ``applies``)."""
    pool = pool or Pool()
    operation = SPEC[op]
    if not operation.tried(pool):
        return []
    variants: list[Step] = []
    candidates: list[dict[str, Any]] = [{}]
    for keyword in operation.keywords:
        candidates += [
            {keyword.name: value}
            for value in keyword.allowed
            if value != keyword.default and keyword.tried(value, pool)
        ]
    for params in candidates:
        try:
            made = _make_step(op, None, None, params)
        except ScenarioError:
            continue
        if not any(check.refuses(made.kwargs, pool) for check in operation.checks):
            variants.append(made)
    return variants


def all_variants(pool: Pool | None = None) -> list[Step]:
    """Every operation's variants worth trying in ``pool`` (default: ``Pool()``)."""
    return [variant for op in Op for variant in step_variants(op, pool)]


class _StepFactory:
    """``step.<operation>(**keywords)``: builds a Step, rejecting misspelt names. Type
    checkers see ``_stepapi.StepAPI`` instead, generated from the spec, so that they
    complete operation names and keywords and flag misspelt ones."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in Op.__members__:
            file, line = _caller()
            raise ScenarioError(
                f"unknown step {name!r}{_closest(name, Op.__members__)}", file, line
            )
        return _Uncalled(Op(name), *_caller())

    def __dir__(self) -> list[str]:
        return list(Op.__members__)


class _Uncalled:
    """``step.<operation>`` before its call: calling it builds the Step. Left uncalled
    in a scenario (``step.admin_create_user`` without ``()``), it is reported at the
    line that wrote it."""

    __slots__ = ("file", "line", "op")

    def __init__(self, op: Op, file: str | None, line: int | None) -> None:
        self.op, self.file, self.line = op, file, line

    def __call__(self, *args: Any, **params: Any) -> Step:
        file, line = _caller()
        if args:
            raise ScenarioError(
                f"step.{self.op}() takes keywords only, such as {self.op}(...=...)", file, line
            )
        return _make_step(self.op, file, line, params)

    def error(self) -> ScenarioError:
        return ScenarioError(
            f"step.{self.op} is not called; write step.{self.op}()", self.file, self.line
        )

    def expect(self, **expected: Any) -> Step:
        raise self.error()

    def __repr__(self) -> str:
        return f"step.{self.op}"


step = cast("StepAPI", _StepFactory())


# --------------------------------------------------------------------------- Scenario


@dataclass(frozen=True)
class Scenario(_Keywords):
    """A named list of steps acting on one fresh user of a pool with given settings."""

    _public = ("name", "pool", "steps", "doc")

    name: str
    pool: Pool = field(default_factory=Pool)
    steps: Sequence[Step] = ()  # a list in a scenario file; a tuple once built
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)
    doc: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        file, line = _caller()
        if self.file is None:
            object.__setattr__(self, "file", file)
            object.__setattr__(self, "line", line)
        if not isinstance(self.name, str) or not self.name.strip():
            raise ScenarioError("Scenario(...) needs a name as its first argument", file, line)
        if not isinstance(self.pool, Pool):
            raise ScenarioError("Scenario(pool=...) takes a Pool(...)", file, line)
        steps = tuple(self.steps) if isinstance(self.steps, Iterable) else None
        if not steps:
            raise ScenarioError("Scenario(steps=[...]) needs at least one step", file, line)
        for item in steps:
            if isinstance(item, _Uncalled):
                raise item.error()
            if not isinstance(item, Step):
                raise ScenarioError(
                    f"Scenario(steps=[...]) holds {item!r}; use step.<operation>(...)",
                    file,
                    line,
                )
        object.__setattr__(self, "steps", steps)
        for item in steps:
            for check in SPEC[item.op].checks:
                if check.refuses(item.kwargs, self.pool):
                    raise ScenarioError(check.message, item.file, item.line)


# --------------------------------------------------------------------------- loading


def shipped_scenarios_path() -> Path:
    """The scenarios that ship with the tool: inside the wheel, or beside the source tree."""
    inside = _PACKAGE_DIR / "scenarios"
    return inside if inside.is_dir() else _PACKAGE_DIR.parent / "scenarios"


def _scenario_files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for candidate in sorted(path.rglob("*.py")):
        if "Scenario(" in candidate.read_text(encoding="utf-8", errors="replace"):
            yield candidate


def _import_error_line(exc: BaseException, file: Path) -> int | None:
    """The last line of ``file`` (resolved) in the exception's traceback: where the
    scenario file called what failed."""
    line = None
    tb = exc.__traceback__
    seen: dict[str, bool] = {}
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name not in seen:
            seen[name] = not name.startswith("<") and Path(name).resolve() == file
        if seen[name]:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _is_file(name: str | None, file: Path) -> bool:
    return name is not None and not name.startswith("<") and Path(name).resolve() == file


def load_file(path: Path) -> list[Scenario]:
    """The module-level Scenarios of one file, in file order. Every error names the
    file as it was given and the line in it, whatever was raised while importing."""
    file = str(path)
    resolved = path.resolve()
    name = f"_cognito_scenario_{abs(hash(str(resolved)))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ScenarioError("cannot be imported as Python; name it *.py", file)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ScenarioError as exc:
        # Raised in this file (or by the language, with no file): named as given.
        # Raised in a helper module the file imports: that module's own place.
        if exc.file is None or _is_file(exc.file, resolved) or not Path(exc.file).exists():
            exc.file, exc.line = file, exc.line or _import_error_line(exc, resolved)
        raise
    except SyntaxError as exc:
        where = file if exc.filename is None or _is_file(exc.filename, resolved) else exc.filename
        raise ScenarioError(f"syntax error: {exc.msg}", where, exc.lineno) from None
    except Exception as exc:
        hint = ""
        if isinstance(exc, ImportError):
            hint = "; scenario files import only what they use from cognito_states"
        raise ScenarioError(
            f"does not import: {type(exc).__name__}: {exc}{hint}",
            file,
            _import_error_line(exc, resolved),
        ) from None
    found = [v for v in vars(module).values() if isinstance(v, Scenario)]
    return sorted(found, key=lambda s: s.line or 0)


def load_scenarios(paths: Iterable[Path]) -> list[Scenario]:
    """Every module-level Scenario in the given files and folders, in a stable order.
    Every bad file is reported (ScenarioFilesError, one line each), not only the first."""
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    for path in paths:
        if not path.exists():
            errors.append(
                ScenarioError(
                    "no such file or folder; give a scenario file or a folder of them",
                    str(path),
                )
            )
            continue
        for file in _scenario_files(path):
            try:
                scenarios.extend(load_file(file))
            except ScenarioError as exc:
                errors.append(exc)
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            errors.append(
                ScenarioError(
                    f"a second scenario is named {scenario.name!r}"
                    f" (first in {seen[scenario.name].file}); give each a unique name",
                    scenario.file,
                    scenario.line,
                )
            )
        seen.setdefault(scenario.name, scenario)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ScenarioFilesError(errors)
    return scenarios
