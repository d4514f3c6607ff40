// Module resolve hook (registered by module_paths.mjs; runs on Node's loader thread): when an
// ES module's bare import can't be found from its own location, resolve it again as if it were
// imported from inside each LAMBKIN_NODE_SDK_PATH directory, then with require()'s algorithm
// from there (for directories not named node_modules that hold packages directly).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let dirs = [];

export function initialize(data) {
  dirs = data?.dirs ?? [];
}

function isBare(specifier) {
  return !/^(\.{1,2}\/|\/|[a-zA-Z][a-zA-Z0-9+.-]*:)/.test(specifier) && specifier !== '.' && specifier !== '..';
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !isBare(specifier)) throw err;
    for (const dir of dirs) {
      const parentURL = pathToFileURL(path.join(dir, '__lambkin_sdk_parent__.mjs')).href;
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch {
        // next directory
      }
    }
    for (const dir of dirs) {
      try {
        const file = createRequire(path.join(dir, '__lambkin_sdk_parent__.js')).resolve(specifier, { paths: [dir] });
        return { url: pathToFileURL(file).href, shortCircuit: true };
      } catch {
        // next directory
      }
    }
    throw err;
  }
}
