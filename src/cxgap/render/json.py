"""JSON: the stable machine contract (schema_version 2; validate reports 1)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from cxgap.model import AnalysisResult
from cxgap.render.numbers import stable_data


def render_json(result: BaseModel) -> str:
    """Pretty, key-ordered as the model declares, NaN-free (the models hold None);
    floats at the documented precision (:mod:`cxgap.render.numbers`)."""
    data = stable_data(result.model_dump(mode="json"))
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


#: What ``cxgap schema KIND`` publishes: the JSON each command writes, and the counts
#: file's metadata.
SCHEMA_KINDS = ("analysis", "trend", "check", "validate", "counts")


def json_schema(kind: str = "analysis") -> str:
    """The JSON Schema (draft 2020-12) of one kind of JSON output."""
    from cxgap.model import CheckResult, TrendResult, ValidationReport
    from cxgap.model.counts import CountsMeta

    models: dict[str, type[BaseModel]] = {
        "analysis": AnalysisResult,
        "trend": TrendResult,
        "check": CheckResult,
        "validate": ValidationReport,
        "counts": CountsMeta,
    }
    model = models[kind]
    version = model.model_fields["counts_version" if kind == "counts" else "schema_version"]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://cxgap.dev/schema/{kind}-{version.default}.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"
