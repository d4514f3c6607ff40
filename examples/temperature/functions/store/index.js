// StoreTemperature: invoked asynchronously by the IoT rule
//   SELECT temperature, topic(2) AS deviceId, timestamp() AS ts FROM 'things/+/temperature'
// with the rule's result as the event, e.g. {"temperature": 21.5, "deviceId": "dev-1", "ts": 1700000000000}.
// Stores one item per reading in TABLE_NAME (partition key deviceId, sort key ts), with the time it
// was stored (storedAt, epoch ms; bench/pipeline_bench.sh measures ts → storedAt).
//
// The AWS SDK finds its endpoint as on AWS; under lambkin, AWS_ENDPOINT_URL points it at the
// emulator's DynamoDB API.
const { DynamoDBClient, PutItemCommand, ConditionalCheckFailedException } = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME;

exports.handler = async (event) => {
  const { deviceId, ts } = event;
  // The rule lets numeric strings through ("21.5" > -273.15 is true in AWS IoT SQL): store numbers.
  const temperature = typeof event.temperature === "string" ? Number(event.temperature) : event.temperature;
  if (typeof deviceId !== "string" || deviceId === "") {
    throw new Error(`reading without a deviceId: ${JSON.stringify(event)}`);
  }
  if (typeof temperature !== "number" || !Number.isFinite(temperature)) {
    throw new Error(`reading from ${deviceId} without a numeric temperature: ${JSON.stringify(event)}`);
  }
  let timestamp = Number.isFinite(ts) ? ts : Date.now();

  // Two readings of one device can arrive in the same millisecond: the second would overwrite the
  // first. A conditional put keeps both, moving the later one to the next free millisecond.
  for (let attempt = 0; ; attempt++) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            deviceId: { S: deviceId },
            ts: { N: String(timestamp) },
            temperature: { N: String(temperature) },
            storedAt: { N: String(Date.now()) },
          },
          ConditionExpression: "attribute_not_exists(ts)",
        }),
      );
      break;
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException) || attempt >= 100) throw err;
      timestamp += 1;
    }
  }
  if (process.env.LOG_LEVEL === "debug") console.log(JSON.stringify({ stored: { deviceId, ts: timestamp, temperature } }));
  return { deviceId, ts: timestamp, temperature };
};
