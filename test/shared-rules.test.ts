import { loadConfig } from '../config';
import { COMMAND_LIST, modeChoices, parseCommand } from '../src/commands/commands';
import { modeTexts } from '../src/commands/texts';
import { translatorFor } from '../src/i18n/translator';
import { isTransientStatus } from '../src/core/transient-failure';
import type { ChatAnswer, ChatModel, ChatRequest } from '../src/inference/chat-model';
import { contemplate } from '../src/modes/contemplate';
import { GraphApiError } from '../src/platforms/graph-client';
import { createPlatformRegistry } from '../src/platforms/registry';
import { testEnv } from './helpers/system';
import { defined } from './helpers/present';

/**
 * Rules kept in one place: the command list that parsing, help and choices derive from; the one
 * "is this failure transient" rule; each platform reading its own send failures; and the
 * contemplating mode keeping a photo when it merges its drafts.
 */
describe('the command list', () => {
  it('is where parsing, the full help and the mode choices all come from', () => {
    const en = translatorFor('en');
    const help = modeTexts.helpAll(en, 'fast', { fast: null, thinking: null, contemplating: null, shopping: null });
    for (const entry of COMMAND_LIST) {
      for (const word of [entry.word, ...entry.aliases]) expect(parseCommand({ text: word })).toEqual(entry.command);
      expect(help).toContain(entry.word);
    }
    expect(modeTexts.unknownCommand(en, '/nope')).toContain('/help all');
    expect(modeChoices(en).map((choice) => choice.id)).toEqual(
      COMMAND_LIST.filter((entry) => entry.command.kind === 'mode').map((entry) => entry.word),
    );
  });
});

describe('transient failures', () => {
  it('are no answer, 408, 409, 429 and 5xx, for every service alike', () => {
    for (const status of [undefined, 408, 409, 429, 500, 503]) expect(isTransientStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 410, 422]) expect(isTransientStatus(status)).toBe(false);
  });
});

describe('send failures', () => {
  it('are classified by each platform adapter, in its own reading of the codes', () => {
    const adapters = createPlatformRegistry(loadConfig(testEnv()));
    const code10 = new GraphApiError(400, 10, undefined, '(#10)', undefined, 'trace');
    expect(defined(adapters.get('whatsapp')).classifySendFailure(code10).kind).toBe('never');
    expect(defined(adapters.get('messenger')).classifySendFailure(code10).kind).toBe('window-closed');
    expect(defined(adapters.get('instagram')).classifySendFailure(code10).kind).toBe('window-closed');
    const throttled = new GraphApiError(409, 999_999, undefined, 'conflict', undefined, 'trace');
    for (const adapter of adapters.values()) expect(adapter.classifySendFailure(throttled).kind).toBe('retry');
  });
});

describe('contemplating', () => {
  it('keeps the photo in the synthesis call, next to the drafts', async () => {
    const requests: ChatRequest[] = [];
    const model: ChatModel = {
      complete: (request): Promise<ChatAnswer> => {
        requests.push(request);
        return Promise.resolve({ text: `draft ${requests.length}`, model: 'm', usage: undefined });
      },
    };
    const photo = { type: 'image_url' as const, image_url: { url: 'data:image/jpeg;base64,AAAA' } };
    await contemplate(model, { model: 'm', drafts: 2, maxTokens: 100 }, [
      { role: 'system', content: 'be kind' },
      { role: 'user', content: [{ type: 'text', text: 'what is this?' }, photo] },
    ]);
    const synthesis = defined(requests[2]?.messages.at(-1)).content;
    expect(Array.isArray(synthesis)).toBe(true);
    expect(synthesis).toContainEqual(photo);
    expect(JSON.stringify(synthesis)).toContain('what is this?');
    expect(JSON.stringify(synthesis)).toContain('Draft 1:');
    expect(JSON.stringify(synthesis)).not.toContain('[object Object]');
  });
});
