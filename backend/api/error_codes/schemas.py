import marshmallow as ma


class ErrorCodeSchema(ma.Schema):
    code = ma.fields.String(metadata={"example": "region.unknown"})
    status = ma.fields.Integer(metadata={"example": 422, "description": "the HTTP status answered with this code"})
    message = ma.fields.String(metadata={"example": "地区代码有误，请从地区列表中重新选择（6位行政区划代码）。",
                                         "description": "what the code means, in Chinese; an answer's own "
                                                        "message may say more about the case at hand"})
