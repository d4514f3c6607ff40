"""The Lambda Runtime API client (reference/lambda.md section 1) on http.client."""
import http.client

from .marshalling import to_json

_BASE = "/2018-06-01/runtime"
_ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"


class Invocation:
    """One GET /next answer: the event body and the Lambda-Runtime-* headers."""

    def __init__(self, response, body):
        h = response.getheader  # case-insensitive
        self.request_id = h("Lambda-Runtime-Aws-Request-Id")
        self.deadline_ms = int(h("Lambda-Runtime-Deadline-Ms") or 0)
        self.invoked_function_arn = h("Lambda-Runtime-Invoked-Function-Arn")
        self.trace_id = h("Lambda-Runtime-Trace-Id")
        self.client_context = h("Lambda-Runtime-Client-Context")
        self.cognito_identity = h("Lambda-Runtime-Cognito-Identity")
        self.tenant_id = h("Lambda-Runtime-Aws-Tenant-Id")
        self.content_type = h("Content-Type") or "application/json"
        self.body = body


class RuntimeClient:
    """One keep-alive HTTP/1.1 connection; no timeout (GET /next may wait for as long as the
    environment stays idle or frozen)."""

    def __init__(self, host_port):
        if not host_port:
            raise RuntimeError("AWS_LAMBDA_RUNTIME_API is not set")
        host, _, port = host_port.rpartition(":")
        self.host = host.strip("[]") or "127.0.0.1"
        self.port = int(port)
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=None)
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server dropped an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise

    def wait_next_invocation(self):
        response, body = self._request("GET", _BASE + "/invocation/next")
        if response.status != 200:
            raise RuntimeError("Runtime API answered %d to GET /runtime/invocation/next: %r" % (response.status, body))
        return Invocation(response, body)

    def post_invocation_result(self, request_id, body, content_type):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self._request("POST", "%s/invocation/%s/response" % (_BASE, request_id), body, {"Content-Type": content_type})

    def post_invocation_error(self, request_id, error):
        self._post_error("%s/invocation/%s/error" % (_BASE, request_id), error)

    def post_init_error(self, error):
        self._post_error(_BASE + "/init/error", error)

    def _post_error(self, path, error):
        self._request("POST", path, to_json(error).encode("utf-8"),
                      {"Content-Type": "application/json", _ERROR_TYPE_HEADER: error["errorType"]})
