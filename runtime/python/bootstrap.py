"""lambkin's Python runtime: runs AWS Lambda handlers unchanged (standard library only).

    cd $LAMBDA_TASK_ROOT && python3 /path/to/runtime/python/bootstrap.py

Environment (reference/lambda.md section 1.6): AWS_LAMBDA_RUNTIME_API, _HANDLER ("module.function";
the module may be dotted or a path: "pkg.app.handler", "src/app.handler"), LAMBDA_TASK_ROOT,
AWS_LAMBDA_FUNCTION_NAME/_VERSION/_MEMORY_SIZE, AWS_LAMBDA_LOG_GROUP_NAME/_STREAM_NAME; optional
AWS_LAMBDA_LOG_FORMAT (TEXT|JSON), AWS_LAMBDA_LOG_LEVEL, LAMBKIN_PYTHON_SDK_PATH.

Behaviour reproduces AWS's Python runtime (awslambdaric):
  init    sys.path starts with LAMBDA_TASK_ROOT (this file's directory is removed from it);
          directories in LAMBKIN_PYTHON_SDK_PATH (':'-separated) are appended last. The handler's
          module is imported; a failure is logged, posted to /runtime/init/error, and the process
          exits 1:
            Runtime.MalformedHandlerName  Bad handler 'x': not enough values to unpack (expected 2, got 1)
            Runtime.ImportModuleError     Unable to import module 'app': No module named 'app'
            Runtime.UserCodeSyntaxError   Syntax error in module 'app': invalid syntax (app.py, line 3)
            Runtime.HandlerNotFound       Handler 'handler' missing on module 'app'
            Runtime.BuiltInModuleConflict Cannot use built-in module sys as a handler module
          any other exception raised by the module is posted as itself (errorType = its class).
  invoke  GET /next -> handler(event, context) -> POST /response with the JSON result (see
          lambkin_runtime/marshalling.py). An exception posts {"errorMessage", "errorType",
          "requestId", "stackTrace"} to /error (header Lambda-Runtime-Function-Error-Type), is
          logged, and the loop goes on. SystemExit is not caught: the process ends.
  logs    see lambkin_runtime/logs.py.
"""
import importlib
import logging
import os
import sys

# No __pycache__ in lambkin's own (possibly read-only) runtime directory; user code keeps it.
sys.dont_write_bytecode = True
from lambkin_runtime.faults import FaultException, fault_result, make_error
from lambkin_runtime.lambda_context import LambdaContext
from lambkin_runtime.logs import UNHANDLED_EXCEPTION_WARNING, log_error, set_current_invocation, setup_output
from lambkin_runtime.marshalling import marshal_result, unmarshal_event
from lambkin_runtime.runtime_client import RuntimeClient

sys.dont_write_bytecode = False


def get_handler(handler):
    """The function `handler` names; raises FaultException with AWS's Runtime.* errors."""
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(FaultException.BUILT_IN_MODULE_CONFLICT,
                                 "Cannot use built-in module {} as a handler module".format(modname))
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR,
                             "Unable to import module '{}': {}".format(modname, str(e)))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(FaultException.USER_CODE_SYNTAX_ERROR,
                             "Syntax error in module '{}': {}".format(modname, str(e)), trace)
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(FaultException.HANDLER_NOT_FOUND,
                             "Handler '{}' missing on module '{}'".format(fname, modname))


def handle_invocation(client, handler, inv):
    # Runs in this file so that fault_result() can strip the runtime's frames from tracebacks.
    try:
        context = LambdaContext(inv)
        event = unmarshal_event(inv.body, inv.content_type)
        result, content_type = marshal_result(handler(event, context))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, inv.request_id)
    except Exception:
        error = fault_result(sys.exc_info(), inv.request_id)
    else:
        client.post_invocation_result(inv.request_id, result, content_type)
        return
    log_error(error)
    client.post_invocation_error(inv.request_id, error)


def _set_module_path(task_root):
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or ".") == here:
        sys.path.pop(0)
    sys.path.insert(0, task_root)
    for extra in (os.environ.get("LAMBKIN_PYTHON_SDK_PATH") or "").split(os.pathsep):
        if extra and extra not in sys.path:
            sys.path.append(extra)


def main():
    setup_output()
    _set_module_path(os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd())
    client = RuntimeClient(os.environ.get("AWS_LAMBDA_RUNTIME_API"))
    try:
        handler = get_handler(os.environ.get("_HANDLER", ""))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
    except Exception:
        error = fault_result(sys.exc_info())
    else:
        error = None
    if error is not None:
        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)

    while True:
        inv = client.wait_next_invocation()
        set_current_invocation(inv.request_id, inv.tenant_id)
        if inv.trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = inv.trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        handle_invocation(client, handler, inv)


if __name__ == "__main__":
    main()
