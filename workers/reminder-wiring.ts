import type { Queue } from 'bullmq';
import type { Config } from '../config';
import { LastWritten } from '../src/conversation/last-written';
import type { Sealer } from '../src/crypto/sealing';
import type { JobIds, ReminderJob } from '../src/queues/jobs';
import type { RedisClient } from '../src/redis/connection';
import { reminderStateKeys } from '../src/redis/reminder-state-keys';
import { PersonZones } from '../src/reminders/person-zones';
import { ReminderStore } from '../src/reminders/reminder-store';
import { Reminders } from '../src/reminders/reminders';

/** The reminders' stores, queue and settings (REMINDERS_MAX, REMINDER_TEMPLATE), as the turn and the delivery use them. */
export function reminderDependencies(
  config: Config,
  wiring: { stateRedis: RedisClient; sealer: Sealer; remindersQueue: Queue<ReminderJob>; jobIds: JobIds },
) {
  const keys = reminderStateKeys(config.redis.prefix);
  const { stateRedis } = wiring;
  const lastWritten = new LastWritten(stateRedis, keys.lastWrote);
  const store = new ReminderStore(stateRedis, keys.reminders, wiring.sealer);
  const zones = new PersonZones(stateRedis, keys.timeZone);
  const reminders = new Reminders({
    store,
    zones,
    queue: wiring.remindersQueue,
    jobIds: wiring.jobIds,
    lastWritten,
    settings: config.reminders,
  });
  return { reminders, store, zones };
}
