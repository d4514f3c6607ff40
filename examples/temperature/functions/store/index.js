// StoreTemperature: invoked asynchronously by the IoT rule
//   SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'
// with the rule's result as the event, e.g. {"temperature": 21.5, "deviceId": "dev-1", "ts": 1700000000000}.
// Stores one item per reading in TABLE_NAME (partition key deviceId, sort key ts).
//
// The AWS SDK finds its endpoint as on AWS; under lambkin, AWS_ENDPOINT_URL points it at the
// emulator's DynamoDB API.
const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME;

exports.handler = async (event) => {
  const { deviceId, ts, temperature } = event;
  if (typeof deviceId !== "string" || deviceId === "") {
    throw new Error(`reading without a deviceId: ${JSON.stringify(event)}`);
  }
  if (typeof temperature !== "number" || !Number.isFinite(temperature)) {
    throw new Error(`reading from ${deviceId} without a numeric temperature: ${JSON.stringify(event)}`);
  }
  const timestamp = Number.isFinite(ts) ? ts : Date.now();

  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        deviceId: { S: deviceId },
        ts: { N: String(timestamp) },
        temperature: { N: String(temperature) },
      },
    }),
  );
  console.log(JSON.stringify({ stored: { deviceId, ts: timestamp, temperature } }));
  return { deviceId, ts: timestamp, temperature };
};
