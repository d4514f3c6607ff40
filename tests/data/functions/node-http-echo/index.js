// An API Gateway integration for the HTTP API tests: `?mode=` (or the last path segment when
// there is no query) picks what it returns; by default it echoes the event it received.
exports.handler = async (event) => {
  const query = event.queryStringParameters || {};
  const mode = query.mode || '';
  switch (mode) {
    case 'plain':
      return 'Hello from Lambda!';
    case 'object':
      return { message: 'hi', n: 1 };
    case 'cookies':
      return { statusCode: 201, headers: { 'x-custom': 'v', 'content-type': 'text/plain' },
               cookies: ['a=b; Path=/', 'c=d'], body: 'made' };
    case 'binary':
      return { statusCode: 200, headers: { 'content-type': 'image/png' },
               body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]).toString('base64'), isBase64Encoded: true };
    case 'multi':
      return { statusCode: 200, headers: { 'x-one': 'single' }, multiValueHeaders: { 'x-many': ['1', '2'] }, body: 'ok' };
    case 'malformed':
      return { statusCode: 'abc' };
    case 'error':
      throw new Error('boom');
    case 'cors':
      return { statusCode: 200, headers: { 'access-control-allow-origin': 'https://evil.example' }, body: 'cors' };
    case 'sleep':
      await new Promise((resolve) => setTimeout(resolve, 5000));
      return 'late';
    default:
      return { statusCode: 200, headers: { 'content-type': 'application/json', 'x-echo': '1' },
               body: JSON.stringify(event) };
  }
};
