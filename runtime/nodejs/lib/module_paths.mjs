// Where user code finds packages it doesn't ship: after its own node_modules (Node's normal
// lookup from the file's directory upwards), the directory named by LAMBKIN_NODE_SDK_PATH —
// where lambkin provides the AWS SDK, as Lambda's managed runtime provides it in /var/runtime.
//
// LAMBKIN_NODE_SDK_PATH holds packages directly (a node_modules-style directory) or has a
// node_modules/ subdirectory; several directories may be joined with ':'.
//  - require(): the directories join NODE_PATH (after any NODE_PATH the user set), which Node
//    consults only when the node_modules lookup fails — the same mechanism Lambda uses.
//  - import: NODE_PATH does not apply to ES modules, so a resolve hook (module.register,
//    Node ≥ 18.19/20.6) retries a failed bare specifier from inside each directory. Limits: only
//    bare specifiers (`@aws-sdk/client-dynamodb`, not relative paths) fall back; on a Node
//    without module.register, ES modules see only their own node_modules.
import fs from 'node:fs';
import module, { createRequire } from 'node:module';
import path from 'node:path';

/// The fallback directories from LAMBKIN_NODE_SDK_PATH, each followed by its node_modules/
/// subdirectory when it has one.
export function sdkDirectories(env = process.env) {
  const dirs = [];
  for (const entry of (env.LAMBKIN_NODE_SDK_PATH ?? '').split(path.delimiter)) {
    if (!entry) continue;
    const dir = path.resolve(entry);
    dirs.push(dir);
    const nested = path.join(dir, 'node_modules');
    if (fs.existsSync(nested)) dirs.push(nested);
  }
  return dirs;
}

/// Installs both fallbacks; a no-op when LAMBKIN_NODE_SDK_PATH is unset.
export function installSdkFallback() {
  const dirs = sdkDirectories();
  if (dirs.length === 0) return;

  const nodePath = (process.env.NODE_PATH ?? '').split(path.delimiter).filter(Boolean);
  process.env.NODE_PATH = [...nodePath, ...dirs.filter((d) => !nodePath.includes(d))].join(path.delimiter);
  // Re-reads NODE_PATH into Module.globalPaths (read once at startup otherwise).
  createRequire(import.meta.url)('node:module').Module._initPaths();

  if (typeof module.register === 'function') {
    module.register('./esm_sdk_resolver.mjs', import.meta.url, { data: { dirs } });
  }
}
