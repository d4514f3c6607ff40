// `lambkin run --require-auth --credentials FILE` with AWS SDK v3 clients: the right key pair
// gets through, a wrong secret or an unknown key gets DynamoDB's and S3's own errors; and Node
// functions (SDK v3 through AWS_ENDPOINT_URL, SDK v2 through lambkin's global config) still reach
// DynamoDB, signing with the key pair lambkin gives their environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { startLambkin } from './lambkin.mjs';

const dir = mkdtempSync(join(tmpdir(), 'lambkin-sigv4-'));
const keys = join(dir, 'credentials');
// The AWS shared-credentials form: every profile's pair is accepted, functions get the first.
// Profiles in anything but alphabetical order: the first in the file is the functions'.
writeFileSync(keys, '[zeta]\naws_access_key_id = AKIDNODETEST00000001\naws_secret_access_key = node/secret/one\n' +
                    '[alpha]\naws_access_key_id = AKIDNODETEST00000002\naws_secret_access_key = node/secret/two\n');
function fn(name, file, text) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, file), text);
  return join(dir, name);
}
const v3 = fn('v3', 'index.mjs', `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  await db.send(new PutItemCommand({ TableName: 'Readings', Item: { id: { S: event.id } } }));
  return { stored: event.id, key: process.env.AWS_ACCESS_KEY_ID };
};`);
const v2 = fn('v2', 'index.js', `const AWS = require('aws-sdk');
exports.handler = async () => ({ tables: (await new AWS.DynamoDB().listTables().promise()).TableNames });`);

const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Readings:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Readings
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
  Uploads:
    Type: AWS::S3::Bucket
    Properties: {BucketName: uploads}
  StoreV3:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: StoreV3, Runtime: nodejs20.x, Handler: index.handler, CodeUri: ${v3}, Timeout: 30}
  ListV2:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: ListV2, Runtime: nodejs20.x, Handler: index.handler, CodeUri: ${v2}, Timeout: 30}
`;

const creds = (accessKeyId, secretAccessKey) => ({ accessKeyId, secretAccessKey });
const good = creds('AKIDNODETEST00000002', 'node/secret/two');

test('SDK v3 clients and functions under --require-auth', async (t) => {
  const lk = await startLambkin(template, ['--require-auth', '--credentials', keys]);
  t.after(async () => { await lk.stop(); rmSync(dir, { recursive: true, force: true }); });
  const base = { endpoint: lk.endpoint, region: 'us-east-1', maxAttempts: 1 };

  await t.test('DynamoDB: right key, wrong secret, unknown key', async () => {
    const ok = await new DynamoDBClient({ ...base, credentials: good }).send(new ListTablesCommand({}));
    assert.deepEqual(ok.TableNames, ['Readings']);
    await assert.rejects(new DynamoDBClient({ ...base, credentials: creds(good.accessKeyId, 'wrong') }).send(new ListTablesCommand({})),
      (e) => e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 400);
    await assert.rejects(new DynamoDBClient({ ...base, credentials: creds('AKIDUNKNOWN', 'x') }).send(new ListTablesCommand({})),
      (e) => e.name === 'UnrecognizedClientException');
  });

  await t.test('S3: put and get with the right key, SignatureDoesNotMatch with a wrong secret', async () => {
    const s3 = new S3Client({ ...base, credentials: good, forcePathStyle: true });
    await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'a b/c.txt', Body: 'signed body' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'a b/c.txt' }));
    assert.equal(await got.Body.transformToString(), 'signed body');
    const bad = new S3Client({ ...base, credentials: creds(good.accessKeyId, 'wrong'), forcePathStyle: true });
    await assert.rejects(bad.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'a b/c.txt' })),
      (e) => e.name === 'SignatureDoesNotMatch' && e.$metadata.httpStatusCode === 403);
  });

  await t.test('functions sign with the first configured key (SDK v3 and v2)', async () => {
    const lambda = new LambdaClient({ ...base, credentials: good });
    const r = await lambda.send(new InvokeCommand({ FunctionName: 'StoreV3', Payload: JSON.stringify({ id: 'r-1' }) }));
    const out = JSON.parse(Buffer.from(r.Payload).toString());
    assert.equal(r.FunctionError, undefined, JSON.stringify(out));
    assert.deepEqual(out, { stored: 'r-1', key: 'AKIDNODETEST00000001' });
    const item = await new DynamoDBClient({ ...base, credentials: good }).send(
      new GetItemCommand({ TableName: 'Readings', Key: { id: { S: 'r-1' } } }));
    assert.deepEqual(item.Item, { id: { S: 'r-1' } });
    const v2r = await lambda.send(new InvokeCommand({ FunctionName: 'ListV2' }));
    const v2out = JSON.parse(Buffer.from(v2r.Payload).toString());
    assert.equal(v2r.FunctionError, undefined, JSON.stringify(v2out));
    assert.deepEqual(v2out, { tables: ['Readings'] });
    await assert.rejects(new LambdaClient({ ...base, credentials: creds(good.accessKeyId, 'wrong') })
      .send(new InvokeCommand({ FunctionName: 'StoreV3', Payload: '{"id":"no"}' })),
    (e) => e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 403);
  });
});
