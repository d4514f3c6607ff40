// console.* as AWS's Node.js runtime patches it: one record per call on stdout,
//   text: `<ISO time>\t<request id>\t<LEVEL>\t<util.format(args)>`  (newlines → \r, so a
//         multi-line message stays one CloudWatch record)
//   JSON (AWS_LAMBDA_LOG_FORMAT=JSON): {"timestamp","level","requestId","message"[,error fields]}
// Before the first invoke the request id prints as `undefined`, as on AWS.
// AWS_LAMBDA_LOG_LEVEL (TRACE…FATAL) drops the levels below it.
import util from 'node:util';
import { intoError, toLogText } from './errors.mjs';

const LEVELS = Object.freeze({
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
});

// Shared with other copies of the runtime through a global symbol, as AWS's runtime does.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');
const TENANT_ID = Symbol.for('aws.lambda.runtime.tenantId');

export function setCurrentRequestId(id) {
  globalThis[REQUEST_ID] = id;
}
export function setCurrentTenantId(id) {
  globalThis[TENANT_ID] = id;
}

// An Error inside a JSON record: {errorType: constructor name, errorMessage, stackTrace: [lines], ...own props}.
function jsonErrorReplacer(_key, value) {
  if (!(value instanceof Error)) return value;
  return Object.assign({
    errorType: value?.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
  }, value);
}

function jsonRecord(level, params) {
  const record = { timestamp: new Date().toISOString(), level: level.name, requestId: globalThis[REQUEST_ID] };
  if (globalThis[TENANT_ID] !== undefined) record.tenantId = globalThis[TENANT_ID];
  if (params.length === 1) {
    record.message = params[0];
    try {
      return JSON.stringify(record, jsonErrorReplacer);
    } catch {
      record.message = util.format(record.message);
      return JSON.stringify(record);
    }
  }
  record.message = util.format(...params);
  const error = params.find((p) => p instanceof Error);
  if (error) {
    record.errorType = error?.constructor?.name ?? 'UnknownError';
    record.errorMessage = error.message;
    record.stackTrace = typeof error.stack === 'string' ? error.stack.split('\n') : [];
  }
  return JSON.stringify(record);
}

function textRecord(level, params) {
  return `${new Date().toISOString()}\t${globalThis[REQUEST_ID]}\t${level.name}\t${util.format(...params)}`;
}

/// Which format AWS_LAMBDA_LOG_FORMAT selects ("JSON" or "TEXT", case-insensitive; default TEXT).
export function logFormat() {
  return process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON' ? 'JSON' : 'TEXT';
}

let logErrorImpl = (message, error) => console.error(message, toLogText(intoError(error)));

/// Replaces console.trace/debug/info/log/warn/error (and adds console.fatal).
export function patchConsole() {
  const format = logFormat();
  const render = format === 'JSON' ? jsonRecord : textRecord;
  const write = (level, params) => {
    process.stdout.write(render(level, params).replace(/\n/g, '\r') + '\n');
  };
  const threshold = LEVELS[process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const method = (level) => level.priority >= threshold.priority
    ? (message, ...params) => write(level, [message, ...params])
    : () => {};
  console.trace = method(LEVELS.TRACE);
  console.debug = method(LEVELS.DEBUG);
  console.info = method(LEVELS.INFO);
  console.log = console.info;
  console.warn = method(LEVELS.WARN);
  console.error = method(LEVELS.ERROR);
  console.fatal = (message, ...params) => write(LEVELS.FATAL, [message, ...params]);
  logErrorImpl = format === 'JSON'
    ? (_message, error) => console.error(intoError(error))
    : (message, error) => console.error(message, toLogText(intoError(error)));
}

/// Logs an error the runtime caught: text `ERROR\t<message> \t{"errorType":…,"errorMessage":…,"stack":[…]}`,
/// JSON an ERROR record whose message is the error.
export function logError(message, error) {
  logErrorImpl(message, error);
}
