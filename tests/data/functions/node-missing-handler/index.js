// Exports no `handler`: `index.handler` → Runtime.HandlerNotFound.
exports.other = async () => 'not the handler';
