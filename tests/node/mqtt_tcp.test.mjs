// MQTT.js (npm `mqtt`) over TCP against lambkin's broker (aws profile): MQTT 3.1.1 and 5, QoS 0
// and 1, retained messages, wills, persistent sessions across reconnects, MQTT 5 properties.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLambkin } from './lambkin.mjs';
import { brokerTemplate, closed, connect, nextMessage, unconnected } from './mqtt_support.mjs';

let lk;
let url;
before(async () => {
  lk = await startLambkin(brokerTemplate);
  url = `mqtt://127.0.0.1:${lk.ports.mqtt}`;
});
after(async () => {
  assert.equal(await lk.stop(), 0);
});

for (const protocolVersion of [4, 5]) {
  test(`MQTT.js ${protocolVersion === 5 ? '5' : '3.1.1'}: subscribe, QoS 0 and QoS 1 publish`, async () => {
    const sub = await connect(url, { protocolVersion });
    const pub = await connect(url, { protocolVersion });
    try {
      const granted = await sub.subscribeAsync('things/+/temp', { qos: 1 });
      assert.equal(granted[0].qos, 1);
      let got = nextMessage(sub, 'things/dev-1/temp');
      await pub.publishAsync('things/dev-1/temp', '{"t":20}', { qos: 0 });
      let m = await got;
      assert.equal(m.payload, '{"t":20}');
      assert.equal(m.packet.qos, 0);
      got = nextMessage(sub, 'things/dev-1/temp');
      await pub.publishAsync('things/dev-1/temp', '{"t":21}', { qos: 1 });  // QoS 1: resolves on the PUBACK
      m = await got;
      assert.equal(m.payload, '{"t":21}');
      assert.equal(m.packet.qos, 1);
    } finally {
      await Promise.all([sub.endAsync(), pub.endAsync()]);
    }
  });
}

test('MQTT.js: a retained message reaches a later subscriber with the retain flag, and an empty one clears it',
     async () => {
  const pub = await connect(url);
  await pub.publishAsync('rooms/kitchen/state', 'lights-on', { qos: 1, retain: true });
  const sub = await connect(url, { protocolVersion: 5 });
  try {
    const got = nextMessage(sub, 'rooms/kitchen/state');
    await sub.subscribeAsync('rooms/kitchen/state', { qos: 1 });
    const m = await got;
    assert.equal(m.payload, 'lights-on');
    assert.equal(m.packet.retain, true);
    await sub.unsubscribeAsync('rooms/kitchen/state');
    await pub.publishAsync('rooms/kitchen/state', '', { qos: 1, retain: true });
    // A fresh subscription now gets nothing retained: the next message it sees is a live one.
    const live = nextMessage(sub, 'rooms/kitchen/state');
    await sub.subscribeAsync('rooms/kitchen/state', { qos: 1 });
    await pub.publishAsync('rooms/kitchen/state', 'live', { qos: 1 });
    const l = await live;
    assert.equal(l.payload, 'live');
    assert.equal(l.packet.retain, false);
  } finally {
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  }
});

test('MQTT.js: the will is published when a client drops without DISCONNECT, not after a clean one', async () => {
  const watcher = await connect(url);
  const seen = [];
  watcher.on('message', (t) => seen.push(t));
  try {
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    const polite = await connect(url, { will: { topic: 'wills/polite', payload: 'gone', qos: 1 } });
    await polite.endAsync();  // DISCONNECT: no will
    const rude = await connect(url, { will: { topic: 'wills/rude', payload: 'lost', qos: 1 } });
    const got = nextMessage(watcher, 'wills/rude');
    rude.stream.destroy();  // the TCP connection ends without DISCONNECT
    const m = await got;
    assert.equal(m.payload, 'lost');
    // Messages to one subscriber arrive in order: the marker, published last, proves that no
    // polite will is still on its way.
    const marker = nextMessage(watcher, 'wills/marker');
    await watcher.publishAsync('wills/marker', 'x', { qos: 1 });
    await marker;
    assert.deepEqual(seen, ['wills/rude', 'wills/marker']);
  } finally {
    await watcher.endAsync();
  }
});

test('MQTT.js 3.1.1: a persistent session (clean: false) keeps subscriptions and QoS 1 messages across a reconnect',
     async () => {
  const clientId = 'node-persistent-311';
  const first = await connect(url, { clientId, clean: false });
  await first.subscribeAsync('offline/311', { qos: 1 });
  await first.endAsync();
  const pub = await connect(url);
  await pub.publishAsync('offline/311', 'while-away', { qos: 1 });
  await pub.endAsync();
  const { client: second, connack } = unconnected(url, { clientId, clean: false });
  try {
    const got = nextMessage(second, 'offline/311');
    second.connect();
    assert.equal((await connack).sessionPresent, true);
    assert.equal((await got).payload, 'while-away');
  } finally {
    await second.endAsync();
  }
});

test('MQTT.js 5: sessionExpiryInterval keeps the session, and a clean start drops it', async () => {
  const clientId = 'node-persistent-5';
  const options = { clientId, protocolVersion: 5, clean: false, properties: { sessionExpiryInterval: 300 } };
  const first = await connect(url, options);
  await first.subscribeAsync('offline/5', { qos: 1 });
  await first.endAsync();
  const pub = await connect(url, { protocolVersion: 5 });
  await pub.publishAsync('offline/5', 'queued', { qos: 1 });
  const { client: second, connack } = unconnected(url, options);
  const got = nextMessage(second, 'offline/5');
  second.connect();
  assert.equal((await connack).sessionPresent, true);
  assert.equal((await got).payload, 'queued');
  await second.endAsync();
  // clean: true (Clean Start) discards it: no session present.
  const { client: third, connack: fresh } = unconnected(url, { clientId, protocolVersion: 5, clean: true });
  third.connect();
  assert.equal((await fresh).sessionPresent, false);
  await Promise.all([third.endAsync(), pub.endAsync()]);
});

test('MQTT.js 5: publish properties reach a subscriber unchanged', async () => {
  const sub = await connect(url, { protocolVersion: 5 });
  const pub = await connect(url, { protocolVersion: 5 });
  try {
    await sub.subscribeAsync('props/req', { qos: 1 });
    const got = nextMessage(sub, 'props/req');
    await pub.publishAsync('props/req', '{"q":1}', {
      qos: 1,
      properties: {
        payloadFormatIndicator: true,
        contentType: 'application/json',
        responseTopic: 'props/resp',
        correlationData: Buffer.from([1, 2, 3, 250]),
        messageExpiryInterval: 120,
        userProperties: { 'device-type': 'thermo', region: 'eu' },
      },
    });
    const { packet } = await got;
    const p = packet.properties;
    assert.equal(p.payloadFormatIndicator, true);
    assert.equal(p.contentType, 'application/json');
    assert.equal(p.responseTopic, 'props/resp');
    assert.deepEqual([...p.correlationData], [1, 2, 3, 250]);
    assert.ok(p.messageExpiryInterval > 0 && p.messageExpiryInterval <= 120);
    assert.deepEqual({ ...p.userProperties }, { 'device-type': 'thermo', region: 'eu' });
  } finally {
    await Promise.all([sub.endAsync(), pub.endAsync()]);
  }
});

test('MQTT.js 5: a QoS 2 publish drops the connection (AWS IoT supports QoS 0 and 1 only)', async () => {
  const c = await connect(url, { protocolVersion: 5 });
  const gone = closed(c);
  c.publish('qos2/x', 'nope', { qos: 2 }, () => {});
  await gone;
  c.end(true);
});
