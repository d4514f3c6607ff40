// Callback-style (non-async, 3 arguments). The result is posted once the event loop is empty,
// i.e. after the timer below has fired (callbackWaitsForEmptyEventLoop defaults to true).
let timerFired = false;
exports.handler = (event, context, callback) => {
  setTimeout(() => {
    timerFired = true;
  }, 50);
  callback(null, { style: 'callback', input: event, waits: context.callbackWaitsForEmptyEventLoop });
};
exports.timerFired = () => timerFired;
