import { loadConfigOrExit } from '../config';
import { createLogger } from '../src/logging';
import { armShutdownDeadline } from './shutdown-deadline';
import { startWorkers } from './worker';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.log.level, name: 'worker', pseudonymKey: config.privacy.logPseudonymKey });

startWorkers(config, logger)
  .then((workers) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing jobs in flight');
      armShutdownDeadline(config.jobs.shutdownGraceMs, logger);
      workers.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'error while stopping');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  })
  .catch((err: unknown) => {
    logger.fatal({ err }, 'worker failed to start');
    process.exit(1);
  });
