// The Lambda Runtime API client (reference/lambda.md §1) on Node's built-in http:
// one keep-alive connection, no timeouts (GET /next may wait for as long as the environment
// is idle or frozen), header names read in lower case.
import http from 'node:http';

const BASE = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

function splitHostPort(hostPort) {
  if (!hostPort) throw new Error('AWS_LAMBDA_RUNTIME_API is not set');
  const ipv6 = /^\[([^\]]+)\]:(\d+)$/.exec(hostPort);
  if (ipv6) return { hostname: ipv6[1], port: Number(ipv6[2]) };
  const at = hostPort.lastIndexOf(':');
  if (at < 0) return { hostname: hostPort, port: 80 };
  return { hostname: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) };
}

/// `JSON.stringify(value)`, `undefined` giving `null` (AWS's rule for a handler returning nothing).
export function serializeResult(value) {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

export class RuntimeClient {
  constructor(hostPort) {
    Object.assign(this, splitHostPort(hostPort));
    // The agent unrefs its idle socket, so between a callback and the next GET /next the event
    // loop can run empty and 'beforeExit' fires (callbackWaitsForEmptyEventLoop relies on it).
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }

  /// GET /next → {body: string, headers: {lower-case name: value}}. Rejects when the Runtime API
  /// is gone or answers anything but 200 (the runtime should then exit).
  async nextInvocation() {
    const { status, headers, body } = await this.request('GET', `${BASE}/invocation/next`);
    if (status !== 200) {
      throw new Error(`Runtime API answered ${status} to GET /runtime/invocation/next: ${body}`);
    }
    return { body, headers };
  }

  /// POST /invocation/{id}/response with an already serialized body.
  async postInvocationResponse(id, bodyString) {
    await this.request('POST', `${BASE}/invocation/${encodeURIComponent(id)}/response`, bodyString);
  }

  /// POST /invocation/{id}/error with a `toRuntimeErrorBody` object.
  async postInvocationError(id, errorBody) {
    await this.request('POST', `${BASE}/invocation/${encodeURIComponent(id)}/error`, JSON.stringify(errorBody),
      { [ERROR_TYPE_HEADER]: String(errorBody.errorType ?? '') });
  }

  /// POST /init/error with a `toRuntimeErrorBody` object.
  async postInitError(errorBody) {
    await this.request('POST', `${BASE}/init/error`, JSON.stringify(errorBody),
      { [ERROR_TYPE_HEADER]: String(errorBody.errorType ?? '') });
  }

  // One request; retried once when a reused keep-alive socket turns out to be closed (the
  // server may drop idle connections while this process is frozen).
  request(method, path, body, extraHeaders = {}) {
    const attempt = (retry) => new Promise((resolve, reject) => {
      const headers = { ...extraHeaders };
      if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = http.request(
        { hostname: this.hostname, port: this.port, path, method, headers, agent: this.agent },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({
            status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'),
          }));
          res.on('error', reject);
        });
      req.on('error', (err) => {
        if (retry && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          attempt(false).then(resolve, reject);
        } else {
          reject(err);
        }
      });
      req.end(body);
    });
    return attempt(true);
  }
}
