// Answers with what an environment was built from: its version, memory, initialization type and
// one user variable, and how many invocations it has served (1 on a cold start).
let served = 0;

exports.handler = async (event) => {
  served += 1;
  return {
    greeting: process.env.GREETING ?? null,
    version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    memory: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    initializationType: process.env.AWS_LAMBDA_INITIALIZATION_TYPE,
    served,
    event,
  };
};
