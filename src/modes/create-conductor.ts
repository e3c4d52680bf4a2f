import type { Redis } from 'ioredis';
import type { Config } from '../../config';
import type { ConversationHistory } from '../conversation/history';
import type { ChatModel } from '../inference/chat-model';
import { FairUseLimiter } from '../limits/fair-use-limiter';
import type { Logger } from '../logging';
import { SignsOfLife } from '../signs/signs-of-life';
import { ModeStore } from './mode-store';
import { modeStateKeys } from './state-keys';
import { TurnConductor } from './turn-conductor';

/** Wires modes, limits and signs of life from the config, over the worker's state connection. */
export function createTurnConductor(
  config: Config,
  redis: Redis,
  model: ChatModel | null,
  history: ConversationHistory,
  logger: Logger,
): TurnConductor {
  const keys = modeStateKeys(config.redis.prefix);
  return new TurnConductor({
    modes: config.modes,
    model,
    modeStore: new ModeStore(redis, keys.mode),
    limiter: new FairUseLimiter(redis, keys, config.limits, config.dedupeTtlSeconds),
    history,
    signsOfLife: new SignsOfLife({
      redis,
      noteKey: keys.thinkingNote,
      typingRefreshMs: config.signsOfLife.typingRefreshMs,
      noteTtlSeconds: config.dedupeTtlSeconds,
      logger,
    }),
    thinkingNoteAfterMs: config.signsOfLife.thinkingNoteAfterMs,
    logger,
  });
}
