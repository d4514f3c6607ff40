// lambkin's Node.js runtime: runs AWS Lambda handlers unchanged.
//
//   cd $LAMBDA_TASK_ROOT && node /path/to/runtime/nodejs/bootstrap.mjs
//
// Environment (reference/lambda.md §1.6): AWS_LAMBDA_RUNTIME_API, _HANDLER, LAMBDA_TASK_ROOT,
// AWS_LAMBDA_FUNCTION_NAME/_VERSION/_MEMORY_SIZE, AWS_LAMBDA_LOG_GROUP_NAME/_STREAM_NAME;
// optional AWS_EXECUTION_ENV, AWS_LAMBDA_LOG_FORMAT, AWS_LAMBDA_LOG_LEVEL, LAMBKIN_NODE_SDK_PATH,
// AWS_ENDPOINT_URL (also applied to AWS SDK v2's global config: lib/sdk_v2_config.mjs).
//
// Lifecycle, as AWS's Node.js runtime:
//   init    patch console, load the handler (lib/handler_loader.mjs). A failure is logged
//           ("Uncaught Exception"), posted to /runtime/init/error, and the process exits 129.
//   invoke  GET /next → handler(event, context, callback). A returned promise settles the
//           invocation; otherwise callback/context.done/succeed/fail do, after the event loop
//           runs empty unless context.callbackWaitsForEmptyEventLoop = false. If the loop runs
//           empty first: a non-async handler succeeds with null, an async one fails with
//           Runtime.NodeJsExit. Results are JSON.stringify'd (undefined → null); errors post
//           {errorType, errorMessage, trace} with header Lambda-Runtime-Function-Error-Type.
//   crash   an uncaught exception during an invocation is posted as that invocation's error,
//           then the process exits 129; an unhandled rejection is posted as
//           Runtime.UnhandledPromiseRejection, then exit 128. During init they go to /init/error.
import { createRequire } from 'node:module';
import { toRuntimeErrorBody, UnhandledPromiseRejection, NodeJsExit } from './lib/errors.mjs';
import { isAsyncFunction, loadHandler } from './lib/handler_loader.mjs';
import { beforeExit, buildCallbackContext, forwardTraceId, invocationFields } from './lib/invoke_context.mjs';
import { logError, patchConsole, setCurrentRequestId, setCurrentTenantId } from './lib/logging.mjs';
import { installSdkFallback } from './lib/module_paths.mjs';
import { installSdkV2Config } from './lib/sdk_v2_config.mjs';
import { RuntimeClient, serializeResult } from './lib/runtime_client.mjs';

const EXIT_UNCAUGHT_EXCEPTION = 129;
const EXIT_UNHANDLED_REJECTION = 128;

// The Runtime API is gone or broken: nothing can be reported any more.
function fatal(err) {
  process.stderr.write(`lambkin nodejs runtime: Runtime API failure: ${err?.stack ?? err}\n`);
  process.exit(1);
}

// nodejs10.x–16.x are retired on AWS; lambkin runs them on whatever Node this machine has.
function warnIfRetiredRuntime() {
  const m = /^AWS_Lambda_(nodejs(1[0246])\.x)$/.exec(process.env.AWS_EXECUTION_ENV ?? '');
  if (m) {
    process.stderr.write(`lambkin: runtime ${m[1]} is deprecated on AWS Lambda; running it on this machine's ` +
      `Node.js ${process.version}\n`);
  }
}

function isPromise(value) {
  return Boolean(value) && typeof value.then === 'function';
}

class Runtime {
  constructor(client, handler, initErrors) {
    this.client = client;
    this.handler = handler;
    this.isAsync = isAsyncFunction(handler);
    // Until the first invocation starts, crashes are init errors.
    this.onUncaughtException = initErrors.uncaught;
    this.onUnhandledRejection = initErrors.rejection;
  }

  scheduleNext() {
    setImmediate(() => this.handleOnce().catch(fatal));
  }

  async handleOnce() {
    const { body, headers } = await this.client.nextInvocation();
    const id = headers['lambda-runtime-aws-request-id'];
    if (!id) throw new Error('GET /next answered without Lambda-Runtime-Aws-Request-Id');
    setCurrentRequestId(id);
    setCurrentTenantId(headers['lambda-runtime-aws-tenant-id']);

    const postError = (err) => this.client.postInvocationError(id, toRuntimeErrorBody(err)).catch(fatal);
    const report = {
      success: (result) => {
        let serialized;
        try {
          serialized = serializeResult(result);
        } catch (err) {
          logError('Invoke Error', err);
          return postError(err);
        }
        return this.client.postInvocationResponse(id, serialized).catch(fatal);
      },
      error: postError,
    };
    const [callback, context, markCompleted] = buildCallbackContext(report, () => this.scheduleNext());

    this.onUncaughtException = (err) => postError(err).then(() => process.exit(EXIT_UNCAUGHT_EXCEPTION));
    this.onUnhandledRejection = (err) => postError(err).then(() => process.exit(EXIT_UNHANDLED_REJECTION));
    beforeExit.set(() => {
      markCompleted();
      if (this.isAsync) {
        const err = new NodeJsExit();
        logError('Invoke Error', err);
        postError(err).then(() => this.scheduleNext());
      } else {
        this.client.postInvocationResponse(id, 'null').then(() => this.scheduleNext(), fatal);
      }
    });

    try {
      forwardTraceId(headers);
      const result = this.handler(JSON.parse(body), Object.assign(context, invocationFields(headers)), callback);
      if (isPromise(result)) result.then(context.succeed, context.fail).catch(context.fail);
    } catch (err) {
      callback(err);
    }
  }
}

async function main() {
  patchConsole();
  warnIfRetiredRuntime();
  installSdkFallback();
  installSdkV2Config();

  const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API);
  let runtime;
  const initErrors = {
    uncaught: (err) => client.postInitError(toRuntimeErrorBody(err)).then(() => process.exit(EXIT_UNCAUGHT_EXCEPTION), fatal),
    rejection: (err) => client.postInitError(toRuntimeErrorBody(err)).then(() => process.exit(EXIT_UNHANDLED_REJECTION), fatal),
  };
  process.on('uncaughtException', (err) => {
    logError('Uncaught Exception', err);
    (runtime ? runtime.onUncaughtException : initErrors.uncaught)(err);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const err = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', err);
    (runtime ? runtime.onUnhandledRejection : initErrors.rejection)(err);
  });
  process.on('beforeExit', () => beforeExit.invoke());

  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  let handler;
  try {
    handler = await loadHandler(taskRoot, process.env._HANDLER, createRequire(import.meta.url));
  } catch (err) {
    logError('Uncaught Exception', err);
    await initErrors.uncaught(err);
    return;
  }
  runtime = new Runtime(client, handler, initErrors);
  runtime.scheduleNext();
}

main().catch(fatal);
