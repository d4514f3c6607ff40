// Throws from an async handler: the invocation fails with errorType "TypeError".
exports.handler = async (event) => {
  const e = new TypeError(`bad input: ${JSON.stringify(event)}`);
  throw e;
};
