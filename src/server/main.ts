// `npm start`: the embedded Postern server with its on-disk store and the built console.

import { startServer } from './app';
import { configFromEnv } from './config';

async function main() {
  const config = configFromEnv();
  const running = await startServer(config);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`Postern could not start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
