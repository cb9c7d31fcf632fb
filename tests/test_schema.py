"""The JSON Schema: generated from the model, shipped in the package, and true to the data."""

from __future__ import annotations

import json

import jsonschema
from hypothesis import given, settings

import perftarget as pt
from perftarget._formats.schema import json_schema, shipped_schema
from perftarget.testing import documents


def test_shipped_schema_matches_the_model():
    """The file in the package is the schema generated from the current model (regenerate if this fails)."""
    assert shipped_schema() == json_schema()


def test_schema_is_a_valid_draft_2020_12_schema():
    """The schema itself validates against the meta-schema."""
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_seed_validates(seed_path):
    """The seed's JSON form satisfies the schema."""
    jsonschema.validate(json.loads(pt.dumps(pt.load(seed_path))), json_schema())


@settings(max_examples=50)
@given(documents())
def test_every_document_validates(document):
    """Whatever the model accepts, the schema accepts."""
    jsonschema.validate(json.loads(pt.dumps(document)), json_schema())


def test_schema_rejects_unknown_keys():
    """The schema, like the loader, refuses unknown keys."""
    validator = jsonschema.Draft202012Validator(json_schema())
    errors = list(validator.iter_errors({"schema_version": 1, "colour": "red"}))
    assert len(errors) == 1
    assert "colour" in errors[0].message
