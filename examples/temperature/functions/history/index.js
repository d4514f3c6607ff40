// GetTemperatureHistory: behind an API Gateway HTTP API (payload format 2.0).
//
//   GET /devices                          {"devices": ["dev-1", "dev-2"]}
//   GET /devices/{id}/temperature?limit=N {"deviceId": "dev-1", "readings": [{"ts": …, "temperature": …}, …]}
//                                         newest first; N defaults to 100 (at most 1000)
//   GET /devices/{id}/stats               {"deviceId": "dev-1", "count": …, "min": …, "max": …,
//                                          "average": …, "latest": {"ts": …, "temperature": …}}
//
// An unknown device answers 404 {"message": "device dev-9 has no readings"}.
const { DynamoDBClient, QueryCommand, ScanCommand } = require("@aws-sdk/client-dynamodb");

const client = new DynamoDBClient({});
const tableName = process.env.TABLE_NAME;

const json = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const toReading = (item) => ({ ts: Number(item.ts.N), temperature: Number(item.temperature.N) });

async function listDevices() {
  const devices = new Set();
  let startKey;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ProjectionExpression: "deviceId",
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) devices.add(item.deviceId.S);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return json(200, { devices: [...devices].sort() });
}

// Readings of one device, newest first; all of them when `limit` is undefined.
async function queryReadings(deviceId, limit) {
  const readings = [];
  let startKey;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: "deviceId = :id",
        ExpressionAttributeValues: { ":id": { S: deviceId } },
        ScanIndexForward: false,
        Limit: limit === undefined ? undefined : limit - readings.length,
        ExclusiveStartKey: startKey,
      }),
    );
    readings.push(...(page.Items ?? []).map(toReading));
    startKey = page.LastEvaluatedKey;
  } while (startKey && (limit === undefined || readings.length < limit));
  return readings;
}

const notFound = (deviceId) => json(404, { message: `device ${deviceId} has no readings` });

async function deviceTemperature(deviceId, query) {
  const requested = Number.parseInt(query?.limit ?? "100", 10);
  if (!Number.isInteger(requested) || requested < 1) {
    return json(400, { message: "limit must be a positive integer" });
  }
  const readings = await queryReadings(deviceId, Math.min(requested, 1000));
  if (readings.length === 0) return notFound(deviceId);
  return json(200, { deviceId, readings });
}

async function deviceStats(deviceId) {
  const readings = await queryReadings(deviceId, undefined);
  if (readings.length === 0) return notFound(deviceId);
  // reduce, not Math.min(...all): a long history would overflow the argument list.
  const temperatures = readings.map((r) => r.temperature);
  const sum = temperatures.reduce((a, b) => a + b, 0);
  return json(200, {
    deviceId,
    count: readings.length,
    min: temperatures.reduce((a, b) => Math.min(a, b)),
    max: temperatures.reduce((a, b) => Math.max(a, b)),
    average: Math.round((sum / readings.length) * 100) / 100,
    latest: readings[0],
  });
}

exports.handler = async (event) => {
  const deviceId = event.pathParameters?.id;
  switch (event.routeKey) {
    case "GET /devices":
      return listDevices();
    case "GET /devices/{id}/temperature":
      return deviceTemperature(deviceId, event.queryStringParameters);
    case "GET /devices/{id}/stats":
      return deviceStats(deviceId);
    default:
      return json(404, { message: `no route for ${event.routeKey}` });
  }
};
