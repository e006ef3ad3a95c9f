"""The rollout generator end to end, on the IR of `examples/platform` as
`campc build` writes it: the configuration equals the checked-in
`expected/platform.rollout.json`, the same IR gives the same bytes, and a
schema-invalid or tampered document is refused, naming the file, with
nothing written.

`CAMPC` may name a built `campc`; otherwise `cargo run -p campc` builds it.
`UPDATE_EXPECTED=1` rewrites the expected file (review the diff).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
SCRIPT = HERE / "camp_gen_rollout.py"
EXPECTED = HERE / "expected" / "platform.rollout.json"
CAMPAIGN = "campaigns/double12_tiers_2028.json"


def campc() -> list[str]:
    if os.environ.get("CAMPC"):
        return [os.environ["CAMPC"]]
    return ["cargo", "run", "-q", "--locked", "-p", "campc", "--"]


@pytest.fixture(scope="session")
def built_ir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ir") / "platform"
    subprocess.run(
        [*campc(), "build", "examples/platform", "--out", str(out)],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


@pytest.fixture
def ir(built_ir: Path, tmp_path: Path) -> Path:
    """A copy of the built IR, free to damage."""
    copy = tmp_path / "ir"
    shutil.copytree(built_ir, copy)
    return copy


def generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, encoding="utf-8"
    )


def test_the_platform_example_gives_the_expected_configuration(built_ir: Path) -> None:
    result = generate(str(built_ir))
    assert (result.returncode, result.stderr) == (0, "")
    if os.environ.get("UPDATE_EXPECTED"):
        EXPECTED.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == EXPECTED.read_text(encoding="utf-8")


def test_the_same_ir_gives_the_same_bytes(built_ir: Path, tmp_path: Path) -> None:
    out = tmp_path / "rollout.json"
    first = generate(str(built_ir), "--out", str(out))
    assert (first.returncode, first.stdout) == (0, "")
    second = generate(str(built_ir))
    assert out.read_text(encoding="utf-8") == second.stdout


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_refused(ir: Path, file: str, reason: str) -> None:
    out = ir.parent / "rollout.json"
    result = generate(str(ir), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert not out.exists()
    first_line = result.stderr.splitlines()[0]
    assert first_line.startswith(f"error: refused `{ir / file}`: "), first_line
    assert reason in first_line, first_line


def test_an_amount_written_as_a_number_is_refused_by_the_schema(ir: Path) -> None:
    # Money is a decimal string; a JSON number would be read as a float.
    edit(ir / CAMPAIGN, '"amount": "20000000.00"', '"amount": 20000000.00')
    assert_refused(
        ir,
        CAMPAIGN,
        "does not match the IR's JSON Schema at `$.campaign.budget.amount`: "
        "Decimal('20000000.00') is not of type 'string'",
    )


def test_an_unknown_field_is_refused_by_the_schema(ir: Path) -> None:
    manifest = json.loads((ir / "manifest.json").read_text(encoding="utf-8"))
    manifest["package"]["extra"] = True
    (ir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert_refused(
        ir, "manifest.json", "Additional properties are not allowed ('extra' was unexpected)"
    )


def test_a_changed_amount_is_refused_by_its_sha256(ir: Path) -> None:
    # Valid against the schema, but not the campaign that was built.
    edit(ir / CAMPAIGN, '"amount": "20000000.00"', '"amount": "90000000.00"')
    assert_refused(ir, CAMPAIGN, "does not match the campaign (expected `")


def test_a_rehashed_campaign_is_refused_by_the_manifest(ir: Path) -> None:
    path = ir / CAMPAIGN
    document = json.loads(path.read_text(encoding="utf-8"))
    document["campaign"]["budget"]["amount"] = "90000000.00"
    body = json.dumps(
        document["campaign"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    document["sha256"] = hashlib.sha256(body.encode("utf-8")).hexdigest()
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert_refused(ir, CAMPAIGN, "is not the one `manifest.json` lists")


def test_invalid_json_is_refused(ir: Path) -> None:
    text = (ir / CAMPAIGN).read_text(encoding="utf-8")
    (ir / CAMPAIGN).write_text(text[: text.index('"budget"')], encoding="utf-8")
    assert_refused(ir, CAMPAIGN, "not valid JSON: ")


def test_an_unlisted_campaign_is_refused(ir: Path) -> None:
    shutil.copy(ir / CAMPAIGN, ir / "campaigns" / "zz_unlisted.json")
    assert_refused(ir, "campaigns/zz_unlisted.json", "is not listed in `manifest.json`")
