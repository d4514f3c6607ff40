// GetTemperatureHistory: behind an API Gateway HTTP API (payload format 2.0).
//
//   GET /                                   an HTML page charting every device's history
//   GET /devices                            {"devices": ["dev-1", "dev-2"]}
//   GET /devices/{id}/temperature?from=&to=&limit=
//                                           {"deviceId": "dev-1", "readings": [{"ts": …, "temperature": …}, …]}
//                                           newest first; from/to are epoch milliseconds (inclusive);
//                                           limit defaults to 100 (at most 1000)
//   GET /devices/{id}/stats                 {"deviceId": "dev-1", "count": …, "min": …, "max": …, "mean": …,
//                                            "latest": {…}, "hours": [{"hour": "2026-11-27T09:00:00Z",
//                                            "count": …, "min": …, "max": …, "mean": …}, …]}
//
// An unknown device answers 404 {"message": "device dev-9 has no readings"}.
const { DynamoDBClient } = require("@aws-sdk/client-dynamodb");
const { DynamoDBDocumentClient, QueryCommand, ScanCommand } = require("@aws-sdk/lib-dynamodb");
const { chartPage } = require("./chart");

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = process.env.TABLE_NAME;

const json = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const badRequest = (message) => json(400, { message });
const notFound = (deviceId) => json(404, { message: `device ${deviceId} has no readings` });

async function listDevices() {
  const devices = new Set();
  let startKey;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ProjectionExpression: "deviceId", ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) devices.add(item.deviceId);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return json(200, { devices: [...devices].sort() });
}

// Readings of one device between `from` and `to` (inclusive), newest first, at most `limit`
// (all of them when undefined).
async function queryReadings(deviceId, { from, to, limit }) {
  const values = { ":id": deviceId };
  let condition = "deviceId = :id";
  if (from !== undefined && to !== undefined) {
    condition += " AND ts BETWEEN :from AND :to";
    Object.assign(values, { ":from": from, ":to": to });
  } else if (from !== undefined) {
    condition += " AND ts >= :from";
    values[":from"] = from;
  } else if (to !== undefined) {
    condition += " AND ts <= :to";
    values[":to"] = to;
  }
  const readings = [];
  let startKey;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ProjectionExpression: "ts, temperature",
        ScanIndexForward: false,
        Limit: limit === undefined ? undefined : limit - readings.length,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) readings.push({ ts: item.ts, temperature: item.temperature });
    startKey = page.LastEvaluatedKey;
  } while (startKey && (limit === undefined || readings.length < limit));
  return readings;
}

// Query-string integers: undefined when absent, NaN when not a whole number.
function integerParam(query, name) {
  const text = query?.[name];
  if (text === undefined || text === "") return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : NaN;
}

async function deviceTemperature(deviceId, query) {
  const from = integerParam(query, "from");
  const to = integerParam(query, "to");
  const limit = integerParam(query, "limit") ?? 100;
  if (Number.isNaN(from) || Number.isNaN(to)) return badRequest("from and to must be epoch milliseconds");
  if (!Number.isInteger(limit) || limit < 1) return badRequest("limit must be a positive integer");
  if (from !== undefined && to !== undefined && from > to) return badRequest("from must not be after to");
  const readings = await queryReadings(deviceId, { from, to, limit: Math.min(limit, 1000) });
  if (readings.length === 0) {
    // An empty window of a known device is an empty list; a device with no readings at all is 404.
    if (from === undefined && to === undefined) return notFound(deviceId);
    const any = await queryReadings(deviceId, { limit: 1 });
    if (any.length === 0) return notFound(deviceId);
  }
  return json(200, { deviceId, readings });
}

const round2 = (x) => Math.round(x * 100) / 100;

function summarise(temperatures) {
  // reduce, not Math.min(...all): a long history would overflow the argument list.
  const sum = temperatures.reduce((a, b) => a + b, 0);
  return {
    count: temperatures.length,
    min: temperatures.reduce((a, b) => Math.min(a, b)),
    max: temperatures.reduce((a, b) => Math.max(a, b)),
    mean: round2(sum / temperatures.length),
  };
}

async function deviceStats(deviceId) {
  const readings = await queryReadings(deviceId, {});
  if (readings.length === 0) return notFound(deviceId);
  const byHour = new Map();
  for (const r of readings) {
    const hour = Math.floor(r.ts / 3_600_000) * 3_600_000;
    if (!byHour.has(hour)) byHour.set(hour, []);
    byHour.get(hour).push(r.temperature);
  }
  const hours = [...byHour.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hour, temps]) => ({ hour: new Date(hour).toISOString().replace(".000Z", "Z"), ...summarise(temps) }));
  return json(200, {
    deviceId,
    ...summarise(readings.map((r) => r.temperature)),
    latest: readings[0],
    hours,
  });
}

exports.handler = async (event) => {
  const deviceId = event.pathParameters?.id;
  switch (event.routeKey) {
    case "GET /":
      return { statusCode: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: chartPage() };
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
