// AWS SDK for JavaScript v2 (`aws-sdk`) pointed at lambkin. SDK v3 and the AWS CLI read
// AWS_ENDPOINT_URL; v2 ignores it, so without this a v2 client inside an environment would call
// the real AWS. Nothing is loaded eagerly: loading aws-sdk costs about a second, and most
// handlers never use it. Instead CommonJS loading is watched (a wrapper around Module._load, the
// technique of require-in-the-middle) and the first time a module returns v2's `AWS` namespace
// (lib/core.js, reached by `require('aws-sdk')`, `aws-sdk/global`, `aws-sdk/clients/*`, and by an
// ES module's `import AWS from 'aws-sdk'` through aws-sdk's own requires), its global
// configuration gets lambkin's defaults:
//   endpoint          AWS_ENDPOINT_URL (every service: lambkin serves them all on one endpoint)
//   s3ForcePathStyle  true (bucket names in the path: `<bucket>.127.0.0.1` does not resolve)
//   region            AWS_REGION when the config has none
//   credentials       from AWS_ACCESS_KEY_ID/… (lambkin's dummy ones) when the config has none
// `AWS.config` becomes an accessor, so the same defaults are applied to a Config assigned later
// (aws-sdk's own node_loader assigns a fresh one right after core.js returns). Values the
// handler sets itself win: an endpoint passed to `new AWS.Config({...})`, to `AWS.config.update`
// after loading, or to a service constructor.
import Module from 'node:module';

const configured = new WeakSet();
const CORE_REQUEST = /^\.\.?\/(lib\/)?core$/;
const AWS_SDK_DIR = /[\\/]node_modules[\\/]aws-sdk[\\/]/;

function looksLikeAwsNamespace(value) {
  return value !== null && typeof value === 'object' && typeof value.VERSION === 'string' &&
    typeof value.Config === 'function' && typeof value.Service === 'function' &&
    typeof value.Credentials === 'function';
}

function applyDefaults(AWS, config, env) {
  if (!config || typeof config !== 'object') return;
  if (!config.endpoint) config.endpoint = env.AWS_ENDPOINT_URL;
  config.s3ForcePathStyle = true;
  if (!config.region && env.AWS_REGION) config.region = env.AWS_REGION;
  if (!config.credentials && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = new AWS.Credentials(env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY,
      env.AWS_SESSION_TOKEN);
  }
}

/// Applies lambkin's defaults to `AWS.config` now and to every Config assigned to it later.
export function configureAwsNamespace(AWS, env = process.env) {
  if (configured.has(AWS)) return;
  configured.add(AWS);
  let current = AWS.config;
  applyDefaults(AWS, current, env);
  Object.defineProperty(AWS, 'config', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value) => {
      current = value;
      applyDefaults(AWS, current, env);
    },
  });
}

/// Installs the watch; a no-op without AWS_ENDPOINT_URL. Only requests for aws-sdk's own
/// `lib/core` from inside an `aws-sdk` directory are looked at (and only once that module has
/// finished loading), so no other module's exports are touched.
export function installSdkV2Config(env = process.env) {
  if (!env.AWS_ENDPOINT_URL) return;
  const load = Module._load;
  if (typeof load !== 'function' || typeof Module._resolveFilename !== 'function') return;
  Module._load = function lambkinLoad(request, parent, isMain) {
    const exports = load.call(this, request, parent, isMain);
    if (typeof request === 'string' && request.endsWith('core') && CORE_REQUEST.test(request) &&
        AWS_SDK_DIR.test(parent?.filename ?? '')) {
      const filename = Module._resolveFilename(request, parent, isMain);
      if (Module._cache[filename]?.loaded && looksLikeAwsNamespace(exports)) configureAwsNamespace(exports, env);
    }
    return exports;
  };
}
