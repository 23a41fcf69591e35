"""Every verdict can be followed to its source: `sources` prints an id's title and URL,
`gaps` lists a backend's known gaps, `model --confidence` what is least sure; every id a
rule or a gap cites resolves, from the package alone (a fresh wheel in an empty virtual
environment), and every JSON document names the sources it cites.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import pytest
from conftest import ARTICLE
from test_diff import capture

import cognito_states
from cognito_states.gaps.moto import MOTO_GAPS
from cognito_states.rules import RULES, cited_by_rules
from cognito_states.sources import all_sources, ids_in

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(cognito_states.__file__).resolve().parent
URL = re.compile(r"^https://\S+$")


def cited_everywhere() -> set[str]:
    return set(cited_by_rules()) | {i for g in MOTO_GAPS for i in g.sources}


# ------------------------------------------------------------------ the ids


def test_every_id_a_rule_or_a_gap_cites_is_listed_with_a_page() -> None:
    known = all_sources()
    cited = cited_everywhere()
    assert {"S15", "I6", "E1", "D1", "C4", "moto-2"} <= cited
    assert cited - set(known) == set()
    for ident in cited:
        source = known[ident]
        assert source.title.strip()
        assert source.text.strip(), ident
        # every source but the article (a blog post without a stable link) has a page
        assert source.url is None if ident == "seed-article" else URL.match(source.url), ident


def test_every_finding_and_every_moto_gap_number_has_an_id() -> None:
    known = set(all_sources())
    findings = {f"E{n}" for n in range(1, 6)} | {f"D{n}" for n in range(1, 4)}
    findings |= {f"C{n}" for n in range(1, 12)}
    assert findings <= known
    assert {g.id for g in MOTO_GAPS} <= known


def test_ids_in_tells_ids_apart() -> None:
    assert ids_in("S1 AdminCreateUser, S16, seed-article step 1") == ("S1", "S16", "seed-article")
    assert ids_in("moto-2: ... (real; S13, S3)") == ("moto-2", "S13", "S3")
    assert ids_in("moto-23: x; I2, D3") == ("moto-23", "I2", "D3")
    assert ids_in("amplify-js#1580") == ("amplify-js#1580",)
    assert ids_in("S99, E9, Sx, S1x") == ()
    assert ids_in(None) == ()


def test_the_package_refers_to_nothing_outside_it() -> None:
    """No path to the project's shared notes: what the package cites ships inside it."""
    offenders = []
    for path in PACKAGE.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".json", ".jsonl", ".md", ".txt"):
            text = path.read_text(encoding="utf-8")
            if "../shared" in text or "shared/reference" in text or "moto-gaps.md" in text:
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


# ------------------------------------------------------------------ sources


def test_sources_prints_a_url() -> None:
    code, out, err = capture("sources", "S15")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("S15      AWS CLI example: admin-initiate-auth")
    assert all_sources()["S15"].url in [x.strip() for x in out.splitlines()]


def test_sources_of_a_finding_shows_its_evidence() -> None:
    code, out, _ = capture("sources", "E1", "moto-25")
    assert code == 0
    assert "b1a9id/aws-sandbox" in out
    assert "Evidence review (2026-11-30) E1:" in out
    assert "moto-25  moto 5.2.5: AdminResetUserPassword creates no reset code" in out


def test_sources_lists_everything_within_80_columns_but_urls() -> None:
    code, out, _ = capture("sources")
    assert code == 0
    lines = out.splitlines()
    for ident in all_sources():
        assert any(line.split()[:1] == [ident] for line in lines), ident
    assert [x for x in lines if len(x) > 80 and not URL.match(x.strip())] == []


def test_sources_json() -> None:
    code, out, _ = capture("sources", "--json", "S1", "D1")
    assert code == 0
    doc = json.loads(out)
    assert doc["cognito_states"] == 1
    assert list(doc["sources"]) == ["S1", "D1"]
    assert doc["sources"]["D1"]["url"] == "https://github.com/aws-amplify/aws-sdk-ios/issues/2298"
    assert set(doc["sources"]["D1"]) == {"title", "url", "also", "text"}


def test_an_unknown_source_is_bad_input_with_the_closest_id() -> None:
    code, out, err = capture("sources", "S99")
    assert (code, out) == (4, "")
    assert err == (
        "cognito-states: no source 'S99'; did you mean S9? (`cognito-states sources` lists"
        " them all)\n"
    )


# ------------------------------------------------------------------ gaps


def test_gaps_lists_motos_gaps() -> None:
    code, out, err = capture("gaps")
    assert (code, err) == (0, "")
    assert out.startswith("Known gaps of moto (")
    for gap in MOTO_GAPS:
        assert f"\n{gap.id}  " in out, gap.id
    block = out.split("\nmoto-16  ")[1].split("\n\n")[0]
    assert "admin_initiate_auth, when status=FORCE_CHANGE_PASSWORD" in block
    assert "moto: required_attributes=[]" in block
    assert "real: required_attributes=[userAttributes.email]" in block
    assert ">=5.2.5,<5.3" in out.splitlines()[0]
    assert [x for x in out.splitlines() if len(x) > 80] == []


def test_gaps_json() -> None:
    code, out, _ = capture("gaps", "--backend", "moto", "--json")
    assert code == 0
    doc = json.loads(out)
    assert len(doc["gaps"]) == len(MOTO_GAPS)
    first = doc["gaps"][0]
    assert set(first) >= {"number", "id", "operation", "state", "predicted", "observed"}
    assert set(first) >= {"source", "sources", "versions"}
    assert {i for g in doc["gaps"] for i in g["sources"]} == set(doc["sources"])


@pytest.mark.parametrize("backend", ["model", "aws", "endpoint"])
def test_other_backends_have_no_gap_list_and_say_why(backend: str) -> None:
    code, out, _ = capture("gaps", "--backend", backend)
    assert code == 0
    assert out.startswith(f"{backend}: ")
    assert "Known gaps" not in out


# ------------------------------------------------------------------ model --confidence


def test_model_confidence_counts_and_lists_what_to_settle() -> None:
    code, out, err = capture("model", "--confidence")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Confidence of the model's {len(RULES)} rules"
    counts = {tag: sum(str(r.confidence) == tag for r in RULES) for tag in ("DOC", "DISPUTED")}
    assert any(re.match(rf"  DOC +{counts['DOC']}  ", x) for x in lines)
    assert any(re.match(rf"  DISPUTED +{counts['DISPUTED']}  ", x) for x in lines)
    settle = [r for r in RULES if str(r.confidence) in ("DISPUTED", "UNCONFIRMED", "INFERRED")]
    assert f"({len(settle)} rules;" in out
    assert sum(1 for x in lines if x.startswith("    cites  ")) == len(settle)
    assert "error:NotAuthorizedException, or error:PasswordResetRequiredException" in out
    assert [x for x in lines if len(x) > 80] == []


def test_model_confidence_json() -> None:
    code, out, _ = capture("model", "--confidence", "--json")
    assert code == 0
    doc = json.loads(out)
    assert sum(doc["confidence_counts"].values()) == len(RULES)
    assert {r["confidence"] for r in doc["to_settle"]} == {"DISPUTED", "UNCONFIRMED", "INFERRED"}
    assert {"D1", "D2"} <= set(doc["sources"])


def test_model_confidence_with_a_diagram_is_bad_input() -> None:
    code, _, err = capture("model", "--confidence", "--mermaid")
    assert code == 4
    assert "--confidence" in err


# ------------------------------------------------------------------ JSON documents


def _cited_in(doc: Any) -> set[str]:
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "sources" or not isinstance(v, dict):
                    walk(v, k)
        elif isinstance(value, list):
            if key in ("sources", "gap_sources"):
                found.update(value)
            for v in value:
                walk(v)

    walk(doc)
    return found


def test_run_json_names_every_source_its_steps_cite() -> None:
    code, out, _ = capture("run", str(ARTICLE), "--json")
    assert code == 0
    doc = json.loads(out)
    step4 = doc["scenarios"][0]["steps"][3]
    assert step4["rule"]["sources"] == ["S15", "seed-article"]
    assert step4["gap_sources"] == ["moto-16", "seed-article", "S15"]
    cited = _cited_in(doc)
    assert cited == set(doc["sources"])
    assert doc["sources"]["moto-16"]["url"].startswith("https://github.com/getmoto/moto/")


def test_model_json_names_every_source_its_rules_cite() -> None:
    code, out, _ = capture("model", "--json")
    assert code == 0
    doc = json.loads(out)
    assert set(doc["sources"]) == set(cited_by_rules())
    assert all(r["sources"] is not None for r in doc["rules"])
    assert {i for t in doc["transitions"] for i in t["sources"]} <= set(doc["sources"])


def test_explore_json_names_every_source_its_pairs_cite(tmp_path: Path) -> None:
    code, out, _ = capture(
        "explore", "--limit", "30", "--workers", "1", "--json", "--repro-dir", str(tmp_path)
    )
    assert code in (0, 1)
    doc = json.loads(out)
    assert doc["pairs"][0]["rule"]["sources"]
    assert _cited_in(doc) == set(doc["sources"]) != set()


def test_the_run_report_links_each_id(tmp_path: Path) -> None:
    report = tmp_path / "run.md"
    code, _, _ = capture("run", str(ARTICLE), "--report", str(report))
    assert code == 0
    text = report.read_text(encoding="utf-8")
    assert f"[S15]({all_sources()['S15'].url})" in text
    assert f"[moto-16]({all_sources()['moto-16'].url})" in text
    assert "## Sources" in text
    assert "- seed-article: The article this project grew from" in text


# ------------------------------------------------------------------ a fresh wheel


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    return subprocess.run(args, capture_output=True, text=True, check=True, env=env, **kwargs)


def test_a_fresh_wheel_resolves_every_cited_id(tmp_path: Path) -> None:
    """Build the wheel, install it alone (no dependencies: `sources` and `gaps` need
    none) into an empty virtual environment, and resolve there every id that the
    installed copy's own rules and gaps cite."""
    wheels = tmp_path / "wheels"
    _run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(wheels)],
        cwd=ROOT,
    )
    (wheel,) = wheels.glob("cognito_states-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python, tool = bin_dir / "python", bin_dir / "cognito-states"
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], cwd=tmp_path)

    script = (
        "import json\n"
        "from cognito_states.rules import cited_by_rules\n"
        "from cognito_states.gaps.moto import MOTO_GAPS\n"
        "ids = list(cited_by_rules()) + [i for g in MOTO_GAPS for i in g.sources]\n"
        "print(json.dumps(sorted(set(ids))))\n"
    )
    cited = json.loads(_run([str(python), "-c", script], cwd=tmp_path).stdout)
    assert set(cited) == cited_everywhere()  # the wheel holds today's rules and gaps
    doc = json.loads(_run([str(tool), "sources", "--json", *cited], cwd=tmp_path).stdout)
    assert sorted(doc["sources"]) == sorted(cited)
    for ident, source in doc["sources"].items():
        assert source["text"], ident
        assert ident == "seed-article" or URL.match(source["url"]), ident
    out = _run([str(tool), "sources", "S15"], cwd=tmp_path).stdout
    assert all_sources()["S15"].url in out
    out = _run([str(tool), "gaps"], cwd=tmp_path).stdout
    assert "moto-25  moto 5.2.5: AdminResetUserPassword creates no reset code" in out
    installed = _run(
        [
            str(python),
            "-c",
            "import cognito_states, os; print(os.path.dirname(cognito_states.__file__))",
        ],
        cwd=tmp_path,
    ).stdout.strip()
    texts = [p.read_text(encoding="utf-8") for p in Path(installed).rglob("*.py")]
    assert not any("../shared" in t for t in texts)
