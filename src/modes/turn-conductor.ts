import type { Config } from '../../config';
import { MODE_CHOICES, parseCommand, type Command } from '../commands/commands';
import { modeTexts } from '../commands/texts';
import type { ConversationHistory } from '../conversation/history';
import { conversationKey, type InboundMessage } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';
import type { TurnOutcome } from '../core/turn';
import type { ChatModel } from '../inference/chat-model';
import type { ChargeDecision, FairUseLimiter, LimitedUser } from '../limits/fair-use-limiter';
import type { Logger } from '../logging';
import type { PlatformAdapter } from '../platforms/adapter';
import type { SignsOfLife } from '../signs/signs-of-life';
import { planFor, type ModePlan } from './mode-plan';
import type { ModeStore } from './mode-store';
import { isReasoningMode, modeNames, type Mode } from './modes';

/**
 * Everything that happens around the model in one turn: signs of life, commands (answered
 * without the model), the conversation's mode, and fair use (a refused turn never reaches the
 * model). `answer` is the turn's own model call, given the plan of the current mode.
 */

export interface ConductedTurn {
  outcome: TurnOutcome;
  mode: Mode;
  /** choices to offer under the reply (quick replies / reply buttons) */
  choices?: ReplyChoice[];
}

export interface TurnConductorDependencies {
  modes: Config['modes'];
  model: ChatModel | null;
  modeStore: ModeStore;
  limiter: FairUseLimiter;
  history: ConversationHistory;
  signsOfLife: SignsOfLife;
  thinkingNoteAfterMs: number;
  logger: Logger;
}

const notice = (text: string, reason: string): TurnOutcome => ({ kind: 'notice', text, reason });
/** the modes other than `mode`, as choices */
const choicesBesides = (mode: Mode) => MODE_CHOICES.filter((choice) => choice.id !== modeTexts.modeCommand(mode));

export class TurnConductor {
  constructor(private readonly deps: TurnConductorDependencies) {}

  async conduct(
    message: InboundMessage,
    messageKey: string,
    adapter: PlatformAdapter,
    answer: (plan: ModePlan) => Promise<TurnOutcome>,
  ): Promise<ConductedTurn> {
    const activity = this.deps.signsOfLife.begin(adapter, message, messageKey);
    activity.markRead();
    try {
      const conversation = conversationKey(message);
      const user: LimitedUser = { platform: message.platform, userId: message.userId };
      const command = parseCommand(message);
      if (command) {
        // Commands cost burst points only, so spamming /help is refused like any other flood.
        const decision = await this.deps.limiter.chargeCommand(user, messageKey);
        if (!decision.allowed) return this.refused(decision, await this.deps.modeStore.get(conversation));
        return await this.runCommand(command, message, conversation);
      }

      const mode = await this.deps.modeStore.get(conversation);
      const plan = planFor(mode, this.deps.modes, this.deps.model, message.platform);
      if (this.callsModel(message, plan)) {
        const decision = await this.deps.limiter.charge(user, mode, messageKey);
        if (!decision.allowed) return this.refused(decision, mode);
        activity.startTyping();
        if (isReasoningMode(mode) && this.deps.thinkingNoteAfterMs > 0) {
          activity.noteAfter(this.deps.thinkingNoteAfterMs, modeTexts.stillThinking);
        }
      }
      return { outcome: await answer(plan), mode };
    } finally {
      await activity.end();
    }
  }

  private refused(decision: Extract<ChargeDecision, { allowed: false }>, mode: Mode): ConductedTurn {
    const { refusal, tell } = decision;
    this.deps.logger.info(
      { mode, limit: refusal.limit, told: tell, resetsInMs: refusal.resetsInMs },
      'turn refused by fair-use limit',
    );
    // Told once per window; later refusals in the same window stay quiet (empty reply).
    if (!tell) return { outcome: notice('', `limit-repeat:${refusal.limit}`), mode };
    const isModeLimit = (modeNames as readonly string[]).includes(refusal.limit);
    return {
      outcome: notice(modeTexts.refused(refusal), `limit:${refusal.limit}`),
      mode,
      choices: isModeLimit ? choicesBesides(mode) : undefined,
    };
  }

  /** Only turns that will reach the model are charged: notices for unreadable input are free. */
  private callsModel(message: InboundMessage, plan: ModePlan): boolean {
    if (message.unsupported !== undefined) return false;
    if (!message.text?.trim() && message.attachments.length === 0) return false;
    return this.deps.model !== null && plan.modelName !== undefined;
  }

  private async runCommand(command: Command, message: InboundMessage, conversation: string): Promise<ConductedTurn> {
    const { modeStore, limiter, history } = this.deps;
    const user: LimitedUser = { platform: message.platform, userId: message.userId };
    switch (command.kind) {
      case 'mode':
        await modeStore.set(conversation, command.mode);
        return {
          outcome: notice(modeTexts.switched(command.mode, limiter.spec(command.mode)), `command:${command.mode}`),
          mode: command.mode,
          choices: choicesBesides(command.mode),
        };
      case 'help': {
        const mode = await modeStore.get(conversation);
        const specs = {
          fast: limiter.spec('fast'),
          thinking: limiter.spec('thinking'),
          contemplating: limiter.spec('contemplating'),
        };
        return { outcome: notice(modeTexts.help(mode, specs), 'command:help'), mode, choices: MODE_CHOICES };
      }
      case 'reset':
        await history.clear(conversation);
        return { outcome: notice(modeTexts.reset, 'command:reset'), mode: await modeStore.get(conversation) };
      case 'limits': {
        const mode = await modeStore.get(conversation);
        const text = modeTexts.limits(mode, await limiter.status(user), limiter.isExempt(user));
        return { outcome: notice(text, 'command:limits'), mode };
      }
      case 'unknown':
        return {
          outcome: notice(modeTexts.unknownCommand(command.text), 'command:unknown'),
          mode: await modeStore.get(conversation),
        };
    }
  }
}
