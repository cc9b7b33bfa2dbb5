"""Validate API responses against the discovery documents shipped with google-api-python-client.

``assert_response_valid("calendar", "calendar.events.list", body)`` checks field names and types
against the method's response schema: unknown fields, wrong JSON types, bad RFC 3339 / int64
strings and out-of-enum values all fail with the path of the offending value.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import googleapiclient

DOCUMENTS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
DOC_FILES = {
    "calendar": "calendar.v3.json",
    "meet": "meet.v2.json",
    "people": "people.v1.json",
    "directory": "admin.directory_v1.json",
    "reports": "admin.reports_v1.json",
}


@cache
def document(api: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCUMENTS / DOC_FILES[api]).read_text())
    return data


def method(api: str, method_id: str) -> dict[str, Any]:
    def walk(resources: dict[str, Any]) -> dict[str, Any] | None:
        for resource in resources.values():
            for candidate in resource.get("methods", {}).values():
                if candidate.get("id") == method_id:
                    return dict(candidate)
            found = walk(resource.get("resources", {}))
            if found is not None:
                return found
        return None

    found = walk(document(api).get("resources", {}))
    if found is None:
        raise KeyError(f"{method_id} not in the {api} discovery document")
    return found


def response_schema(api: str, method_id: str) -> str:
    return str(method(api, method_id)["response"]["$ref"])


def validate(api: str, schema_name: str, value: Any) -> list[str]:
    """Every problem of ``value`` against schema ``schema_name`` (empty list = valid)."""
    problems: list[str] = []
    _check(document(api)["schemas"], {"$ref": schema_name}, value, schema_name, problems)
    return problems


def assert_response_valid(api: str, method_id: str, body: Any) -> None:
    problems = validate(api, response_schema(api, method_id), body)
    assert not problems, f"{method_id} response does not match its discovery schema:\n" + "\n".join(problems[:20])


def _check(schemas: dict[str, Any], schema: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    if "$ref" in schema:
        _check(schemas, schemas[schema["$ref"]], value, path, out)
        return
    kind = schema.get("type", "any")
    if kind == "any":
        return
    if kind == "object":
        if not isinstance(value, dict):
            out.append(f"{path}: expected object, got {type(value).__name__}")
            return
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                _check(schemas, properties[key], item, f"{path}.{key}", out)
            elif extra is not None:
                _check(schemas, extra, item, f"{path}.{key}", out)
            else:
                out.append(f"{path}.{key}: unknown field")
        return
    if kind == "array":
        if not isinstance(value, list):
            out.append(f"{path}: expected array, got {type(value).__name__}")
            return
        for index, item in enumerate(value):
            _check(schemas, schema.get("items", {}), item, f"{path}[{index}]", out)
        return
    if kind == "string":
        _check_string(schema, value, path, out)
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            out.append(f"{path}: expected integer, got {value!r}")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            out.append(f"{path}: expected number, got {value!r}")
    elif kind == "boolean" and not isinstance(value, bool):
        out.append(f"{path}: expected boolean, got {value!r}")


def _check_string(schema: dict[str, Any], value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, str):
        out.append(f"{path}: expected string, got {value!r}")
        return
    fmt = schema.get("format")
    if fmt in {"int64", "uint64"} and not re.fullmatch(r"-?\d+", value):
        out.append(f"{path}: expected an {fmt} string, got {value!r}")
    elif fmt in {"date-time", "google-datetime"}:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            out.append(f"{path}: expected RFC 3339, got {value!r}")
        else:
            if parsed.tzinfo is None:
                out.append(f"{path}: RFC 3339 without offset: {value!r}")
    elif fmt == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        out.append(f"{path}: expected a date, got {value!r}")
    elif fmt == "google-duration" and not re.fullmatch(r"-?\d+(\.\d+)?s", value):
        out.append(f"{path}: expected a duration, got {value!r}")
    enum = schema.get("enum")
    if enum and value not in enum:
        out.append(f"{path}: {value!r} not one of {enum}")
