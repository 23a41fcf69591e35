"""Known gaps: a step is a known gap only when the backend, its version, the operation,
the state before, the keywords and exactly the differing fields all match an entry.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from typing import Any

import pytest
from packaging.specifiers import SpecifierSet

from cognito_states.gaps import KnownGap, find_gap, gaps_for
from cognito_states.gaps.moto import MOTO_GAPS
from cognito_states.model import INITIAL
from cognito_states.operations import Op
from cognito_states.runner import Runner
from cognito_states.scenario import Scenario
from cognito_states.sources import all_sources
from cognito_states.statuses import (
    Verdict,
)
from cognito_states.views import COMPARED as FIELDS

GAP = KnownGap(
    "moto",
    ">=5.2.5,<5.3",
    "forgot_password",
    {"status": "FORCE_CHANGE_PASSWORD"},
    {"outcome": "error:NotAuthorizedException"},
    {"outcome": "ok"},
    "moto-5",
    {"wrong_code": True},
    5,
)
VERSIONS = {"moto": "5.2.5"}
BEFORE = {"status": "FORCE_CHANGE_PASSWORD", "enabled": True}
PARAMS = {"wrong_code": True}
PRED = {"outcome": "error:NotAuthorizedException"}
OBS = {"outcome": "ok"}


def find(**changes: Any) -> KnownGap | None:
    args: dict[str, Any] = {
        "gaps": [GAP],
        "backend": "moto",
        "versions": VERSIONS,
        "operation": "forgot_password",
        "before": BEFORE,
        "params": PARAMS,
        "predicted": PRED,
        "observed": OBS,
    } | changes
    return find_gap(**args)


def test_exact_match_is_a_gap() -> None:
    assert find() is GAP


@pytest.mark.parametrize(
    "changes",
    [
        {
            "predicted": PRED | {"status": "FORCE_CHANGE_PASSWORD"},
            "observed": OBS | {"status": "CONFIRMED"},
        },
        {"predicted": {}, "observed": {}},
        {"observed": {"outcome": "error:InternalError"}},
        {"predicted": {"outcome": "error:UserNotFoundException"}},
        {"versions": {"moto": "5.3.0"}},
        {"versions": {"moto": "5.2.4"}},
        {"backend": "endpoint"},
        {"operation": "confirm_forgot_password"},
        {"before": {"status": "CONFIRMED", "enabled": True}},
        {"params": {"wrong_code": False}},
        {"params": {}},
        {"gaps": []},
    ],
    ids=[
        "extra-differing-field",
        "no-difference",
        "other-observed-value",
        "other-predicted-value",
        "version-above-range",
        "version-below-range",
        "other-backend",
        "other-operation",
        "other-state",
        "other-keyword-value",
        "keyword-missing",
        "no-gaps",
    ],
)
def test_anything_else_is_not_a_gap(changes: dict[str, Any]) -> None:
    assert find(**changes) is None


def test_unknown_installed_version_still_applies() -> None:
    assert find(versions={}) is GAP


def test_first_matching_gap_wins() -> None:
    other = KnownGap("moto", ">=5", "forgot_password", {}, PRED, OBS, "second")
    assert find(gaps=[other, GAP]) is other
    assert find(gaps=[GAP, other]) is GAP


def test_gaps_for() -> None:
    assert gaps_for("moto") == MOTO_GAPS
    assert gaps_for("model") == ()
    assert gaps_for("no such backend") == ()


@pytest.mark.parametrize("gap", MOTO_GAPS, ids=lambda g: f"{g.operation}:{g.source[:15]}")
def test_moto_gap_entries_are_well_formed(gap: KnownGap) -> None:
    assert gap.backend == "moto"
    assert gap.operation in Op.__members__
    assert set(gap.predicted) == set(gap.observed) != set()
    # Judged fields; or, for a departure no step can show (moto-25), model state fields,
    # listed by `cognito-states gaps` and cited by the reason a later step is skipped.
    judged = {*FIELDS, "required_attributes"}
    assert set(gap.predicted) <= judged or set(gap.predicted) <= set(INITIAL.as_dict()) - judged
    assert gap.predicted != gap.observed
    assert gap.source.startswith(f"{gap.id}: ")
    assert gap.number > 0
    assert gap.sources[0] == gap.id
    assert set(gap.sources) <= set(all_sources()), "cite only listed sources"
    assert version("moto") in SpecifierSet(gap.versions), "re-measure the gaps for this moto"


def test_moto_gap_entries_are_distinct() -> None:
    keys = [
        repr(
            (
                g.operation,
                sorted(g.state.items()),
                sorted(g.params.items()),
                sorted(g.predicted.items()),
                sorted(g.observed.items()),
            )
        )
        for g in MOTO_GAPS
    ]
    assert len(keys) == len(set(keys))


def test_as_dict_round_trip() -> None:
    data = GAP.as_dict()
    assert (data["id"], data["sources"]) == ("moto-5", ["moto-5"])
    assert KnownGap.from_dict(json.loads(json.dumps(data))) == GAP


# ------------------------------------------------------------------ on moto


def test_article_on_moto_has_one_known_gap(moto_backend: Any, article: Scenario) -> None:
    result = Runner(moto_backend).run_one(article)
    verdicts = [str(s.verdict) for s in result.steps]
    assert verdicts == ["match"] * 3 + ["known-gap"] + ["match"] * 3
    step4 = result.steps[3]
    assert step4.gap is not None
    assert step4.gap.id == "moto-16"
    assert step4.gap.source.startswith("moto-16: ")
    assert step4.note == step4.gap.source
    assert step4.predicted["required_attributes"] == ["userAttributes.email"]
    assert step4.observed["required_attributes"] == []
    assert result.passed is True
    assert Runner(moto_backend, strict=True).run_one(article).passed is False
    assert result.error is None


def test_known_gap_only_on_its_own_backend(model_backend: Any, article: Scenario) -> None:
    result = Runner(model_backend).run_one(article)
    assert {s.verdict for s in result.steps} == {Verdict.match}


def _covers(general: KnownGap, special: KnownGap) -> bool:
    """Whether ``general`` matches wherever ``special`` would (same departure, and its
    conditions a subset of the other's)."""
    return (
        general.operation == special.operation
        and dict(general.predicted) == dict(special.predicted)
        and dict(general.observed) == dict(special.observed)
        and all(special.state.get(k, object()) == v for k, v in general.state.items())
        and all(special.params.get(k, object()) == v for k, v in general.params.items())
    )


def test_no_moto_gap_entry_is_hidden_by_an_earlier_one() -> None:
    """The first entry that applies names the gap: an entry an earlier one covers could
    never be cited, and the step would point at the wrong departure's source."""
    hidden = [
        (later.id, earlier.id)
        for i, later in enumerate(MOTO_GAPS)
        for earlier in MOTO_GAPS[:i]
        if _covers(earlier, later)
    ]
    assert hidden == []
