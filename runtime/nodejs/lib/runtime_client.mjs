// The Lambda Runtime API client (reference/lambda.md §1) on Node's built-in net:
// one keep-alive connection, no timeouts (GET /next may wait for as long as the environment
// is idle or frozen), header names read in lower case.
import net from 'node:net';

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

// One HTTP/1.1 exchange at a time over one kept-alive TCP connection, written by hand: Node's
// http module costs several times more CPU per request (agents, parsers, streams, events), and
// a warm invoke is two requests. Requests queue behind each other (the Runtime API never needs
// two at once). Answers are delimited by Content-Length, chunked encoding, or the end of the
// connection. The socket is unref'd while no request is in flight, so between
// a callback and the next GET /next the event loop can run empty and 'beforeExit' fires
// (callbackWaitsForEmptyEventLoop relies on it).
class Connection {
  constructor(hostname, port) {
    this.hostname = hostname;
    this.port = port;
    this.socket = null;
    this.tail = Promise.resolve();
  }

  request(method, path, body, extraHeaders) {
    const run = () => this.exchange(method, path, body, extraHeaders, true);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => {});
    return result;
  }

  exchange(method, path, body, extraHeaders, retry) {
    return new Promise((resolve, reject) => {
      const reused = this.socket !== null;
      if (!reused) {
        const fresh = net.connect({ host: this.hostname, port: this.port });
        fresh.setNoDelay(true);
        // Errors while idle (the server closed the kept-alive connection) only retire the socket;
        // a request in flight sees them through its own listeners.
        fresh.on('error', () => {});
        fresh.on('close', () => {
          if (this.socket === fresh) this.socket = null;
        });
        this.socket = fresh;
      }
      const socket = this.socket;
      socket.ref();
      let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.hostname}:${this.port}\r\n`;
      for (const [name, value] of Object.entries(extraHeaders)) head += `${name}: ${value}\r\n`;
      const payload = body === undefined ? null : Buffer.from(body, 'utf8');
      if (payload) head += `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n`;
      head += '\r\n';

      let chunks = [];
      let received = 0;
      let parsed = null;  // {status, headers, bodyStart, length (or -1: until the end)}
      let settled = false;
      const finish = (err, value) => {
        if (settled) return;
        settled = true;
        socket.off('data', onData);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (err) {
          this.drop(socket);
          if (retry && reused && received === 0 && (err.code === 'ECONNRESET' || err.code === 'EPIPE' ||
              err.code === 'ECONNCLOSED')) {
            this.exchange(method, path, body, extraHeaders, false).then(resolve, reject);
            return;
          }
          reject(err);
          return;
        }
        if (value.close) this.drop(socket);
        else socket.unref();
        resolve(value);
      };
      const complete = (all) => {
        const bodyBytes = parsed.length < 0 ? all.subarray(parsed.bodyStart)
          : all.subarray(parsed.bodyStart, parsed.bodyStart + parsed.length);
        finish(null, { status: parsed.status, headers: parsed.headers, body: bodyBytes.toString('utf8'),
          close: parsed.close });
      };
      const onData = (chunk) => {
        chunks.push(chunk);
        received += chunk.length;
        if (!parsed) {
          // Until the head is in (one chunk, nearly always), keep the bytes in one buffer.
          const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
          chunks = [all];
          const end = all.indexOf('\r\n\r\n');
          if (end < 0) return;
          try {
            parsed = parseHead(all.toString('latin1', 0, end), end + 4);
          } catch (err) {
            finish(err);
            return;
          }
        }
        if (parsed.chunked) {
          const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
          chunks = [all];
          let decoded;
          try {
            decoded = dechunk(all, parsed.bodyStart);
          } catch (err) {
            finish(err);
            return;
          }
          if (decoded) {
            finish(null, { status: parsed.status, headers: parsed.headers, body: decoded.toString('utf8'),
              close: parsed.close });
          }
        } else if (parsed.length >= 0 && received >= parsed.bodyStart + parsed.length) {
          complete(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
        }
      };
      const onError = (err) => finish(err);
      const onClose = () => {
        if (parsed && parsed.length < 0) {
          parsed.close = true;
          complete(chunks.length ? Buffer.concat(chunks, received) : Buffer.alloc(0));
          return;
        }
        const err = new Error(`Runtime API closed the connection during ${method} ${path}`);
        err.code = received === 0 ? 'ECONNCLOSED' : 'EPROTO';
        finish(err);
      };
      socket.on('data', onData);
      socket.on('error', onError);
      socket.on('close', onClose);
      if (payload) {
        socket.write(Buffer.concat([Buffer.from(head, 'latin1'), payload]));
      } else {
        socket.write(head, 'latin1');
      }
    });
  }

  drop(socket) {
    if (this.socket === socket) this.socket = null;
    socket.destroy();
  }
}

// "HTTP/1.1 200 OK\r\nName: value…" (without the blank line) → status, lower-case headers
// (repeated ones joined with ", "), the body's length.
function parseHead(text, bodyStart) {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) throw new Error(`Runtime API answered something that is not HTTP/1.x: ${JSON.stringify(lines[0])}`);
  const headers = {};
  for (let i = 1; i < lines.length; ++i) {
    const colon = lines[i].indexOf(':');
    if (colon <= 0) continue;
    const name = lines[i].slice(0, colon).trim().toLowerCase();
    const value = lines[i].slice(colon + 1).trim();
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const encoding = (headers['transfer-encoding'] ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'chunked') {
    throw new Error(`Runtime API answered with Transfer-Encoding: ${headers['transfer-encoding']} (not supported)`);
  }
  const chunked = encoding === 'chunked';
  const close = (headers.connection ?? '').toLowerCase() === 'close';
  let length = -1;
  if (chunked) {
    // dechunk finds the end
  } else if (headers['content-length'] !== undefined) {
    length = Number(headers['content-length']);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new Error(`Runtime API answered with Content-Length: ${headers['content-length']}`);
    }
  } else if (!close) {
    throw new Error('Runtime API answered without Content-Length on a kept-alive connection');
  }
  return { status: Number(m[1]), headers, bodyStart, length, close, chunked };
}

// A chunked body from `start`: the decoded bytes once the last chunk (and the trailers) are in,
// else null.
function dechunk(all, start) {
  const parts = [];
  let at = start;
  for (;;) {
    const lineEnd = all.indexOf('\r\n', at);
    if (lineEnd < 0) return null;
    const size = parseInt(all.toString('latin1', at, lineEnd).split(';')[0].trim(), 16);
    if (!Number.isSafeInteger(size) || size < 0) throw new Error('Runtime API sent a malformed chunked body');
    at = lineEnd + 2;
    if (size === 0) {
      const end = all.indexOf('\r\n\r\n', at - 2);  // trailers, if any, end with a blank line
      return end < 0 ? null : Buffer.concat(parts);
    }
    if (all.length < at + size + 2) return null;
    parts.push(all.subarray(at, at + size));
    at += size + 2;
  }
}

export class RuntimeClient {
  constructor(hostPort) {
    const { hostname, port } = splitHostPort(hostPort);
    this.connection = new Connection(hostname, port);
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

  request(method, path, body, extraHeaders = {}) {
    return this.connection.request(method, path, body, extraHeaders);
  }
}
