"""Events in, results out, as AWS's Python runtime (de)serializes them."""
import decimal
import json
import math
import os

from .faults import FaultException


class _Encoder(json.JSONEncoder):
    """Decimal (boto3's DynamoDB numbers) encodes as a number: integral ones as ints, others as
    floats (AWS keeps the exact digits; a float can round beyond ~17 significant digits)."""

    def default(self, o):
        if isinstance(o, decimal.Decimal):
            if o.is_nan():
                return math.nan
            return int(o) if o == o.to_integral_value() else float(o)
        return super().default(o)


def _ensure_ascii():
    # AWS's python3.12+ runtimes emit UTF-8 as is; older ones escape non-ASCII characters.
    env = os.environ.get("AWS_EXECUTION_ENV", "")
    prefix = "AWS_Lambda_python3."
    if env.startswith(prefix):
        try:
            return int(env[len(prefix):]) < 12
        except ValueError:
            return True
    return True


def to_json(obj):
    """json.dumps with Python's default separators (`{"a": 1}`), as AWS's runtime answers."""
    return _Encoder(ensure_ascii=_ensure_ascii()).encode(obj)


def unmarshal_event(body, content_type):
    """The event: parsed JSON for application/json, else the raw bytes."""
    if content_type != "application/json":
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)))


def marshal_result(response):
    """(body, content type): bytes are posted raw as application/unknown, anything else as JSON."""
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)))
