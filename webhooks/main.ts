import { loadConfigOrExit } from '../config';
import { createLogger } from '../src/logging';
import { PortTakenError, startWeb } from './web';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.log.level, name: 'web', pseudonymKey: config.privacy.logPseudonymKey });

startWeb(config, logger)
  .then((web) => {
    const stop = (signal: string) => {
      logger.info({ signal }, 'stopping: no new requests, finishing open ones');
      web.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  })
  .catch((err: unknown) => {
    // A taken port is the operator's to fix, and the message says how: no stack needed.
    if (err instanceof PortTakenError) logger.fatal({ port: err.port }, err.message);
    else logger.fatal({ err }, 'web failed to start');
    process.exit(1);
  });
