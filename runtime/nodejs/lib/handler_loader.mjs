// Loads the function named by `_HANDLER` the way AWS's Node.js runtime does.
//
// `_HANDLER` is `[dir/]module.path.to.fn`: the module is `dir/module` relative to
// LAMBDA_TASK_ROOT; `path.to.fn` is looked up property by property on its exports.
// The module file is tried in this order:
//   1. `module` exactly as named (no extension)             → require
//   2. `module.js`, unless the nearest package.json says "type": "module" → require
//   3. `module.js` under "type": "module", `module.mjs`     → import()
//   4. `module.cjs`                                          → require
//   5. Node's own resolution of `module` from the task root (a package, a directory…) → require
// Failures, each posted to /runtime/init/error with its type:
//   Runtime.MalformedHandlerName  `Bad handler`, or a handler containing `..`
//   Runtime.UserCodeSyntaxError   `SyntaxError: <message>` (e.g. `import` in a CommonJS .js)
//   Runtime.ImportModuleError     `Error: Cannot find module 'x'\nRequire stack:\n- …`
//   Runtime.HandlerNotFound       `index.handler is undefined or not exported` / `… is not a function`
// Any other error the module throws while loading is reported as itself (errorType = its name).
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerNotFound, ImportModuleError, MalformedHandlerName, UserCodeSyntaxError } from './errors.mjs';

// True when the package.json nearest to `folder` declares "type": "module" (stopping at a
// node_modules directory or the file-system root, as Node's own lookup does).
function isTypeModule(folder) {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    if (dir.endsWith(`${path.sep}node_modules`)) return false;
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try {
        return JSON.parse(fs.readFileSync(pj, 'utf8'))?.type === 'module';
      } catch (e) {
        console.warn(`${pj} cannot be read, it will be ignored for ES module detection purposes.`, e);
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

async function loadModule(appRoot, moduleRoot, moduleName, requireFrom) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  // existsSync, not isFile: like AWS's runtime, a directory named like the module is required too.
  const tryRequire = (file) => (fs.existsSync(file) ? requireFrom(file) : undefined);
  const tryImport = async (file) => (fs.existsSync(file) ? import(pathToFileURL(file).href) : undefined);

  const bare = tryRequire(base);
  if (bare) return bare;
  const typeModule = isTypeModule(path.dirname(base));
  if (!typeModule) {
    const js = tryRequire(`${base}.js`);
    if (js) return js;
  }
  const loaded = (typeModule && (await tryImport(`${base}.js`))) ||
    (await tryImport(`${base}.mjs`)) ||
    tryRequire(`${base}.cjs`);
  if (loaded) return loaded;

  // Not a file next to the task root: let Node resolve it (a package, a directory with index.js…).
  const resolved = requireFrom.resolve(moduleName, { paths: [appRoot, path.join(appRoot, moduleRoot)] });
  return requireFrom(resolved);
}

/// Resolves `handlerString` under `appRoot` to a function; throws the Runtime.* errors above.
/// `requireFrom` is a `require` made with `createRequire` (it names the "Require stack").
export async function loadHandler(appRoot, handlerString, requireFrom) {
  if (typeof handlerString !== 'string' || handlerString === '') throw new MalformedHandlerName('Bad handler');
  if (handlerString.includes('..')) {
    throw new MalformedHandlerName(`'${handlerString}' is not a valid handler name. Use absolute paths when ` +
      'specifying root directories in handler names.');
  }
  const moduleAndHandler = path.basename(handlerString);
  const moduleRoot = handlerString.substring(0, handlerString.indexOf(moduleAndHandler));
  const match = /^([^.]*)\.(.*)$/.exec(moduleAndHandler);
  if (!match) throw new MalformedHandlerName('Bad handler');
  const [, moduleName, handlerPath] = match;

  let userModule;
  try {
    userModule = await loadModule(appRoot, moduleRoot, moduleName, requireFrom);
  } catch (e) {
    if (e instanceof SyntaxError) throw new UserCodeSyntaxError(e);
    if (e?.code === 'MODULE_NOT_FOUND') throw new ImportModuleError(e);
    throw e;
  }

  const handler = handlerPath.split('.').reduce((object, key) => object && object[key], userModule);
  if (!handler) throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${handlerString} is not a function`);
  return handler;
}

/// True when `fn` was declared `async` (AWS's runtime treats those differently when the event
/// loop runs empty before they settle).
export function isAsyncFunction(fn) {
  return fn?.constructor?.name === 'AsyncFunction';
}
