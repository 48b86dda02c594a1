"""Inbound activities read into the SDK's models without msrest's per-attribute machinery.

`Activity().deserialize(data)` builds a new Deserializer (walking the schema module for its
models) and, for every model in the tree, runs each of its ~40 attributes through a chain of key
extractors before it looks at the value: about 0.1 ms of CPU for a Teams message, a tenth of a
"which CoP fits me" turn. For the schema's plain models (no flattened keys, no polymorphic
subtypes, no real `additional_properties` attribute; all of botbuilder-schema today) the key of an
attribute is its JSON key, so a per-class plan (attribute, key, type) does the same work; every
value still goes through msrest's own `deserialize_data`, and the model is built by msrest's
`_instantiate_model`, unknown keys kept as `additional_properties` as msrest does. Any other model
goes through msrest unchanged. tests/unit/test_fast_deserializer.py holds it equal to msrest.
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from msrest.serialization import Deserializer, Model

from bot.sdk_versions import require

require(__name__, "msrest", "botbuilder-schema")

# attribute name, JSON key, msrest type string
Plan = tuple[tuple[str, str, str], ...]


def _plan(model: type[Model]) -> tuple[Plan, frozenset[str]] | None:
    """The attributes of a plain model and its known keys; None for a model msrest must read."""
    if getattr(model, "_subtype_map", None) or getattr(model, "_validation", None):
        return None
    steps: list[tuple[str, str, str]] = []
    for attr, desc in model._attribute_map.items():
        key = desc["key"]
        if attr == "additional_properties" or not key or "." in key or "\\" in key:
            return None
        steps.append((attr, key, desc["type"]))
    return tuple(steps), frozenset(key for _, key, _ in steps)


class ActivityReader(Deserializer):
    """A Deserializer for botbuilder-schema's models; one instance serves every request."""

    def __init__(self) -> None:
        super().__init__(Activity._infer_class_models())
        self._plans: dict[type[Model], tuple[Plan, frozenset[str]] | None] = {}

    def activity(self, data: dict[str, Any]) -> Activity:
        """What `Activity().deserialize(data)` returns (DeserializationError where it raises)."""
        activity = self("Activity", data)
        assert isinstance(activity, Activity)
        return activity

    def _deserialize(self, target_obj: Any, data: Any) -> Any:
        # msrest passes a type name at the top and the model class for what is inside
        model = self.dependencies.get(target_obj) if isinstance(target_obj, str) else target_obj
        if (
            not isinstance(model, type)
            or not issubclass(model, Model)
            or not isinstance(data, dict)
        ):
            return super()._deserialize(target_obj, data)
        if model not in self._plans:
            self._plans[model] = _plan(model)
        planned = self._plans[model]
        if planned is None:
            return super()._deserialize(target_obj, data)
        steps, known = planned
        try:
            attrs = {}
            for attr, key, kind in steps:
                value = data.get(key)
                # msrest returns these as they are: None for any type, a str for "str"
                if value is not None and not (kind == "str" and type(value) is str):
                    value = self.deserialize_data(value, kind)
                attrs[attr] = value
        except (AttributeError, TypeError, KeyError) as err:
            raise DeserializationError(
                f"Unable to deserialize to object: {model.__name__}"
            ) from err
        extra = (
            {key: data[key] for key in data.keys() - known}
            if self.additional_properties_detection
            else None
        )
        return self._instantiate_model(model, attrs, extra)


READER = ActivityReader()
