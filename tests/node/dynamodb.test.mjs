// AWS SDK v3's DynamoDBClient and DynamoDBDocumentClient against lambkin's table store, unchanged
// but for the endpoint: pagination, conditional writes, transactions, an index query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ConditionalCheckFailedException,
  ResourceNotFoundException, TransactionCanceledException, paginateQuery,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, QueryCommand, ScanCommand,
  TransactWriteCommand, BatchWriteCommand, DeleteCommand,
} from '@aws-sdk/lib-dynamodb';
import { startLambkin } from './lambkin.mjs';

const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Readings:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: Readings
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {AttributeName: deviceId, AttributeType: S}
        - {AttributeName: ts, AttributeType: N}
        - {AttributeName: room, AttributeType: S}
      KeySchema:
        - {AttributeName: deviceId, KeyType: HASH}
        - {AttributeName: ts, KeyType: RANGE}
      GlobalSecondaryIndexes:
        - IndexName: byRoom
          KeySchema:
            - {AttributeName: room, KeyType: HASH}
            - {AttributeName: ts, KeyType: RANGE}
          Projection: {ProjectionType: ALL}
`;

const clients = (endpoint) => {
  const client = new DynamoDBClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1,
  });
  return { client, doc: DynamoDBDocumentClient.from(client) };
};

test('DynamoDB with the AWS SDK v3: document client, pagination, conditions, transactions, GSI', async () => {
  const lk = await startLambkin(template);
  try {
    const { client, doc } = clients(lk.endpoint);
    const described = await client.send(new DescribeTableCommand({ TableName: 'Readings' }));
    assert.equal(described.Table.TableStatus, 'ACTIVE');

    // BatchWrite 25 at a time, then page through a Query (the SDK's paginator follows LastEvaluatedKey).
    for (let batch = 0; batch < 2; ++batch) {
      const items = [];
      for (let i = 0; i < 20; ++i) {
        const ts = batch * 20 + i;
        items.push({ PutRequest: { Item: { deviceId: 'dev-1', ts, temperature: 20 + ts / 10, room: ts % 2 ? 'lab' : 'hall' } } });
      }
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { Readings: items } }));
      assert.deepEqual(out.UnprocessedItems, {});
    }
    const seen = [];
    for await (const page of paginateQuery({ client, pageSize: 7 }, {
      TableName: 'Readings', KeyConditionExpression: 'deviceId = :d',
      ExpressionAttributeValues: { ':d': { S: 'dev-1' } },
    })) {
      assert.ok(page.Count <= 7);
      for (const it of page.Items) seen.push(Number(it.ts.N));
    }
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i));

    const latest = await doc.send(new QueryCommand({
      TableName: 'Readings', KeyConditionExpression: 'deviceId = :d AND ts > :t',
      ExpressionAttributeValues: { ':d': 'dev-1', ':t': 30 }, ScanIndexForward: false, Limit: 3,
      ProjectionExpression: 'ts, temperature',
    }));
    assert.deepEqual(latest.Items.map((i) => i.ts), [39, 38, 37]);
    assert.equal(latest.Items[0].temperature, 23.9);
    assert.equal(latest.Items[0].room, undefined);

    // Conditional writes: the SDK raises ConditionalCheckFailedException.
    await doc.send(new PutCommand({
      TableName: 'Readings', Item: { deviceId: 'dev-2', ts: 1, temperature: 18 },
      ConditionExpression: 'attribute_not_exists(deviceId)',
    }));
    await assert.rejects(
      doc.send(new PutCommand({
        TableName: 'Readings', Item: { deviceId: 'dev-2', ts: 1, temperature: 99 },
        ConditionExpression: 'attribute_not_exists(deviceId)',
      })),
      (e) => e instanceof ConditionalCheckFailedException && e.message === 'The conditional request failed');
    const updated = await doc.send(new UpdateCommand({
      TableName: 'Readings', Key: { deviceId: 'dev-2', ts: 1 },
      UpdateExpression: 'SET temperature = temperature + :d, #n = list_append(if_not_exists(#n, :empty), :note)',
      ConditionExpression: 'temperature < :max',
      ExpressionAttributeNames: { '#n': 'notes' },
      ExpressionAttributeValues: { ':d': 0.5, ':max': 30, ':empty': [], ':note': ['checked'] },
      ReturnValues: 'ALL_NEW',
    }));
    assert.equal(updated.Attributes.temperature, 18.5);
    assert.deepEqual(updated.Attributes.notes, ['checked']);
    const got = await doc.send(new GetCommand({ TableName: 'Readings', Key: { deviceId: 'dev-2', ts: 1 } }));
    assert.equal(got.Item.temperature, 18.5);

    // Transactions: all or nothing, with a reason per action.
    await assert.rejects(
      doc.send(new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'Readings', Item: { deviceId: 'dev-3', ts: 1 } } },
          { ConditionCheck: { TableName: 'Readings', Key: { deviceId: 'dev-2', ts: 1 }, ConditionExpression: 'temperature > :t',
                              ExpressionAttributeValues: { ':t': 100 } } },
        ],
      })),
      (e) => e instanceof TransactionCanceledException &&
        e.CancellationReasons.map((r) => r.Code).join(',') === 'None,ConditionalCheckFailed');
    assert.equal((await doc.send(new GetCommand({ TableName: 'Readings', Key: { deviceId: 'dev-3', ts: 1 } }))).Item, undefined);
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'Readings', Item: { deviceId: 'dev-3', ts: 1, room: 'lab' } } },
        { Delete: { TableName: 'Readings', Key: { deviceId: 'dev-2', ts: 1 } } },
      ],
    }));
    assert.equal((await doc.send(new GetCommand({ TableName: 'Readings', Key: { deviceId: 'dev-2', ts: 1 } }))).Item, undefined);

    // The GSI: every odd reading of dev-1 plus dev-3's, sorted by ts.
    const lab = await doc.send(new QueryCommand({
      TableName: 'Readings', IndexName: 'byRoom', KeyConditionExpression: 'room = :r AND ts BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':r': 'lab', ':a': 0, ':b': 5 },
    }));
    assert.deepEqual(lab.Items.map((i) => `${i.deviceId}/${i.ts}`), ['dev-1/1', 'dev-3/1', 'dev-1/3', 'dev-1/5']);

    const count = await doc.send(new ScanCommand({ TableName: 'Readings', Select: 'COUNT', FilterExpression: 'room = :r',
                                                   ExpressionAttributeValues: { ':r': 'hall' } }));
    assert.equal(count.Count, 20);
    await doc.send(new DeleteCommand({ TableName: 'Readings', Key: { deviceId: 'dev-3', ts: 1 } }));

    await assert.rejects(doc.send(new GetCommand({ TableName: 'Nope', Key: { id: 'x' } })),
      (e) => e instanceof ResourceNotFoundException);
    await client.send(new CreateTableCommand({
      TableName: 'Made', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await doc.send(new PutCommand({ TableName: 'Made', Item: { id: 'x', tags: new Set(['a', 'b']), n: null } }));
    const made = await doc.send(new GetCommand({ TableName: 'Made', Key: { id: 'x' } }));
    assert.deepEqual(made.Item.tags, new Set(['a', 'b']));
    assert.equal(made.Item.n, null);
  } finally {
    assert.equal(await lk.stop(), 0);
  }
});
