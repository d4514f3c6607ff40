// AWS SDK v3's S3Client against lambkin's S3 API, unchanged but for the endpoint; and the
// staggered cold-start scenario of examples/coldstart/s3-staggered, asserted from the metrics
// and the lifecycle timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, ListBucketsCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, CopyObjectCommand, DeleteObjectsCommand, DeleteObjectCommand, DeleteBucketCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, NoSuchKey, NoSuchBucket,
  BucketAlreadyOwnedByYou,
} from '@aws-sdk/client-s3';
import { startLambkin } from './lambkin.mjs';

const sourceDir = process.env.LAMBKIN_SOURCE_DIR;

const s3 = (endpoint) => new S3Client({
  endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

const md5 = (data) => createHash('md5').update(data).digest();

test('S3Client: buckets, objects with metadata, listing with a delimiter, copy, multipart, errors', async () => {
  const lk = await startLambkin('Transform: AWS::Serverless-2016-10-31\nResources:\n  B:\n    Type: AWS::S3::Bucket\n' +
                                '    Properties:\n      BucketName: sdk-bucket\n');
  try {
    const client = s3(lk.endpoint);
    const listed = await client.send(new ListBucketsCommand({}));
    assert.deepEqual(listed.Buckets.map((b) => b.Name), ['sdk-bucket']);
    assert.ok(listed.Buckets[0].CreationDate instanceof Date);
    await client.send(new CreateBucketCommand({ Bucket: 'second' }));
    await assert.rejects(client.send(new CreateBucketCommand({ Bucket: 'second' })), (err) => {
      assert.ok(err instanceof BucketAlreadyOwnedByYou);
      assert.equal(err.$metadata.httpStatusCode, 409);
      return true;
    });

    const put = await client.send(new PutObjectCommand({
      Bucket: 'sdk-bucket', Key: 'a/b c.json', Body: '{"hello":"s3"}', ContentType: 'application/json',
      Metadata: { owner: 'ana' },
    }));
    assert.equal(put.ETag, `"${md5('{"hello":"s3"}').toString('hex')}"`);
    // A stream of unknown content: the SDK sends it aws-chunked with a trailing checksum.
    const streamed = Buffer.alloc(100000, 7);
    await client.send(new PutObjectCommand({
      Bucket: 'sdk-bucket', Key: 'a/stream.bin', Body: Readable.from([streamed.subarray(0, 40000), streamed.subarray(40000)]),
      ContentLength: streamed.length,
    }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'a/stream.bin' }));
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), streamed);

    const head = await client.send(new HeadObjectCommand({ Bucket: 'sdk-bucket', Key: 'a/b c.json' }));
    assert.equal(head.ContentType, 'application/json');
    assert.equal(head.ContentLength, 14);
    assert.deepEqual(head.Metadata, { owner: 'ana' });
    const range = await client.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'a/b c.json', Range: 'bytes=2-6' }));
    assert.equal(await range.Body.transformToString(), 'hello');
    assert.equal(range.ContentRange, 'bytes 2-6/14');

    await client.send(new CopyObjectCommand({ Bucket: 'second', Key: 'copy.json', CopySource: 'sdk-bucket/a/b%20c.json' }));
    const copy = await client.send(new GetObjectCommand({ Bucket: 'second', Key: 'copy.json' }));
    assert.equal(await copy.Body.transformToString(), '{"hello":"s3"}');

    for (const key of ['top.txt', 'a/deeper/x.txt', 'b/y.txt']) {
      await client.send(new PutObjectCommand({ Bucket: 'sdk-bucket', Key: key, Body: key }));
    }
    const root = await client.send(new ListObjectsV2Command({ Bucket: 'sdk-bucket', Delimiter: '/' }));
    assert.deepEqual(root.CommonPrefixes.map((p) => p.Prefix), ['a/', 'b/']);
    assert.deepEqual(root.Contents.map((o) => o.Key), ['top.txt']);
    const underA = await client.send(new ListObjectsV2Command({ Bucket: 'sdk-bucket', Prefix: 'a/', Delimiter: '/' }));
    assert.deepEqual(underA.Contents.map((o) => o.Key), ['a/b c.json', 'a/stream.bin']);
    assert.deepEqual(underA.CommonPrefixes.map((p) => p.Prefix), ['a/deeper/']);
    const keys = [];
    let token;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'sdk-bucket', MaxKeys: 2, ContinuationToken: token }));
      assert.ok(page.KeyCount <= 2);
      keys.push(...page.Contents.map((o) => o.Key));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    assert.deepEqual(keys, ['a/b c.json', 'a/deeper/x.txt', 'a/stream.bin', 'b/y.txt', 'top.txt']);

    // Multipart: two 5 MiB parts and a short last one; S3's ETag is md5(md5s) + "-3".
    const parts = [Buffer.alloc(5 * 1024 * 1024, 1), Buffer.alloc(5 * 1024 * 1024, 2), Buffer.from('tail')];
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'sdk-bucket', Key: 'big.bin' }));
    const uploaded = [];
    for (const [i, part] of parts.entries()) {
      const r = await client.send(new UploadPartCommand({ Bucket: 'sdk-bucket', Key: 'big.bin', UploadId, PartNumber: i + 1, Body: part }));
      uploaded.push({ ETag: r.ETag, PartNumber: i + 1 });
    }
    const done = await client.send(new CompleteMultipartUploadCommand({
      Bucket: 'sdk-bucket', Key: 'big.bin', UploadId, MultipartUpload: { Parts: uploaded },
    }));
    assert.equal(done.ETag, `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3"`);
    const big = await client.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'big.bin' }));
    assert.deepEqual(Buffer.from(await big.Body.transformToByteArray()), Buffer.concat(parts));

    await assert.rejects(client.send(new GetObjectCommand({ Bucket: 'sdk-bucket', Key: 'nope' })), (err) => {
      assert.ok(err instanceof NoSuchKey);
      assert.equal(err.$metadata.httpStatusCode, 404);
      return true;
    });
    await assert.rejects(client.send(new ListObjectsV2Command({ Bucket: 'nobucket' })), (err) => {
      assert.ok(err instanceof NoSuchBucket);
      return true;
    });
    await assert.rejects(client.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' })), (err) => {
      assert.equal(err.name, 'BucketNotEmpty');
      assert.equal(err.$metadata.httpStatusCode, 409);
      return true;
    });
    const removed = await client.send(new DeleteObjectsCommand({
      Bucket: 'sdk-bucket', Delete: { Objects: keys.concat(['big.bin']).map((Key) => ({ Key })) },
    }));
    assert.equal(removed.Deleted.length, 6);
    await client.send(new DeleteObjectCommand({ Bucket: 'sdk-bucket', Key: 'already-gone' }));
    await client.send(new DeleteBucketCommand({ Bucket: 'sdk-bucket' }));
    assert.deepEqual((await client.send(new ListBucketsCommand({}))).Buckets.map((b) => b.Name), ['second']);
  } finally {
    assert.equal(await lk.stop(), 0);
  }
});

/** Resolves once lambkin's stderr has shown `text` `count` times (event-driven, no polling). */
function waitForLog(lk, text, count) {
  const seen = () => lk.log().split(text).length - 1;
  return new Promise((resolve, reject) => {
    if (seen() >= count) { resolve(); return; }
    const timer = setTimeout(() => { lk.stderr.off('data', check); reject(new Error(`timed out waiting for ${count} × ${text}:\n${lk.log()}`)); }, 60000);
    function check() {
      if (seen() >= count) { clearTimeout(timer); lk.stderr.off('data', check); resolve(); }
    }
    lk.stderr.on('data', check);
  });
}

test('six objects at once, reserved concurrency 1: one environment, one cold start, six invocations in sequence', async () => {
  const dir = join(sourceDir, 'examples/coldstart/s3-staggered');
  const template = readFileSync(join(dir, 'template.yaml'), 'utf8').replace('CodeUri: function/', `CodeUri: ${join(dir, 'function')}`);
  const lk = await startLambkin(template);
  try {
    const client = s3(lk.endpoint);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => client.send(new PutObjectCommand({
      Bucket: 'staggered-uploads', Key: `photo ${i}.jpg`, Body: `photo ${i}`,
    }))));
    await waitForLog(lk, 'REPORT RequestId', 6);

    const metrics = await (await fetch(`${lk.endpoint}/_lambkin/metrics`)).text();
    const value = (name) => metrics.split('\n').filter((l) => l.startsWith(name) && l.includes('ProcessUpload'))
      .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
    assert.equal(value('lambkin_lambda_invocations_total'), 6);
    assert.equal(value('lambkin_lambda_cold_starts_total'), 1);
    assert.equal(value('lambkin_lambda_warm_starts_total'), 5);
    assert.equal(value('lambkin_lambda_throttles_total'), 0);

    const timeline = await (await fetch(`${lk.endpoint}/_lambkin/timeline?function=ProcessUpload`)).json();
    const spans = timeline.events.filter((e) => e.event === 'invoke_start' || e.event === 'invoke_end');
    assert.equal(spans.filter((e) => e.event === 'invoke_start').length, 6);
    assert.equal(new Set(spans.map((e) => e.env)).size, 1);
    assert.equal(spans.filter((e) => e.event === 'invoke_start' && e.cold).length, 1);
    let running = 0;
    for (const e of spans.sort((a, b) => a.seq - b.seq)) {
      running += e.event === 'invoke_start' ? 1 : -1;
      assert.ok(running <= 1, 'two invocations overlapped');
    }
    // Every object was handled, each key decoded from the record's URL encoding.
    for (let i = 1; i <= 6; i++) assert.match(lk.log(), new RegExp(`processed s3://staggered-uploads/photo ${i}\\.jpg`));
  } finally {
    assert.equal(await lk.stop(), 0);
  }
});
