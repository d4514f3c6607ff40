// The no-op Node.js handler of bench/node_bench, run unchanged by lambkin's nodejs runtime and by
// serverless-offline: it answers a small constant object, so the bench measures the platforms.
exports.handler = async () => ({ ok: true });
