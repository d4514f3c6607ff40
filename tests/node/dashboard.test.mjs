// The dashboard in a real browser: Debian's headless Chromium driven by playwright-core loads
// http://127.0.0.1:<aws>/_lambkin/ while a pipeline runs (sync invokes, MQTT messages through a
// topic rule to the same function), and what it shows must agree with /_lambkin/metrics. A
// screenshot is kept in the build's Testing directory (LAMBKIN_ARTIFACT_DIR overrides).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLambkin, dataDir, lambkinExe } from './lambkin.mjs';
import { connect } from './mqtt_support.mjs';

const template = `Transform: AWS::Serverless-2016-10-31
Resources:
  Echo:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ${dataDir}/functions/node-basic
      Events:
        Reading:
          Type: IoTRule
          Properties:
            Sql: "SELECT * FROM 'things/+/temperature'"
  Closed:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: ${dataDir}/functions/node-basic
      ReservedConcurrentExecutions: 0
`;

/** {`name{k="v",…}`: value} from the Prometheus text (labels in the order written). */
function parseMetrics(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

function artifactDir() {
  if (process.env.LAMBKIN_ARTIFACT_DIR) return process.env.LAMBKIN_ARTIFACT_DIR;
  // LAMBKIN_EXE is <build>/emulator/lambkin: CTest keeps its files in <build>/Testing.
  return join(dirname(dirname(lambkinExe)), 'Testing');
}

test('the dashboard shows live lanes and counts that agree with /_lambkin/metrics', { timeout: 120_000 }, async () => {
  const lk = await startLambkin(template);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    await page.goto(`${lk.endpoint}/_lambkin/`);
    await page.waitForSelector('#connection[data-status="live"]');

    // The pipeline: two sync invokes, one throttled invoke, three device messages through the rule.
    const invoke = (fn, body) => fetch(`${lk.endpoint}/2015-03-31/functions/${fn}/invocations`, { method: 'POST', body });
    assert.equal((await invoke('Echo', '{"n":1}')).status, 200);
    assert.equal((await invoke('Echo', '{"n":2}')).status, 200);
    assert.equal((await invoke('Closed', '{}')).status, 429);
    const device = await connect(`mqtt://127.0.0.1:${lk.ports.mqtt}`, { clientId: 'dev-1' });
    for (const t of [21.5, 22.0, 22.5]) await device.publishAsync('things/dev-1/temperature', JSON.stringify({ temperature: t }));

    // The page follows the run over its event stream until all five invocations are done.
    await page.waitForFunction(() => {
      const s = window.lambkinDashboard.state();
      const echo = s?.functions.find((f) => f.name === 'Echo');
      return echo && echo.invocations === 5 && echo.in_flight === 0 && echo.queued === 0 && s.mqtt.messages_in === 3;
    }, null, { timeout: 60_000 });
    const metrics = parseMetrics(await (await fetch(`${lk.endpoint}/_lambkin/metrics`)).text());
    const m = (key) => {
      assert.ok(metrics.has(key), `metrics lack ${key}`);
      return metrics.get(key);
    };

    // Counts: the page's latest state may be one batch older than the scrape; wait until it agrees.
    const expected = {
      invocations: m('lambkin_lambda_invocations_total{function="Echo"}'),
      cold: m('lambkin_lambda_cold_starts_total{function="Echo"}'),
      warm: m('lambkin_lambda_warm_starts_total{function="Echo"}'),
      throttles: m('lambkin_lambda_throttles_total{function="Closed",reason="ReservedFunctionConcurrentInvocationLimitExceeded"}'),
      idle: m('lambkin_lambda_environments{function="Echo",state="idle"}'),
      busy: m('lambkin_lambda_environments{function="Echo",state="busy"}'),
      initializing: m('lambkin_lambda_environments{function="Echo",state="initializing"}'),
      messages: m('lambkin_mqtt_messages_received_total'),
      matched: m('lambkin_rule_matches_total{rule="EchoReading"}'),
    };
    assert.equal(expected.invocations, 5);
    assert.equal(expected.cold + expected.warm, 5);
    assert.equal(expected.throttles, 1);
    assert.equal(expected.messages, 3);
    assert.equal(expected.matched, 3);
    const shown = async () => page.evaluate(() => {
      const count = (fn, key) => Number(document.querySelector(`.function[data-function="${fn}"] [data-count="${key}"] b`)?.textContent);
      const lanes = (state) => document.querySelectorAll(`.function[data-function="Echo"] .lane[data-state="${state}"]`).length;
      return {
        invocations: count('Echo', 'invocations'), cold: count('Echo', 'cold_starts'), warm: count('Echo', 'warm_starts'),
        throttles: count('Closed', 'throttles'), idle: lanes('idle'), busy: lanes('busy'), initializing: lanes('initializing'),
        messages: Number(document.querySelector('[data-count="messages_in"] b')?.textContent),
        matched: Number(document.querySelector('#rules tr[data-rule="EchoReading"] td:nth-child(2)')?.textContent),
      };
    });
    await page.waitForFunction((want) => {
      const c = (fn, key) => Number(document.querySelector(`.function[data-function="${fn}"] [data-count="${key}"] b`)?.textContent);
      return c('Echo', 'invocations') === want.invocations && c('Echo', 'cold_starts') === want.cold;
    }, expected, { timeout: 30_000 });
    assert.deepEqual(await shown(), expected);

    // The timeline: one live lane per environment the run created, with its cold init drawn.
    const created = JSON.parse(await (await fetch(`${lk.endpoint}/_lambkin/timeline?function=Echo`)).text())
      .events.filter((e) => e.event === 'created').length;
    assert.equal(created, expected.cold);
    await page.waitForFunction((n) => document.querySelectorAll('#timeline g.tl-lane[data-function="Echo"]').length === n,
      created, { timeout: 30_000 });
    assert.ok(await page.locator('#timeline g.tl-lane[data-function="Echo"] rect.seg.init').count() >= created);
    assert.ok(await page.locator('#timeline g.tl-lane[data-function="Echo"] rect.seg.invoke').count() >= 1);
    // Recent invocations carry their REPORT lines and payloads; MQTT shows the device and its topic.
    assert.ok((await page.locator('#recent pre.log').first().textContent()).includes('REPORT RequestId:'));
    assert.equal(await page.locator('#topics tbody tr').first().locator('td').first().textContent(), 'things/dev-1/temperature');

    const dir = artifactDir();
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'dashboard.png'), fullPage: true });
    await device.endAsync();
  } finally {
    await browser.close();
    await lk.stop();
  }
});
