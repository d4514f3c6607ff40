// store_handler_cpu: where a reading's CPU goes with the Node store function, outside the pipeline.
//
//   node bench/store_handler_cpu.mjs AWS_PORT LAMBKIN_PID [N=3000]
//   node bench/store_handler_cpu.mjs - - [N=3000]        (the floor alone, no lambkin)
//
// Calls examples/temperature/functions/store's handler (unchanged: AWS SDK v3 PutItem, signing,
// HTTP keep-alive to AWS_ENDPOINT_URL) N times in a row in this process, against a running
// `lambkin run examples/temperature/template.yaml` (its AWS endpoint on AWS_PORT, its pid
// LAMBKIN_PID), and prints per call: this Node process's CPU time (the handler + the SDK), lambkin's
// CPU time (its DynamoDB endpoint: HTTP, JSON, SQLite) from /proc/PID/stat, and the wall time.
// Then the floor of the SDK: the same PutItemCommand against a Node HTTP server in this process
// that answers `{}` without looking at the request (what the SDK costs when the store is free).
// No Runtime API, no rule, no MQTT: bench/pipeline_bench.sh measures the whole pipeline.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [port, lambkinPid, nArg] = process.argv.slice(2);
if (!port || !lambkinPid) {
  console.error("usage: node bench/store_handler_cpu.mjs AWS_PORT LAMBKIN_PID [N]");
  process.exit(2);
}
const n = Number(nArg ?? 3000);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const clockTick = 1e6 / 100; // µs per clock tick (USER_HZ is 100 on Linux)

function lambkinCpuUs() {
  const fields = readFileSync(`/proc/${lambkinPid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * clockTick; // utime, stime
}

async function measure(label, endpoint, cpuOfServer) {
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.TABLE_NAME = "TemperatureReadings";
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_ACCESS_KEY_ID ??= "test";
  process.env.AWS_SECRET_ACCESS_KEY ??= "test";
  // A fresh module (and DynamoDBClient) per endpoint: the handler reads its environment at load.
  const require = createRequire(import.meta.url);
  const path = require.resolve(join(root, "examples/temperature/functions/store/index.js"));
  delete require.cache[path];
  const { handler } = require(path);
  const device = `cpu-${label}-${process.pid}`;
  for (let i = 0; i < 200; i++) await handler({ deviceId: device, temperature: 20, ts: i }); // warm-up
  const cpu0 = process.cpuUsage();
  const server0 = cpuOfServer();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await handler({ deviceId: device, temperature: 20 + i * 1e-4, ts: 1000 + i });
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server = cpuOfServer() - server0;
  console.log(
    `${label.padEnd(24)} node CPU ${((cpu.user + cpu.system) / n).toFixed(0).padStart(5)} µs/call` +
      `   server CPU ${(server / n).toFixed(0).padStart(5)} µs/call   wall ${(wallUs / n).toFixed(0).padStart(5)} µs/call` +
      `   (${(1e6 / (wallUs / n)).toFixed(0)} calls/s on one connection)`,
  );
}

console.log(`store_handler_cpu: ${n} PutItem calls through functions/store's handler; load average ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
if (port !== "-") await measure("lambkin DynamoDB", `http://127.0.0.1:${port}`, lambkinCpuUs);

// The floor: an HTTP server in this process answering {} (its CPU is in "node CPU" here).
const stub = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0", "content-length": "2" });
    res.end("{}");
  });
});
await new Promise((resolve) => stub.listen(0, "127.0.0.1", resolve));
await measure("stub answering {}", `http://127.0.0.1:${stub.address().port}`, () => 0);
stub.close();
