"""The Cognito user model: a pytransitions machine built from ``rules.RULES``.

``CognitoModel(pool).predict(state, step)`` says what real Cognito answers and where
the user ends up; ``reconcile`` continues from what a backend showed instead, so one
departure is reported once. transitions' dynamic surface stays behind this facade.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any

from cognito_states.rules import FALLBACK, GONE, RULES, Rule
from cognito_states.scenario import Pool, Step
from cognito_states.statuses import (
    CHALLENGE_NPR,
    MODEL_STATES,
    NO_USER,
    OK,
    TOKENS,
    Op,
    Tokens,
)

_FLOW_OF_OP = {Op.admin_initiate_auth: "ADMIN_USER_PASSWORD_AUTH"}


@dataclass(frozen=True)
class UserState:
    """What changes Cognito's answers for one user (abstract: no secrets in here)."""

    status: str = NO_USER
    enabled: bool | None = None
    email_verified: bool | None = None
    has_email: bool = False
    tokens: Tokens = Tokens.none
    challenge: str | None = None
    reset_code: bool = False

    @property
    def exists(self) -> bool:
        return self.status != NO_USER

    @property
    def public_status(self) -> str | None:
        """The status as AWS spells it; None for no such user."""
        return None if self.status == NO_USER else str(self.status)

    def fields(self) -> dict[str, Any]:
        """The fields as they are (a shallow copy: they are all immutable)."""
        return {name: getattr(self, name) for name in STATE_FIELDS}

    def as_dict(self) -> dict[str, Any]:
        data = self.fields()
        data["status"] = self.public_status
        data["tokens"] = str(self.tokens)
        return data


STATE_FIELDS = tuple(f.name for f in dataclass_fields(UserState))
INITIAL = UserState()


@dataclass(frozen=True)
class Observation:
    """What a backend showed after a step: AdminGetUser's view plus the step's outcome."""

    status: str | None
    enabled: bool | None
    email_verified: bool | None
    outcome: str
    required_attributes: tuple[str, ...] | None = None
    has_email: bool | None = None

    def fields(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "enabled": self.enabled,
            "email_verified": self.email_verified,
            "outcome": self.outcome,
        }
        if self.required_attributes is not None:
            data["required_attributes"] = list(self.required_attributes)
        return data


@dataclass(frozen=True)
class Prediction:
    state: UserState
    outcome: str
    rule: Rule
    required_attributes: tuple[str, ...] | None = None

    def as_observation(self) -> Observation:
        return Observation(
            self.state.public_status,
            self.state.enabled,
            self.state.email_verified,
            self.outcome,
            self.required_attributes,
            self.state.has_email,
        )


class _Subject:
    """The object transitions drives; holds the facts and what fired."""

    state: str
    facts: Mapping[str, Any]
    fired: Rule | None
    trigger: Any  # added by transitions


def pool_facts(pool: Pool) -> dict[str, Any]:
    return {
        "pool.prevent_user_existence_errors": pool.prevent_user_existence_errors,
        "pool.email_auto_verified": "email" in pool.auto_verified_attributes,
        "pool.email_required": "email" in pool.required_attributes,
        "pool.verify_before_update": "email" in pool.attributes_require_verification_before_update,
        "pool.email_is_username": pool.email_is_username,
    }


class CognitoModel:
    """Real Cognito's behaviour for one pool's settings."""

    def __init__(self, pool: Pool | None = None) -> None:
        from transitions import Machine  # a dependency; imported where it is used

        self.pool = pool or Pool()
        self._lock = threading.Lock()  # one transitions subject: one prediction at a time
        self._memo: dict[tuple[UserState, Op, tuple[tuple[str, Any], ...]], Prediction] = {}
        self._pool_facts = pool_facts(self.pool)
        self._subject = _Subject()
        self._machine = Machine(
            model=self._subject,
            states=list(MODEL_STATES),
            initial=NO_USER,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=True,
        )
        for rule in RULES:
            statuses = rule.statuses
            self._machine.add_transition(
                trigger=str(rule.op),
                source=list(statuses) if statuses else "*",
                dest=rule.then.get("status"),  # None: internal transition, status kept
                conditions=[self._condition(rule)],
                after=[self._fired(rule)],
            )

    @staticmethod
    def _condition(rule: Rule) -> Any:
        return lambda event: rule.matches(event.model.facts)

    @staticmethod
    def _fired(rule: Rule) -> Any:
        def after(event: Any) -> None:
            event.model.fired = rule

        return after

    def facts(self, state: UserState, step: Step) -> dict[str, Any]:
        facts: dict[str, Any] = {**state.fields(), **self._pool_facts}
        for name, value in step.kwargs.items():
            facts[f"arg.{name}"] = value
        flow = facts.get("arg.auth_flow") or _FLOW_OF_OP.get(step.op)
        facts["pool.flow_allowed"] = True if flow is None else self.pool.flow_allowed(flow)
        return facts

    def rule_for(self, state: UserState, step: Step) -> Rule:
        """The rule that decides this step in this state (FALLBACK when none does)."""
        subject = self._subject
        subject.facts = self.facts(state, step)
        subject.fired = None
        self._machine.set_state(state.status, model=subject)
        subject.trigger(str(step.op))
        return subject.fired or replace(FALLBACK, op=step.op)

    def predict(self, state: UserState, step: Step) -> Prediction:
        """What real Cognito answers and where the user ends up. The rules are pure, so
        each (state, operation, keywords) is worked out by the machine once per model."""
        key = (state, step.op, step.params)
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._predict(state, step)
        return cached

    def _predict(self, state: UserState, step: Step) -> Prediction:
        with self._lock:
            rule = self.rule_for(state, step)
            facts = self._subject.facts
        changes: dict[str, Any] = {
            key: bool(facts[value[1:]])
            if isinstance(value, str) and value.startswith("=")
            else value
            for key, value in rule.then.items()
        }
        if changes.get("tokens") is Tokens.revoked and state.tokens is Tokens.none:
            changes["tokens"] = Tokens.none  # nothing held, nothing to revoke
        nxt = replace(state, **changes)
        required = None
        if rule.outcome == CHALLENGE_NPR:
            required = self.required_attributes(state)
        return Prediction(nxt, rule.outcome, rule, required)

    def required_attributes(self, state: UserState) -> tuple[str, ...]:
        """NEW_PASSWORD_REQUIRED's requiredAttributes: required values the user lacks.

        Scenario users are given every required attribute except, with
        ``admin_create_user(email=False)``, the email (seed-article step 4).
        """
        if "email" in self.pool.required_attributes and not state.has_email:
            return ("userAttributes.email",)
        return ()

    def reconcile(
        self, before: UserState, predicted: Prediction, observed: Observation
    ) -> UserState:
        """The state to continue from: what the backend showed where it showed it."""
        if observed.status is None:
            return replace(predicted.state, **_gone(predicted.state))
        base = predicted.state
        if observed.outcome != predicted.outcome:
            base = _after_outcome(before, predicted.rule.op, observed.outcome)
        has_email = base.has_email if observed.has_email is None else observed.has_email
        return replace(
            base,
            status=observed.status,
            enabled=observed.enabled,
            email_verified=observed.email_verified,
            has_email=has_email,
        )


def _gone(state: UserState) -> dict[str, Any]:
    """A user the backend no longer has: AdminDeleteUser's effects (rules.GONE); tokens
    the client held stay held, revoked."""
    tokens = Tokens.none if state.tokens is Tokens.none else Tokens.revoked
    return {**GONE, "tokens": tokens}


def _after_outcome(before: UserState, op: Op, outcome: str) -> UserState:
    """What the client holds after an outcome the model did not predict."""
    if outcome == TOKENS:
        return replace(before, tokens=Tokens.valid, challenge=None)
    if outcome.startswith("challenge:"):
        return replace(before, challenge=outcome.partition(":")[2])
    if outcome == OK and op in _HELD_AFTER_OK:
        changes = dict(_HELD_AFTER_OK[op])
        if changes.get("tokens") is Tokens.revoked and before.tokens is Tokens.none:
            del changes["tokens"]
        return replace(before, **changes)
    return before  # errors, n/a and unsupported change nothing the client holds


# What a successful call changes in what the client holds, whatever the status.
_HELD_AFTER_OK: Mapping[Op, Mapping[str, Any]] = {
    Op.forgot_password: {"reset_code": True},
    Op.confirm_forgot_password: {"reset_code": False},
    Op.global_sign_out: {"tokens": Tokens.revoked},
    Op.admin_user_global_sign_out: {"tokens": Tokens.revoked},
    Op.revoke_token: {"tokens": Tokens.revoked},
    Op.admin_disable_user: {"tokens": Tokens.revoked},
}
