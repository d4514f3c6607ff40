// AWS SDK v3's LambdaClient against lambkin's Invoke API, unchanged but for the endpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LambdaClient, InvokeCommand, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { startLambkin, dataDir } from './lambkin.mjs';

const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ${dataDir}/functions/node-basic
  Fails:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ${dataDir}/functions/node-error
  Closed:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ${dataDir}/functions/node-basic
      ReservedConcurrentExecutions: 0
`;

const client = (endpoint) => new LambdaClient({
  endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

test('InvokeCommand: result, function errors, Tail logs, Event, and AWS errors as SDK exceptions', async () => {
  const lk = await startLambkin(template);
  try {
    const lambda = client(lk.endpoint);
    const ok = await lambda.send(new InvokeCommand({
      FunctionName: 'Echo', Payload: JSON.stringify({ from: 'sdk' }), LogType: 'Tail',
    }));
    assert.equal(ok.StatusCode, 200);
    assert.equal(ok.ExecutedVersion, '$LATEST');
    assert.equal(ok.FunctionError, undefined);
    const body = JSON.parse(Buffer.from(ok.Payload).toString());
    assert.deepEqual(body.event, { from: 'sdk' });
    assert.match(Buffer.from(ok.LogResult, 'base64').toString(), /REPORT RequestId: .*Init Duration/);

    const failed = await lambda.send(new InvokeCommand({ FunctionName: 'Fails', Payload: '{}' }));
    assert.equal(failed.StatusCode, 200);
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.equal(JSON.parse(Buffer.from(failed.Payload).toString()).errorType, 'TypeError');

    const queued = await lambda.send(new InvokeCommand({ FunctionName: 'Echo', InvocationType: 'Event', Payload: '{}' }));
    assert.equal(queued.StatusCode, 202);

    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'Nope' })), (err) => {
      assert.ok(err instanceof ResourceNotFoundException);
      assert.match(err.message, /Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope/);
      return true;
    });
    await assert.rejects(lambda.send(new InvokeCommand({ FunctionName: 'Closed' })), (err) => {
      assert.ok(err instanceof TooManyRequestsException);
      assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      assert.equal(err.$metadata.httpStatusCode, 429);
      return true;
    });
  } finally {
    assert.equal(await lk.stop(), 0);
  }
});
