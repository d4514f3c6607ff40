// async_load: N Event invokes of FUNCTION over C keep-alive connections, each waiting for its 202
// before sending the next (what a client of the Invoke API sees). Prints JSON: accepted, failed,
// elapsed_s, accepted_per_s, p50_ms, p99_ms (202 latency).
//   node bench/async_load.mjs AWS_PORT FUNCTION N C
import http from 'node:http';

const [port, fn, n, c] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const agent = new http.Agent({ keepAlive: true, maxSockets: c });
const lat = [];
let next = 0, accepted = 0, failed = 0;

function one(i) {
  return new Promise((resolve) => {
    const body = JSON.stringify({ i });
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, agent, method: 'POST',
      path: `/2015-03-31/functions/${fn}/invocations`,
      headers: { 'X-Amz-Invocation-Type': 'Event', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => {
        lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.statusCode === 202) accepted++; else failed++;
        resolve();
      });
    });
    req.on('error', () => { failed++; resolve(); });
    req.end(body);
  });
}

async function client() { while (next < n) await one(next++); }

const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: c }, client));
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
lat.sort((a, b) => a - b);
const q = (p) => lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))].toFixed(2) : null;
console.log(JSON.stringify({ accepted, failed, elapsed_s: Number(elapsed.toFixed(3)),
  accepted_per_s: Math.round(accepted / elapsed), p50_ms: Number(q(0.5)), p99_ms: Number(q(0.99)) }));
agent.destroy();
