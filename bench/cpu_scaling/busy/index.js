// A CPU-bound cold start: a fixed amount of work at init (no I/O), then a trivial handler.
const crypto = require('node:crypto');
let digest = Buffer.alloc(32);
for (let i = 0; i < 200000; i++) digest = crypto.createHash('sha256').update(digest).digest();
exports.handler = async () => ({ digest: digest.toString('hex') });
