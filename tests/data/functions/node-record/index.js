// Logs the event it receives on one line, `EVENT <json>`, so a test can see exactly what a rule or
// an API sent; answers {"ok": true}.
exports.handler = async (event) => {
  console.log("EVENT " + JSON.stringify(event));
  return { ok: true };
};
