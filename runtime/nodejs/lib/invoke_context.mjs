// The `context` object and `callback` a handler receives, with AWS's Node.js semantics:
//  - context fields from the environment (functionName, functionVersion, memoryLimitInMB — a
//    string, as on AWS —, logGroupName, logStreamName) and from the GET /next headers
//    (awsRequestId, invokedFunctionArn, clientContext and identity parsed from JSON, tenantId);
//  - getRemainingTimeInMillis() = deadline − Date.now();
//  - callback(err, result) / context.done / succeed / fail: only the first call counts;
//  - callbackWaitsForEmptyEventLoop (default true): a callback's result is posted only once the
//    event loop has run empty ('beforeExit'); set it false to post at once.
import { logError } from './logging.mjs';

/// One 'beforeExit' listener slot, swapped per invocation phase (AWS's BeforeExitListener).
export const beforeExit = {
  listener: () => {},
  set(fn) {
    this.listener = fn;
  },
  reset() {
    this.listener = () => {};
  },
  invoke() {
    this.listener();
  },
};

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (err) {
    throw new Error(`Cannot parse ${name} as json: ${err.toString()}`);
  }
}

/// Copies the trace header into _X_AMZN_TRACE_ID (or removes it) as managed runtimes do.
export function forwardTraceId(headers) {
  const trace = headers['lambda-runtime-trace-id'];
  if (trace) process.env._X_AMZN_TRACE_ID = trace;
  else delete process.env._X_AMZN_TRACE_ID;
}

/// The invocation's fields; throws when a JSON header can't be parsed (reported as the
/// invocation's error, as on AWS).
export function invocationFields(headers) {
  const deadline = Number(headers['lambda-runtime-deadline-ms']);
  return {
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers['lambda-runtime-client-context'], 'ClientContext'),
    identity: parseJsonHeader(headers['lambda-runtime-cognito-identity'], 'CognitoIdentity'),
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    tenantId: headers['lambda-runtime-aws-tenant-id'],
    getRemainingTimeInMillis() {
      return deadline - Date.now();
    },
  };
}

/// Builds [callback, context (without the invocation fields), markCompleted] for one invocation.
/// `report.success(result)` / `report.error(err)` post its outcome and return a promise;
/// `scheduleNext` starts the next GET /next; `markCompleted` makes later results no-ops.
export function buildCallbackContext(report, scheduleNext) {
  let completed = false;
  const complete = (result) => {
    if (completed) {
      console.error('Invocation has already been reported as done. Cannot call complete more than once per invocation.');
      return;
    }
    completed = true;
    report.success(result).then(scheduleNext);
  };
  const postError = (err) => {
    logError('Invoke Error', err);
    report.error(err).then(scheduleNext);
  };

  let waitForEmptyEventLoop = true;
  const callback = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) {
      postError(err);
    } else if (!waitForEmptyEventLoop) {
      complete(result);
    } else {
      beforeExit.set(() => setImmediate(() => complete(result)));
    }
  };
  const done = (err, result) => {
    beforeExit.reset();
    if (err !== undefined && err !== null) postError(err);
    else complete(result);
  };

  // Whichever of callback/done/succeed/fail runs first wins; later calls do nothing.
  let finished = false;
  const once = (fn) => (...args) => {
    if (finished) return;
    fn(...args);
    finished = true;
  };
  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((err) => (err === undefined || err === null ? done('handled') : done(err, null))),
    done: once(done),
  };
  return [once(callback), context, () => { completed = true; }];
}
