// A handler written exactly as for AWS Lambda: it greets, and shows what the platform tells it.
exports.handler = async (event, context) => {
  console.log('event', JSON.stringify(event));
  return {
    message: `hello ${event.name ?? 'world'}`,
    requestId: context.awsRequestId,
    remainingMs: context.getRemainingTimeInMillis(),
    memoryLimitInMB: context.memoryLimitInMB,
    initializationType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
  };
};
