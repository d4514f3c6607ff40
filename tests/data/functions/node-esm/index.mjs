// ES module handler (index.mjs, `export const`): returns a greeting and the request id.
export const handler = async (event, context) => ({
  message: `hello ${event.name ?? 'world'}`,
  module: 'esm',
  awsRequestId: context.awsRequestId,
});
