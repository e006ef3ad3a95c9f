#!/usr/bin/env python3
"""camp_gen_rollout: a built Camp package's IR to a feature-flag rollout
configuration.

    python3 camp_gen_rollout.py IR_DIR [--out FILE] [--schemas DIR]

IR_DIR is the folder `campc build PACKAGE --out IR_DIR` wrote. Every
document is checked before anything is written: against the IR's JSON
Schema (`ir/manifest.schema.json`, `ir/campaign.schema.json`; `--schemas`
names another folder), against its `sha256` (the hex SHA-256 of the body's
canonical bytes: keys sorted, no white space, UTF-8, as `ir/README.md`
says), and against the manifest's entry for it. A refused file is named on
standard error and the exit code is 1; nothing is written.

The output has one flag per campaign: the instants it is on, how users are
bucketed, its rollout stages with the instant each starts and ends, and the
scope a payment must be in (with the merchant groups, instruments and
schedule of language v2). It is JSON with sorted keys, so the same IR
gives the same bytes. Amounts and shares stay exact decimal strings: JSON
numbers are read as `Decimal`, never as floats.

This needs the standard library and `jsonschema`; it imports nothing from
Camp's Rust code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import datetime, timedelta, timezone
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

import jsonschema

FORMAT = "camp-gen-rollout/1"
IR_VERSION = "1"
# A user's bucket, as Camp's meaning defines it: the first 8 bytes,
# big-endian, of sha256("CAMPAIGN_ID/USER_ID"), modulo 10_000. A `p%` stage
# admits the buckets below p × 100.
BUCKETS = 10_000
DEFAULT_SCHEMAS = Path(__file__).resolve().parents[3] / "ir"
# A scope the IR leaves out because it is "any" (the v2 scopes).
ANY = {"match": "any"}
# A JSON document as read, once checked against its schema.
Document = dict[str, Any]


class Refused(Exception):
    """A file of the IR folder that is not valid; names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"refused `{path}`: {reason}")


def read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Refused(path, f"cannot read: {error}") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise Refused(path, f"not valid JSON: {error}") from None


def canonical_sha256(body: Any) -> str:
    """The hex SHA-256 of the compact canonical bytes."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_document(path: Path, validator: Any, body_key: str) -> Document:
    """Reads one document and checks it against its schema and its sha256."""
    document = read_json(path)
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    if error is not None:
        raise Refused(
            path, f"does not match the IR's JSON Schema at `{error.json_path}`: {error.message}"
        )
    if document["ir_version"] != IR_VERSION:
        raise Refused(
            path, f"ir_version `{document['ir_version']}` is not the supported `{IR_VERSION}`"
        )
    expected = canonical_sha256(document[body_key])
    if document["sha256"] != expected:
        raise Refused(
            path,
            f"sha256 `{document['sha256']}` does not match the {body_key} (expected `{expected}`)",
        )
    return document


def validator_for(schemas: Path, name: str) -> Any:
    schema = json.loads((schemas / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def load(ir_dir: Path, schemas: Path = DEFAULT_SCHEMAS) -> tuple[Document, list[Document]]:
    """The manifest and its campaigns, every document checked."""
    manifest_path = ir_dir / "manifest.json"
    manifest_validator = validator_for(schemas, "manifest.schema.json")
    manifest = check_document(manifest_path, manifest_validator, "package")
    campaign_validator = validator_for(schemas, "campaign.schema.json")
    campaigns = []
    listed = set()
    for entry in manifest["package"]["campaigns"]:
        expected = f"campaigns/{entry['id']}.json"
        if entry["file"] != expected:
            raise Refused(
                manifest_path,
                f"campaign `{entry['id']}` is listed with file `{entry['file']}`, "
                f"expected `{expected}`",
            )
        path = ir_dir / entry["file"]
        document = check_document(path, campaign_validator, "campaign")
        if document["sha256"] != entry["sha256"]:
            raise Refused(
                path,
                f"its sha256 `{document['sha256']}` is not the one `manifest.json` lists "
                f"(`{entry['sha256']}`): the file was replaced after the build",
            )
        if document["campaign"]["id"] != entry["id"]:
            raise Refused(
                path,
                f"its campaign is `{document['campaign']['id']}`, "
                f"but `manifest.json` lists it for `{entry['id']}`",
            )
        listed.add(entry["file"])
        campaigns.append(document)
    campaigns_dir = ir_dir / "campaigns"
    if campaigns_dir.is_dir():
        for path in sorted(campaigns_dir.iterdir()):
            if path.name.endswith(".json") and f"campaigns/{path.name}" not in listed:
                raise Refused(
                    path, "this campaign is not listed in `manifest.json`: the folder mixes builds"
                )
    return manifest, campaigns


def parse_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def format_instant(instant: datetime) -> str:
    text = instant.astimezone(timezone.utc).isoformat()
    return text.replace("+00:00", "Z")


def scope(value: dict[str, Any]) -> Any:
    """`"any"`, or the list of ids a payment's attribute must be one of."""
    if value["match"] == "any":
        return "any"
    if value["match"] == "only":
        return list(value["ids"])
    raise ValueError(f"unknown scope match `{value['match']}`")


def audience(target: dict[str, Any]) -> dict[str, Any]:
    """Who a stage admits."""
    if target["kind"] == "segment":
        return {"kind": "segment", "segment": target["segment"]}
    if target["kind"] == "percent":
        share = Decimal(target["share"])
        # Buckets are whole numbers: "below 1.5" admits 0 and 1.
        below = (share * BUCKETS).to_integral_value(rounding=ROUND_CEILING)
        return {
            "kind": "buckets",
            "buckets_below": int(below),
            "percent": format((share * 100).normalize(), "f"),
        }
    raise ValueError(f"unknown stage target `{target['kind']}`")


def stages(campaign: dict[str, Any]) -> list[dict[str, Any]]:
    """Each stage from the instant it starts to the instant the next one
    does; the last runs until the window ends. A stage that would start at
    or after the window's end is never live and is left out; one that would
    outlast the window is cut at its end."""
    window = campaign["window"]
    start = parse_instant(window["start"])
    end = parse_instant(window["end"])
    rollout = campaign["rollout"]
    if rollout is None:
        # Live for everyone from the window's start.
        everyone = {"kind": "everyone"}
        return [{"from": format_instant(start), "until": format_instant(end), "serve": everyone}]
    result = []
    at = start
    for stage in rollout:
        if at >= end:
            break
        seconds = stage["duration_seconds"]
        until = end if seconds is None else min(end, at + timedelta(seconds=seconds))
        serve = audience(stage["target"])
        result.append({"from": format_instant(at), "until": format_instant(until), "serve": serve})
        at = until
    return result


def flag(document: dict[str, Any]) -> dict[str, Any]:
    campaign = document["campaign"]
    window = campaign["window"]
    return {
        "flag": campaign["id"],
        "campaign_sha256": document["sha256"],
        "title": campaign["title"],
        "owner": campaign["owner"],
        "on": {"from": window["start"], "until": window["end"], "zone": window["zone"]},
        "bucketing": {
            "hash": "sha256",
            "input": f"{campaign['id']}/{{user}}",
            "first_bytes_big_endian": 8,
            "modulo": BUCKETS,
        },
        "stages": stages(campaign),
        "targeting": {
            "currency": campaign["currency"],
            "scenes": [scene["id"] for scene in campaign["scenes"]],
            "categories": scope(campaign["categories"]),
            "regions": scope(campaign["regions"]),
            "segments": scope(campaign["segments"]),
            # (v2) Left out of the IR when they are "any".
            "merchant_groups": scope(campaign.get("merchants", ANY)),
            "instruments": scope(campaign.get("instruments", ANY)),
            # (v2) Days of the week and minutes of the day, in the window's
            # zone, as the IR gives them; null: every instant of the window.
            "schedule": campaign.get("schedule"),
        },
    }


def rollout_config(manifest: dict[str, Any], campaigns: list[dict[str, Any]]) -> str:
    config = {
        "format": FORMAT,
        "package": manifest["package"]["name"],
        "manifest_sha256": manifest["sha256"],
        "flags": [flag(document) for document in campaigns],
    }
    return json.dumps(config, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="camp_gen_rollout.py",
        description="Writes the feature-flag rollout configuration of the Camp IR that "
        "`campc build PACKAGE --out IR_DIR` wrote, after checking every document.",
    )
    parser.add_argument("ir_dir", type=Path, metavar="IR_DIR")
    parser.add_argument(
        "--out", type=Path, metavar="FILE", help="write here instead of standard output"
    )
    parser.add_argument(
        "--schemas",
        type=Path,
        metavar="DIR",
        default=DEFAULT_SCHEMAS,
        help="the folder of the IR's JSON Schemas (default: the repository's `ir/`)",
    )
    args = parser.parse_args(argv)
    try:
        manifest, campaigns = load(args.ir_dir, args.schemas)
    except (OSError, json.JSONDecodeError) as error:
        # The schemas, not the IR: a setup problem.
        message = f"cannot read the IR's JSON Schemas in `{args.schemas}`: {error}"
        print(f"error: {message}", file=sys.stderr)
        return 2
    except Refused as refused:
        print(f"error: {refused}", file=sys.stderr)
        print("no configuration written: rebuild the IR with `campc build`", file=sys.stderr)
        return 1
    text = rollout_config(manifest, campaigns)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
