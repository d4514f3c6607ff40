// The temperature pipeline with Node clients we did not write: MQTT.js publishes readings (QoS 1),
// the IoT rule invokes StoreTemperature, and Node's fetch gets exactly those readings back through
// the HTTP API. Waiting is on lambkin's own log lines (each stored event), never on a timer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startLambkin } from './lambkin.mjs';

const exampleDir = join(process.env.LAMBKIN_SOURCE_DIR ?? join(import.meta.dirname, '..', '..'), 'examples', 'temperature');

function exampleTemplate() {
  return readFileSync(join(exampleDir, 'template.yaml'), 'utf8')
    .replaceAll('CodeUri: functions/', `CodeUri: ${exampleDir}/functions/`);
}

/** Resolves once `text` has appeared `count` times in lambkin's log (checked on each new chunk). */
function logCount(lk, text) {
  return lk.log().split(text).length - 1;
}
async function waitForLog(lk, child, text, count) {
  while (logCount(lk, text) < count) {
    await new Promise((resolve) => child.once('data', resolve));
  }
}

test('MQTT.js readings come back through the HTTP API with fetch', async () => {
  const lk = await startLambkin(exampleTemplate());
  try {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${lk.ports.mqtt}`, { clientId: 'node-dev', protocolVersion: 5 });
    const readings = [18.25, 19.5, 20.75];
    // One reading at a time, each stored before the next is sent. Sent back to back, two readings can
    // share timestamp()'s millisecond and be stored by two environments at once; the function then
    // moves whichever comes second to the next millisecond, which may be the earlier reading (as on
    // AWS), and "newest first" would not be the order they were sent in.
    for (const [i, t] of readings.entries()) {
      await client.publishAsync('things/node-dev/temperature', JSON.stringify({ temperature: t }), { qos: 1 });
      await waitForLog(lk, lk.stderr, 'async event finished: Success', i + 1);
    }
    await client.endAsync();

    const api = `http://127.0.0.1:${lk.ports.http}`;
    const res = await fetch(`${api}/devices/node-dev/temperature`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const body = await res.json();
    assert.equal(body.deviceId, 'node-dev');
    assert.deepEqual(body.readings.map((r) => r.temperature), [...readings].reverse());  // newest first

    const devices = await (await fetch(`${api}/devices`)).json();
    assert.deepEqual(devices, { devices: ['node-dev'] });
    const stats = await (await fetch(`${api}/devices/node-dev/stats`)).json();
    assert.equal(stats.count, 3);
    assert.equal(stats.min, 18.25);
    assert.equal(stats.max, 20.75);
    assert.equal(stats.mean, 19.5);

    const missing = await fetch(`${api}/devices/nobody/temperature`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { message: 'device nobody has no readings' });
  } finally {
    assert.equal(await lk.stop(), 0);
  }
});
