"""The Cognito user model: a pytransitions machine built from ``rules.RULES``.

``CognitoModel(pool).predict(state, step)`` says what real Cognito answers and where
the user ends up; ``reconcile`` continues from what a backend showed instead, so one
departure is reported once; ``table`` is the model's transition table. transitions'
dynamic surface stays behind this facade.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any

from cognito_states.operations import MFA_SETUP, MFA_TYPES, SPEC, Op, holds
from cognito_states.rules import FALLBACK, GONE, RULES, Copy, Rule, fill
from cognito_states.scenario import Pool, Step, keywords_of, step_variants
from cognito_states.statuses import (
    CHALLENGE_NPR,
    MODEL_STATES,
    NO_USER,
    Status,
    Tokens,
)
from cognito_states.views import Answer, Outcome, View


@dataclass(frozen=True)
class UserState:
    """What changes Cognito's answers for one user (abstract: no secrets in here)."""

    status: str = NO_USER
    enabled: bool | None = None
    email_verified: bool | None = None
    has_email: bool = False
    tokens: Tokens = Tokens.none
    challenge: str | None = None
    reset_code: bool = False  # a forgot-password code is pending
    # A new email awaits verification while the old, verified one stays in use
    # (attributes_require_verification_before_update).
    pending_email: bool = False
    attribute_code: bool = False  # an email verification code is pending
    has_phone: bool = False
    phone_number_verified: bool | None = None  # None: no phone number
    phone_code: bool = False  # a phone verification code is pending
    # MFA: AdminGetUser's UserMFASettingList (sorted) and PreferredMfaSetting; a TOTP
    # secret handed out and not yet verified; a TOTP authenticator verified.
    mfa_methods: tuple[str, ...] = ()
    preferred_mfa: str | None = None
    totp_pending: bool = False
    totp_verified: bool = False

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
        data["mfa_methods"] = list(self.mfa_methods)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UserState:
        """A state from its JSON form; a field a record made by an older version lacks
        takes its default, so old records keep matching new ones."""
        values = {k: data[k] for k in STATE_FIELDS if k in data}
        if values.get("status") is None:
            values["status"] = NO_USER
        values["tokens"] = Tokens(values.get("tokens") or Tokens.none)
        values["mfa_methods"] = tuple(sorted(values.get("mfa_methods") or ()))
        return cls(**values)


STATE_FIELDS = tuple(f.name for f in dataclass_fields(UserState))
INITIAL = UserState()


@dataclass(frozen=True)
class Prediction:
    state: UserState
    outcome: Outcome
    rule: Rule
    required_attributes: tuple[str, ...] | None = None
    message: str | None = None  # real Cognito's error message, where the rule knows it
    # The step's keywords (what a success leaves the client holding may depend on them).
    params: tuple[tuple[str, Any], ...] = ()

    @property
    def view(self) -> View:
        """What real Cognito shows after the step."""
        state = self.state
        return View(
            state.public_status,
            state.enabled,
            state.email_verified,
            self.outcome,
            self.required_attributes,
            self.message,
            state.has_email,
            state.phone_number_verified,
            state.mfa_methods,
            state.preferred_mfa,
            state.has_phone,
        )

    @property
    def answer(self) -> Answer:
        return Answer(self.outcome, self.required_attributes, self.message)


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
        "pool.phone_auto_verified": "phone_number" in pool.auto_verified_attributes,
        "pool.mfa": pool.mfa,
        "pool.totp": "SOFTWARE_TOKEN_MFA" in pool.mfa_methods,
        "pool.sms": "SMS_MFA" in pool.mfa_methods,
    }


def recovery(state: UserState, pool: Pool) -> str | None:
    """Where ForgotPassword sends its code: ``email``, ``phone`` or None (no verified
    channel). The pool's AccountRecoverySetting in priority order; a verified phone does
    not qualify for a user with SMS MFA (S1 AccountRecoverySetting). Unset, the legacy
    behaviour: a verified phone first, then a verified email (S1, S8)."""
    email = bool(state.email_verified)
    phone = bool(state.has_phone and state.phone_number_verified)
    if not pool.account_recovery:
        return "phone" if phone else "email" if email else None
    for mechanism in pool.account_recovery:
        if mechanism == "verified_email" and email:
            return "email"
        if mechanism == "verified_phone_number" and phone and "SMS_MFA" not in state.mfa_methods:
            return "phone"
    return None


def mfa_facts(state: UserState, pool: Pool) -> dict[str, Any]:
    """What decides the MFA challenge a sign-in answers with: the user's methods the pool
    offers (``mfa.enabled`` how many, ``mfa.only`` the one), and the preferred one."""
    enabled = [m for m in state.mfa_methods if m in pool.mfa_methods]
    preferred = state.preferred_mfa if state.preferred_mfa in enabled else None
    return {
        "mfa.enabled": len(enabled),
        "mfa.only": enabled[0] if len(enabled) == 1 else None,
        "mfa.preferred": preferred,
    }


def preference_facts(state: UserState, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """What (Admin)SetUserMFAPreference's keywords do to the user's methods. A method's
    settings are sent when its keyword is given or it is the preferred one; sent, it is
    preferred exactly when ``preferred`` names it (one preferred at most: S1)."""
    methods = set(state.mfa_methods)
    preferred = state.preferred_mfa
    enables, disables = set(), False
    for name, method in MFA_TYPES.items():
        chosen = kwargs.get("preferred") == name
        value = kwargs.get(name)
        if value is None and not chosen:
            continue
        if value is False:
            methods.discard(method)
            disables = True
        else:
            methods.add(method)
            enables.add(method)
        if chosen:
            preferred = method
        elif preferred == method:
            preferred = None
    return {
        "pref.methods": tuple(sorted(methods)),
        "pref.preferred": preferred,
        "pref.enables_totp": "SOFTWARE_TOKEN_MFA" in enables,
        "pref.enables_sms": "SMS_MFA" in enables,
        "pref.disables": disables,
    }


class CognitoModel:
    """Real Cognito's behaviour for one pool's settings."""

    def __init__(self, pool: Pool | None = None) -> None:
        from transitions import Machine  # a dependency; imported where it is used

        self.pool = pool or Pool()
        self._lock = threading.Lock()  # one transitions subject: one prediction at a time
        self._memo: dict[tuple[UserState, Op, tuple[tuple[str, Any], ...]], Prediction] = {}
        self._matters: dict[Op, tuple[str, ...]] = {}
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
        pool = self.pool
        facts: dict[str, Any] = {**state.fields(), **self._pool_facts}
        kwargs = step.kwargs
        for name, value in kwargs.items():
            facts[f"arg.{name}"] = value
        operation = SPEC[step.op]
        flow = operation.flow_of(kwargs)
        facts["pool.flow_allowed"] = True if flow is None else pool.flow_allowed(flow)
        facts["holds"] = holds(operation.needs_for(kwargs), state.tokens, state.challenge)
        # The user a sign-up or AdminCreateUser makes has a phone number.
        facts["gives_phone"] = bool(kwargs.get("phone")) or pool.gives_phone
        facts["recovery"] = recovery(state, pool)
        # Where sign-up's code went: the phone wins when both are auto-verified (S4).
        auto = pool.auto_verified_attributes
        facts["signup_code_to"] = (
            "phone"
            if "phone_number" in auto and state.has_phone
            else "email"
            if "email" in auto
            else None
        )
        facts.update(mfa_facts(state, pool))
        if step.op in (Op.set_user_mfa_preference, Op.admin_set_user_mfa_preference):
            facts.update(preference_facts(state, kwargs))
        return facts

    def texts(self, state: UserState, step: Step) -> bool:
        """Whether real Cognito texts the user's phone for this step (operations.SPEC
        ``sms``): texts cost money, so runs and explore plans count them."""
        sms = SPEC[step.op].sms
        if sms is None:
            return False
        prediction = self.predict(state, step)
        if prediction.outcome != sms.outcome or prediction.rule.simulated:
            return False
        facts = self.facts(state, step)
        facts["has_phone_after"] = prediction.state.has_phone
        return bool(sms.when(facts))

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

    def predictions(self) -> dict[Any, Prediction]:
        """What this model has worked out so far, to give another process's model of the
        same pool (``learn``): the rules are pure, so it need not work it out again."""
        return dict(self._memo)

    def learn(self, predictions: Mapping[Any, Prediction]) -> None:
        self._memo.update(predictions)

    def _predict(self, state: UserState, step: Step) -> Prediction:
        with self._lock:
            rule = self.rule_for(state, step)
            facts = self._subject.facts
        changes: dict[str, Any] = {key: _value(value, facts) for key, value in rule.then.items()}
        nxt = replace(state, **_held(state, changes))
        required = None
        if rule.outcome == CHALLENGE_NPR:
            required = self.required_attributes(state)
        message = fill(rule.message, facts)
        return Prediction(
            nxt, Outcome(rule.outcome), rule, required, message, tuple(step.kwargs.items())
        )

    def required_attributes(self, state: UserState) -> tuple[str, ...]:
        """NEW_PASSWORD_REQUIRED's requiredAttributes: required values the user lacks.

        Scenario users are given every required attribute except, with
        ``admin_create_user(email=False)``, the email (seed-article step 4).
        """
        if "email" in self.pool.required_attributes and not state.has_email:
            return ("userAttributes.email",)
        return ()

    def reconcile(self, before: UserState, predicted: Prediction, observed: View) -> UserState:
        """The state to continue from: what the backend showed where it showed it."""
        if observed.status is None:
            return replace(predicted.state, **_gone(predicted.state))
        base = predicted.state
        if observed.outcome != predicted.outcome:
            base = _after_outcome(
                before, predicted.rule.op, dict(predicted.params), observed.outcome
            )
        has_email = base.has_email if observed.has_email is None else observed.has_email
        has_phone = base.has_phone if observed.has_phone is None else observed.has_phone
        return replace(
            base,
            status=observed.status,
            enabled=observed.enabled,
            email_verified=observed.email_verified,
            has_email=has_email,
            has_phone=has_phone,
            phone_number_verified=observed.phone_number_verified,
            mfa_methods=observed.mfa_methods,
            preferred_mfa=observed.preferred_mfa,
        )

    # ------------------------------------------------------------ the transition table

    def table(self, status: str | None = None) -> list[TableRow]:
        """What each operation variant does from typical users of each status (or of
        one status): the model's transition table."""
        rows = []
        for state in representative_states(self.pool):
            if status is not None and state.status != status:
                continue
            for op in Op:
                matters = self.keywords_that_matter(op)
                for variant in step_variants(op, self.pool):
                    rows.append(TableRow(state, variant, self.predict(state, variant), matters))
        return rows

    def keywords_that_matter(self, op: Op) -> tuple[str, ...]:
        """The keywords of ``op`` whose value changes what Cognito answers or the status
        it leaves, from some typical user: what tells the operation's variants apart
        (``permanent`` of admin_set_user_password, ``message_action`` of
        admin_create_user). Labels write them out even at their defaults."""
        known = self._matters.get(op)
        if known is not None:
            return known
        variants = step_variants(op, self.pool)
        matters: set[str] = set()
        for state in representative_states(self.pool) if variants else ():
            base = _result(self.predict(state, variants[0]))
            for variant in variants[1:]:
                if _result(self.predict(state, variant)) != base:
                    matters.update(name for name, _ in variant.params)
        found = tuple(name for name in keywords_of(op) if name in matters)
        self._matters[op] = found
        return found

    def status_changes(self) -> list[StatusChange]:
        """One row per way a typical user's status changes: from, to, the operation
        with the keywords that matter, its outcome and confidence; variants with the
        same effect are one row (the one with the fewest keywords given)."""
        rows = [r for r in self.table() if r.kind == "exit"]
        states: dict[str, list[UserState]] = {}
        for state in representative_states(self.pool):
            states.setdefault(state.status, []).append(state)
        groups: dict[tuple[str, str, Op, str, str], list[TableRow]] = {}
        for row in rows:
            p = row.prediction
            key = (row.state.status, p.state.status, row.step.op, p.outcome, p.rule.confidence)
            groups.setdefault(key, []).append(row)
        changes = []
        for (before, after, _, _, _), members in groups.items():
            first = min(members, key=lambda r: len(r.step.params))
            seen = [s for s in states[before] if any(r.state == s for r in members)]
            others = [s for s in states[before] if s not in seen]
            changes.append(StatusChange(before, after, first, _condition(seen, others)))
        order = {s: i for i, s in enumerate(MODEL_STATES)}
        changes.sort(key=lambda c: (order[c.before], c.after == NO_USER, order[c.after]))
        return changes


def _result(p: Prediction) -> tuple[Any, ...]:
    """What tells two variants apart in a label: the answer and the status after."""
    return (p.outcome, p.required_attributes, p.state.status)


def _condition(seen: list[UserState], others: list[UserState]) -> tuple[tuple[str, Any], ...]:
    """What the typical users that take a change share and the others lack: () when
    every typical user of the status takes it."""
    if not others:
        return ()
    shared = {k: v for k, v in seen[0].fields().items() if all(s.fields()[k] == v for s in seen)}
    return tuple((k, v) for k, v in shared.items() if any(o.fields()[k] != v for o in others))


@dataclass(frozen=True)
class StatusChange:
    """A row of the model's overview: a status change and what makes it."""

    before: str
    after: str
    row: TableRow  # the variant shown (its label, outcome, rule)
    when: tuple[tuple[str, Any], ...] = ()  # state fields it needs, when not every user

    def as_dict(self) -> dict[str, Any]:
        return {
            "from": self.before,
            "to": self.after,
            "operation": str(self.row.step.op),
            "label": self.row.label,
            "outcome": str(self.row.prediction.outcome),
            "confidence": str(self.row.prediction.rule.confidence),
            "source": self.row.prediction.rule.source,
            "when": dict(self.when),
        }


@dataclass(frozen=True)
class TableRow:
    """One line of the transition table: from a state, a step, the model's prediction,
    and the operation's keywords that tell its variants apart."""

    state: UserState
    step: Step
    prediction: Prediction
    matters: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The step with the keywords that matter written out (at their defaults too)."""
        return self.step.describe(self.matters)

    @property
    def changes(self) -> dict[str, Any]:
        """The state fields the step changes, with their new values."""
        before, after = self.state.fields(), self.prediction.state.fields()
        return {k: v for k, v in after.items() if before[k] != v}

    @property
    def kind(self) -> str:
        """``exit``: the status changes; ``refused``: an error (or n/a) that changes
        nothing; ``stays``: anything else (a success, or a change that keeps the
        status)."""
        changes = self.changes
        if "status" in changes:
            return "exit"
        if not changes and self.prediction.outcome.kind in ("error", "n/a", "unsupported"):
            return "refused"
        return "stays"

    def as_dict(self) -> dict[str, Any]:
        p = self.prediction
        return {
            "state": self.state.as_dict(),
            "operation": str(self.step.op),
            "params": dict(self.step.params),
            "step": self.step.describe(),
            "label": self.label,
            "kind": self.kind,
            "next": p.state.as_dict(),
            "outcome": str(p.outcome),
            "required_attributes": list(p.required_attributes)
            if p.required_attributes is not None
            else None,
            "confidence": str(p.rule.confidence),
            "source": p.rule.source,
            "sources": list(p.rule.sources),
            "note": p.rule.note,
            "message": p.message,
            "alternative": p.rule.alternative.outcome if p.rule.alternative else None,
        }


def representative_states(pool: Pool | None = None) -> list[UserState]:
    """Typical users of each status, for the transition table and the diagram; with a
    pool that uses phone numbers or MFA, typical users of those too."""
    states = _email_states()
    pool = pool or Pool()
    conf, signed_in = Status.CONFIRMED, Tokens.valid
    if pool.uses_phone:
        states += [
            UserState(
                conf, True, False, True, signed_in, has_phone=True, phone_number_verified=False
            ),
            UserState(conf, True, False, True, has_phone=True, phone_number_verified=True),
        ]
    if pool.uses_mfa:
        phone = pool.uses_phone
        user = UserState(
            conf, True, True, True, has_phone=phone, phone_number_verified=phone or None
        )
        states += [
            replace(user, challenge=MFA_SETUP),
            replace(user, challenge=MFA_SETUP, totp_verified=True),
            replace(user, tokens=signed_in, totp_pending=True),
        ]
        # A user with each method the pool offers turned on, signed in and challenged.
        both = tuple(sorted(pool.mfa_methods))
        for challenge, methods in (
            *((m, (m,)) for m in both),
            *((("SELECT_MFA_TYPE", both),) if len(both) > 1 else ()),
        ):
            with_methods = replace(
                user,
                mfa_methods=methods,
                totp_verified="SOFTWARE_TOKEN_MFA" in methods,
            )
            states += [
                replace(with_methods, tokens=signed_in),
                replace(with_methods, challenge=challenge),
            ]
    return states


def _email_states() -> list[UserState]:
    fcp, rr = Status.FORCE_CHANGE_PASSWORD, Status.RESET_REQUIRED
    return [
        UserState(),
        UserState(Status.UNCONFIRMED, True, False, True),
        UserState(Status.CONFIRMED, True, True, True, Tokens.valid),
        UserState(Status.CONFIRMED, False, True, True, Tokens.revoked),
        UserState(fcp, True, False, True),
        UserState(fcp, True, False, True, challenge="NEW_PASSWORD_REQUIRED"),
        UserState(rr, True, True, True),
        UserState(rr, True, True, True, reset_code=True),
        # After a self-service email change: the new address unverified, a code sent;
        # or, where verification comes first, the old address kept and the new pending.
        UserState(Status.CONFIRMED, True, False, True, Tokens.valid, attribute_code=True),
        UserState(
            Status.CONFIRMED,
            True,
            True,
            True,
            Tokens.valid,
            pending_email=True,
            attribute_code=True,
        ),
    ]


def _value(value: Any, facts: Mapping[str, Any]) -> Any:
    """A rule's ``then`` value: ``Copy("=fact")`` copies the fact, ``"=fact"`` copies it
    as a yes/no, anything else is the value itself."""
    if isinstance(value, Copy):
        return facts[value[1:]]
    if isinstance(value, str) and value.startswith("="):
        return bool(facts[value[1:]])
    return value


def _held(before: UserState, changes: dict[str, Any]) -> dict[str, Any]:
    """Changes as they apply to this user: tokens it never held cannot be revoked."""
    if changes.get("tokens") is Tokens.revoked and before.tokens is Tokens.none:
        changes = {k: v for k, v in changes.items() if k != "tokens"}
    return changes


def _gone(state: UserState) -> dict[str, Any]:
    """A user the backend no longer has: AdminDeleteUser's effects (rules.GONE); tokens
    the client held stay held, revoked."""
    tokens = Tokens.none if state.tokens is Tokens.none else Tokens.revoked
    return {**GONE, "tokens": tokens}


def _after_outcome(
    before: UserState, op: Op, kwargs: Mapping[str, Any], outcome: Outcome
) -> UserState:
    """What the client holds after an outcome the model did not predict: tokens after
    tokens, a challenge after a challenge, and after a success what the operation's spec
    says a success leaves (operations.SPEC ``holds_after``)."""
    if outcome.kind == "tokens":
        return replace(before, tokens=Tokens.valid, challenge=None)
    if outcome.is_challenge:
        return replace(before, challenge=outcome.name)
    if outcome.kind == "ok":
        return replace(before, **_held(before, dict(SPEC[op].holds_after_for(kwargs))))
    return before  # errors, n/a and unsupported change nothing the client holds
