"""Fields the API shares beyond marshmallow's own."""

from __future__ import annotations

import marshmallow as ma

from backend.adapters.clock import CHINA, as_beijing


class BeijingDateTime(ma.fields.DateTime):
    """A moment in JSON, as RFC 3339 in Beijing time with its offset, to the second:
    `2026-12-01T13:05:00+08:00`.

    Read: a time with an offset (`+08:00`, `Z`, …) means what it says; one without
    (`2026-12-02T07:30:00`) is Beijing time, as partners and people here write it.
    Loaded values are always aware. Written: an aware moment is shown in Beijing
    time; a naive one is taken as UTC, as everything stored is.
    In the OpenAPI spec it stays `string`/`date-time` (a subclass of DateTime).
    """

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return as_beijing(value).isoformat(timespec="seconds")

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment if moment.tzinfo is not None else moment.replace(tzinfo=CHINA)
