// Async handler: echoes the event with the context fields lambkin must provide.
exports.handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  return {
    event,
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: context.functionVersion,
    memoryLimitInMB: context.memoryLimitInMB,
    invokedFunctionArn: context.invokedFunctionArn,
    logGroupName: context.logGroupName,
    logStreamName: context.logStreamName,
    remainingTimeInMillis: context.getRemainingTimeInMillis(),
    traceId: process.env._X_AMZN_TRACE_ID,
  };
};
