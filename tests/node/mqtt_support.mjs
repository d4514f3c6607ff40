// Test support for the MQTT.js suites: connecting, waiting for the next message on a topic, and
// Debian's mosquitto_sub/mosquitto_pub as the other side (a client we did not write either).
import { spawn } from 'node:child_process';
import mqtt from 'mqtt';

/** Connects (no automatic reconnect: a test sees every failure); resolves with the client. */
export function connect(url, options = {}) {
  return mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 10_000, ...options });
}

/**
 * A client that connects only when `connect()` is called, so listeners can be attached first
 * (a resumed session's messages may arrive in the same read as the CONNACK). `connack` resolves
 * with the CONNACK packet.
 */
export function unconnected(url, options = {}) {
  const client = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 10_000, ...options, manualConnect: true });
  const connack = new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  return { client, connack };
}

/** Resolves with {topic, payload (string), packet} for the next message whose topic is `topic`. */
export function nextMessage(client, topic) {
  return new Promise((resolve) => {
    const onMessage = (t, payload, packet) => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve({ topic: t, payload: payload.toString(), packet });
    };
    client.on('message', onMessage);
  });
}

/** Resolves when `client` closes (the broker dropped it, or it ended). */
export function closed(client) {
  return new Promise((resolve) => client.once('close', resolve));
}

/**
 * mosquitto_sub on `topic`, resolved once its SUBACK arrived; `.done` resolves with its stdout
 * when it exits (after `count` messages; -W 20 bounds a failing test).
 */
export async function mosquittoSub(port, topic, { version = 'mqttv311', count = 1, qos = '1' } = {}) {
  const child = spawn('/usr/bin/stdbuf', ['-oL', '/usr/bin/mosquitto_sub', '-d', '-h', '127.0.0.1', '-p', String(port),
                                          '-V', version, '-t', topic, '-q', qos, '-C', String(count), '-W', '20'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const done = new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('received SUBACK')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`mosquitto_sub exited ${code} before its SUBACK: ${out}`)));
  });
  return { done };
}

/** mosquitto_pub of one message; resolves with its exit code. */
export function mosquittoPub(port, topic, message, { version = 'mqttv311', qos = '1' } = {}) {
  const child = spawn('/usr/bin/mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-V', version, '-t', topic,
                                                 '-m', message, '-q', qos], { stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

/** A template lambkin can run with nothing in it but what the broker needs. */
export const brokerTemplate = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::IoT::TopicRule
    Properties:
      RuleName: Echo
      TopicRulePayload:
        Sql: "SELECT * FROM 'lambkin/echo/in'"
        Actions:
          - Republish:
              Topic: lambkin/echo/out
              RoleArn: arn:aws:iam::123456789012:role/r
`;
