// Answers with its process id and a counter that a background timer increments every 10 ms:
// the e2e tests use it to see freezing (the counter must not move while the environment is
// frozen) and to check that no runtime process outlives lambkin.
let ticks = 0;
setInterval(() => { ticks += 1; }, 10).unref();

exports.handler = async (event) => ({ pid: process.pid, ticks, event });
