"""Output as AWS's Python runtime writes it to stdout.

print() is untouched. `logging` records get one handler on the root logger:
  text  "[LEVEL]\t<UTC time>.<ms>Z\t<request id>\t<message>" (inner newlines become \r, so one
        record stays one line; the request id is empty before the first invocation)
  JSON  (AWS_LAMBDA_LOG_FORMAT=JSON) {"timestamp", "level", "message", "logger", "requestId",
        exception fields, extras}
AWS_LAMBDA_LOG_LEVEL sets the root logger's level (TRACE counts as DEBUG).
"""
import json
import logging
import os
import sys
import time
import traceback

from .marshalling import to_json

_DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_ERROR_LOG_LINE_TERMINATE = "\r"
_ERROR_LOG_IDENT = "\u00a0"  # AWS indents error traces with NO-BREAK SPACEs

UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, "
    "in rare cases, a Lambda runtime update can cause unexpected function behavior. For functions using "
    "managed runtimes, runtime updates can be triggered by a function change, or can be applied "
    "automatically. To determine if the runtime has been updated, check the runtime version in the "
    "INIT_START log entry. If this error correlates with a change in the runtime version, you may be able to "
    "mitigate this error by temporarily rolling back to the previous runtime version. For more information, "
    "see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)

_current = {"request_id": None, "tenant_id": None}


def set_current_invocation(request_id, tenant_id):
    _current["request_id"], _current["tenant_id"] = request_id, tenant_id


def log_format():
    return "JSON" if (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON" else "TEXT"


def log_error(error):
    """An error body as AWS logs it: text "[ERROR] Type: message\\rTraceback (most recent call
    last):\\r<frames, indented with U+00A0>", or one JSON record."""
    if log_format() == "JSON":
        record = {"timestamp": time.strftime(_DATETIME_FORMAT, time.gmtime()), "level": "ERROR"}
        record.update(error)
        sys.stdout.write(to_json(record) + "\n")
        return
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(_ERROR_LOG_IDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write(_ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


class _TextFormatter(logging.Formatter):
    converter = time.gmtime

    def __init__(self):
        super().__init__("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s",
                         _DATETIME_FORMAT)

    def format(self, record):
        return super().format(record).replace("\n", "\r") + "\n"


_RESERVED = {"name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
             "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread",
             "threadName", "processName", "process", "aws_request_id", "tenant_id", "taskName"}


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        exc = record.exc_info
        stamp = time.strftime(_DATETIME_FORMAT, time.gmtime(record.created)) + ".%03dZ" % int(record.msecs)
        result = {
            "timestamp": stamp,
            "level": logging.getLevelName(min(50, max(0, record.levelno)) // 10 * 10),
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": traceback.format_tb(exc[2]) if exc else None,
            "errorType": exc[0].__name__ if exc else None,
            "errorMessage": str(exc[1]) if exc else None,
            "requestId": getattr(record, "aws_request_id", None),
            "location": "%s:%s:%s" % (record.pathname, record.funcName, record.lineno) if exc else None,
        }
        if getattr(record, "tenant_id", None) is not None:
            result["tenantId"] = record.tenant_id
        result.update((k, v) for k, v in record.__dict__.items() if k not in _RESERVED and k not in result)
        return json.dumps({k: v for k, v in result.items() if v is not None}, ensure_ascii=False,
                          default=str).replace("\n", "\r") + "\n"


class _InvocationFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current["request_id"] or ""
        record.tenant_id = _current["tenant_id"]
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        try:
            sys.stdout.write(self.format(record))
        except Exception:
            self.handleError(record)


class _Unbuffered:
    """Flushes every write: the process may be frozen or killed right after a print()."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def setup_output():
    """Unbuffered stdout/stderr and the root logger's handler."""
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    handler = _StdoutHandler()
    handler.setFormatter(_JsonFormatter() if log_format() == "JSON" else _TextFormatter())
    handler.addFilter(_InvocationFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    level = "DEBUG" if level == "TRACE" else level
    if level in getattr(logging, "getLevelNamesMapping", lambda: logging._nameToLevel)():
        root.setLevel(level)
