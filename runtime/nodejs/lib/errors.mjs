// Error types the runtime raises, and the two ways an error is written out: the body posted to
// the Runtime API, and the JSON appended to an "Invoke Error" log line. Both reproduce what
// AWS's Node.js runtime shows (aws-lambda-nodejs-runtime-interface-client), so tooling that
// parses Lambda errors works unchanged.
import util from 'node:util';

// Each class reports itself as `Runtime.<ClassName>` (the `errorType` AWS shows). The name
// lives on the prototype so that `stack` starts with it too.
export class ImportModuleError extends Error {}
export class HandlerNotFound extends Error {}
export class MalformedHandlerName extends Error {}
export class UserCodeSyntaxError extends Error {}
export class NodeJsExit extends Error {
  constructor() {
    super(
      'The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly ' +
        'caused by a Promise that was never settled. For more information, see ' +
        'https://nodejs.org/docs/latest/api/process.html#exit-codes',
    );
  }
}
export class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
for (const cls of [ImportModuleError, HandlerNotFound, MalformedHandlerName, UserCodeSyntaxError, NodeJsExit,
  UnhandledPromiseRejection]) {
  cls.prototype.name = `Runtime.${cls.name}`;
}

// Anything that looks like an Error (e.g. from another realm or a library's own class).
function looksLikeError(value) {
  return Boolean(value) && typeof value.name === 'string' && typeof value.message === 'string' &&
    typeof value.stack === 'string' && value.name !== '' && value.message !== '' && value.stack !== '';
}

/// A thrown value as an Error, for logging.
export function intoError(value) {
  return value instanceof Error ? value : new Error(value);
}

/// The body posted to /invocation/{id}/error and /init/error:
/// an Error → {errorType: name, errorMessage: message, trace: stack lines};
/// any other value → {errorType: typeof value, errorMessage: String(value), trace: []}
/// (`throw "boom"` gives errorType "string").
export function toRuntimeErrorBody(error) {
  try {
    if (util.types.isNativeError(error) || looksLikeError(error)) {
      return { errorType: error.name, errorMessage: error.message, trace: error.stack.split('\n') };
    }
    return { errorType: typeof error, errorMessage: error.toString(), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more ' +
        'of its message, name, and stack',
    };
  }
}

// JSON.stringify replacer: errors become {errorType, errorMessage, code, ...own props, stack: [lines]}.
function withErrorProperties(_key, value) {
  if (!(value instanceof Error)) return value;
  const out = Object.assign({ errorType: value.name, errorMessage: value.message, code: value.code }, value);
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}

/// The text appended to "Invoke Error" / "Uncaught Exception" log lines: a TAB, then the error
/// as JSON (AWS keeps the leading TAB for compatibility).
export function toLogText(error) {
  try {
    return '\t' + JSON.stringify(error, withErrorProperties);
  } catch {
    return '\t' + JSON.stringify(toRuntimeErrorBody(error));
  }
}
