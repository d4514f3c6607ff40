// MQTT over WebSocket (ws://127.0.0.1:<ws>/mqtt, subprotocol mqtt) with MQTT.js, MQTT 3.1.1 and 5,
// and across transports with Debian's mosquitto_sub and mosquitto_pub on TCP. A request for
// another path, or without the mqtt subprotocol, gets a clear HTTP error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startLambkin } from './lambkin.mjs';
import { brokerTemplate, closed, connect, mosquittoPub, mosquittoSub, nextMessage, unconnected } from './mqtt_support.mjs';

let lk;
let wsUrl;
before(async () => {
  lk = await startLambkin(brokerTemplate);
  assert.equal(typeof lk.ports.ws, 'number');
  wsUrl = `ws://127.0.0.1:${lk.ports.ws}/mqtt`;
});
after(async () => {
  assert.equal(await lk.stop(), 0);
});

for (const protocolVersion of [4, 5]) {
  const name = protocolVersion === 5 ? '5' : '3.1.1';
  test(`MQTT.js ${name} over WebSocket: subscribe and publish QoS 0 and 1 between two WebSocket clients`, async () => {
    const sub = await connect(wsUrl, { protocolVersion });
    const pub = await connect(wsUrl, { protocolVersion });
    try {
      await sub.subscribeAsync('ws/+/data', { qos: 1 });
      for (const qos of [0, 1]) {
        const got = nextMessage(sub, `ws/${name}/data`);
        await pub.publishAsync(`ws/${name}/data`, `qos${qos}`, { qos });
        const m = await got;
        assert.equal(m.payload, `qos${qos}`);
        assert.equal(m.packet.qos, qos);
      }
    } finally {
      await Promise.all([sub.endAsync(), pub.endAsync()]);
    }
  });

  test(`MQTT.js ${name} over WebSocket → mosquitto_sub on TCP, and mosquitto_pub on TCP → MQTT.js`, async () => {
    const tcpVersion = protocolVersion === 5 ? 'mqttv5' : 'mqttv311';
    const sub = await mosquittoSub(lk.ports.mqtt, 'cross/to-tcp', { version: tcpVersion });
    const ws = await connect(wsUrl, { protocolVersion });
    try {
      await ws.publishAsync('cross/to-tcp', `from-ws-${name}`, { qos: 1 });
      const { code, out } = await sub.done;
      assert.equal(code, 0, out);
      assert.match(out, new RegExp(`\\nfrom-ws-${name.replace('.', '\\.')}\\n`));

      await ws.subscribeAsync('cross/to-ws', { qos: 1 });
      const got = nextMessage(ws, 'cross/to-ws');
      assert.equal(await mosquittoPub(lk.ports.mqtt, 'cross/to-ws', `from-tcp-${name}`, { version: tcpVersion }), 0);
      assert.equal((await got).payload, `from-tcp-${name}`);
    } finally {
      await ws.endAsync();
    }
  });
}

test('a 100 KB message crosses WebSocket (read by the broker in many pieces)', async () => {
  const a = await connect(wsUrl, { protocolVersion: 5 });
  const b = await connect(wsUrl);
  try {
    await b.subscribeAsync('big/x', { qos: 1 });
    const payload = 'x'.repeat(100_000);
    const got = nextMessage(b, 'big/x');
    await a.publishAsync('big/x', payload, { qos: 1 });
    assert.equal((await got).payload.length, payload.length);
  } finally {
    await Promise.all([a.endAsync(), b.endAsync()]);
  }
});

/** A WebSocket upgrade request by hand; resolves with {status, headers, body} of a refusal. */
function upgrade(path, headers) {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port: lk.ports.ws, path,
      headers: {
        Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the WebSocket upgrade: /mqtt with subprotocol mqtt is accepted and named in the answer, the rest refused',
     async () => {
  const ok = await upgrade('/mqtt?X-Amz-Algorithm=AWS4-HMAC-SHA256', { 'Sec-WebSocket-Protocol': 'mqtt' });
  assert.equal(ok.status, 101);
  assert.equal(ok.headers['sec-websocket-protocol'], 'mqtt');

  const wrongPath = await upgrade('/ws', { 'Sec-WebSocket-Protocol': 'mqtt' });
  assert.equal(wrongPath.status, 404);
  assert.match(wrongPath.body, /served at \/mqtt/);

  const noProtocol = await upgrade('/mqtt', {});
  assert.equal(noProtocol.status, 400);
  assert.match(noProtocol.body, /subprotocol mqtt/);

  const oldProtocol = await upgrade('/mqtt', { 'Sec-WebSocket-Protocol': 'mqttv3.1' });
  assert.equal(oldProtocol.status, 400);

  const plain = await fetch(`http://127.0.0.1:${lk.ports.ws}/mqtt`);
  assert.equal(plain.status, 426);
  assert.match(await plain.text(), /open a WebSocket to \/mqtt/);
});

test('MQTT.js on a wrong WebSocket path never gets a CONNACK: its connection closes', async () => {
  const { client, connack } = unconnected(`ws://127.0.0.1:${lk.ports.ws}/not-mqtt`);
  const outcome = Promise.race([connack.then(() => 'connected', () => 'error'), closed(client).then(() => 'closed')]);
  client.connect();
  assert.notEqual(await outcome, 'connected');
  client.end(true);
});
