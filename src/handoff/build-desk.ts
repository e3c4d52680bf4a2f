import type { Queue } from 'bullmq';
import type { Config } from '../../config';
import { createSealer } from '../crypto/sealing';
import type { RecipientOutbox } from '../conversation/recipient-outbox';
import type { Logger } from '../logging';
import type { Metrics } from '../metrics/metrics';
import type { PlatformRegistry } from '../platforms/registry';
import type { JobIds, OutboundJob } from '../queues/jobs';
import type { RedisClient } from '../redis/connection';
import { HandoffDesk } from './handoff-desk';
import { HandoffStore, handoffKeys } from './handoff-state';
import type { HandoffTarget } from './handoff-target';
import { otherHandoffTargets } from './other-targets';
import { ReplyTimes } from './reply-times';
import { createQueuedSender } from './send-to-person';
import { createWebhookTarget } from './webhook-target';

export interface DeskParts {
  redis: RedisClient;
  outbox: RecipientOutbox;
  outbound: Queue<OutboundJob>;
  jobIds: JobIds;
  adapters: PlatformRegistry;
  metrics: Metrics;
  logger: Logger;
  /** Chatwoot and Meta's inbox (other-targets.ts), by name; used where HANDOFF_TARGET names them */
  otherTargets?: readonly HandoffTarget[];
}

/** The handoff core both processes build from the config: HANDOFF_TARGET's targets, in its order. */
export function buildHandoffDesk(config: Config, parts: DeskParts): HandoffDesk {
  const { handoff } = config;
  const others = parts.otherTargets ?? otherHandoffTargets(config, parts.redis, parts.logger).targets;
  const available = new Map<string, HandoffTarget>(others.map((target) => [target.name, target]));
  if (handoff.webhook) available.set('webhook', createWebhookTarget(handoff.webhook));
  const targets = handoff.targets.flatMap((name) => {
    const target = available.get(name);
    if (!target) parts.logger.warn({ target: name }, 'handoff target named in HANDOFF_TARGET is not available here');
    return target ? [target] : [];
  });
  const day = 24 * 3600;
  const store = new HandoffStore(
    parts.redis,
    handoffKeys(config.redis.prefix),
    handoff.idleSeconds + day,
    Math.max(config.history.ttlSeconds, handoff.idleSeconds + day),
    createSealer({ current: config.privacy.encryptionKey, old: config.privacy.oldEncryptionKeys }),
  );
  return new HandoffDesk({
    store,
    targets,
    sendToPerson: createQueuedSender(parts),
    metrics: parts.metrics,
    logger: parts.logger,
    idleSeconds: handoff.idleSeconds,
    hours: handoff.hours,
    humanAgentTag: handoff.humanAgentTag,
    replyTimes: new ReplyTimes(parts.redis, config.redis.prefix),
    typicalReplyMinutes: handoff.typicalReplyMinutes,
    handleKey: config.privacy.logPseudonymKey,
  });
}
