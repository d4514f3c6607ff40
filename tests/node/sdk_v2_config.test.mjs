// runtime/nodejs/lib/sdk_v2_config.mjs in this process, against the real aws-sdk (v2) of
// runtime/nodejs/sdk: lambkin's defaults reach every service, and what a handler sets wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installSdkV2Config } from '../../runtime/nodejs/lib/sdk_v2_config.mjs';

const sdkDir = join(process.env.LAMBKIN_SOURCE_DIR ?? join(import.meta.dirname, '../..'), 'runtime/nodejs/sdk');
const requireSdk = createRequire(join(sdkDir, 'package.json'));
const env = {
  AWS_ENDPOINT_URL: 'http://127.0.0.1:4599', AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKLAMBKIN', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token',
};
process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs20.x';  // no end-of-support notice on stderr

test('v2 services get lambkin\'s endpoint, path-style S3, region and credentials; the handler\'s own settings win', () => {
  installSdkV2Config(env);
  // aws-sdk/clients/s3 reaches lib/core without lib/aws.js: the watch still sees it.
  const S3 = requireSdk('aws-sdk/clients/s3');
  const s3 = new S3();
  assert.equal(s3.endpoint.href, 'http://127.0.0.1:4599/');
  assert.equal(s3.config.s3ForcePathStyle, true);
  assert.equal(s3.config.region, 'eu-west-1');
  assert.equal(s3.config.credentials.accessKeyId, 'AKLAMBKIN');
  assert.equal(s3.config.credentials.sessionToken, 'token');

  const AWS = requireSdk('aws-sdk');
  assert.equal(new AWS.DynamoDB().endpoint.href, 'http://127.0.0.1:4599/');
  assert.equal(new AWS.Lambda().endpoint.href, 'http://127.0.0.1:4599/');
  assert.equal(new AWS.S3({ endpoint: 'http://elsewhere:1' }).endpoint.href, 'http://elsewhere:1/');

  AWS.config = new AWS.Config({ endpoint: 'http://mine:2', region: 'ap-south-1' });
  const mine = new AWS.S3();
  assert.equal(mine.endpoint.href, 'http://mine:2/');
  assert.equal(mine.config.region, 'ap-south-1');
  assert.equal(mine.config.s3ForcePathStyle, true);

  AWS.config = new AWS.Config();
  assert.equal(new AWS.S3().endpoint.href, 'http://127.0.0.1:4599/');
  AWS.config.update({ endpoint: 'http://updated:3' });
  assert.equal(new AWS.SQS().endpoint.href, 'http://updated:3/');
});
