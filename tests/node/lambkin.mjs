// Test support: start `lambkin run` on a template (port 0, ready file), stop it with SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync, watch, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const lambkinExe = process.env.LAMBKIN_EXE;
export const dataDir = process.env.LAMBKIN_TEST_DATA_DIR;

/**
 * Starts lambkin on `templateText` (with `extraArgs` appended); resolves once its ready file exists
 * (watched, not polled). `ports` is the ready file: {mqtt, ws, tls, http, aws, pid}.
 */
export async function startLambkin(templateText, extraArgs = []) {
  if (!lambkinExe) throw new Error('LAMBKIN_EXE is not set (CTest sets it)');
  const dir = mkdtempSync(join(tmpdir(), 'lambkin-node-'));
  const template = join(dir, 'template.yaml');
  const ready = join(dir, 'ready.json');
  writeFileSync(template, templateText);
  const child = spawn(lambkinExe, ['run', template, '--aws-port', '0', '--mqtt-port', '0', '--ws-port', '0',
                                   '--http-port', '0', '--ready-file', ready,
                                   '--data-dir', join(dir, 'data'), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  await new Promise((resolve, reject) => {
    const watcher = watch(dir, () => { if (existsSync(ready)) { watcher.close(); resolve(); } });
    child.on('exit', (code) => { watcher.close(); reject(new Error(`lambkin exited ${code}: ${stderr}`)); });
    if (existsSync(ready)) { watcher.close(); resolve(); }
  });
  const ports = JSON.parse(readFileSync(ready, 'utf8'));
  return {
    endpoint: `http://127.0.0.1:${ports.aws}`,
    ports,
    log: () => stderr,
    /** lambkin's stderr stream: wait on its 'data' events for new log lines. */
    stderr: child.stderr,
    async stop() {
      const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}
