import { loadConfig, ConfigError } from '../../config';
import { knowledgeTexts } from '../../src/core/reply-texts';
import { isBusinessQuestion } from '../../src/grounding/business-question';
import { takeReferences } from '../../src/grounding/finish-answer';
import { guardPromises } from '../../src/grounding/promise-guard';
import { promisesIn, type PromiseKind } from '../../src/grounding/promise-rules';
import { supports } from '../../src/grounding/support';
import { testEnv } from '../helpers/system';
import { translatorFor } from '../../src/i18n/translator';

const en = translatorFor('en');
const TEXTS = { removed: knowledgeTexts.promiseRemoved(en), withheld: knowledgeTexts.promiseWithheld(en) };

/**
 * The promise guard's rules, one language at a time: what counts as a promise on the business's
 * behalf, what a passage must hold to back it, and what the person then reads.
 */

const PROMISES: Array<[string, string, PromiseKind]> = [
  ['en', "We'll refund the full amount to your card.", 'refund'],
  ['en', 'I can give you a 15% discount on this order.', 'discount'],
  ['en', 'Someone will call you back this afternoon.', 'callback'],
  ['en', 'Your order will arrive on Friday.', 'delivery-date'],
  ['en', "We'll make an exception and accept it after 60 days.", 'exception'],
  ['es', 'Te reembolsaremos el importe completo.', 'refund'],
  ['es', 'Le daremos un 10% de descuento.', 'discount'],
  ['es', 'Te llamaremos mañana por la mañana.', 'callback'],
  ['es', 'Tu pedido llegará el viernes.', 'delivery-date'],
  ['es', 'Haremos una excepción contigo.', 'exception'],
  ['fr', 'Nous vous rembourserons sous 48 heures.', 'refund'],
  ['fr', 'Nous vous offrons une remise de 20 %.', 'discount'],
  ['fr', 'Nous vous rappellerons demain.', 'callback'],
  ['fr', 'Votre colis sera livré demain.', 'delivery-date'],
  ['fr', 'Nous ferons une exception pour vous.', 'exception'],
  ['de', 'Wir werden Ihnen den Betrag erstatten.', 'refund'],
  ['de', 'Wir werden Ihnen den Betrag morgen zurückerstatten.', 'refund'],
  ['de', 'Wir geben Ihnen 10 % Rabatt.', 'discount'],
  ['de', 'Wir rufen Sie morgen zurück.', 'callback'],
  ['de', 'Das Paket kommt am Montag.', 'delivery-date'],
  ['de', 'Wir können eine Ausnahme machen.', 'exception'],
  ['pt', 'Vamos reembolsar o valor total.', 'refund'],
  ['pt', 'Podemos te dar um desconto de 10%.', 'discount'],
  ['pt', 'Vamos te ligar amanhã.', 'callback'],
  ['pt', 'O pedido chegará amanhã.', 'delivery-date'],
  ['pt', 'Podemos abrir uma exceção.', 'exception'],
  ['it', 'Ti rimborseremo entro una settimana.', 'refund'],
  ['it', 'Ti faremo uno sconto del 10%.', 'discount'],
  ['it', 'Ti richiameremo domani.', 'callback'],
  ['it', 'Il pacco arriverà domani.', 'delivery-date'],
  ['it', "Faremo un'eccezione per te.", 'exception'],
];

const PLAIN = [
  'Our return window is 30 days from delivery.',
  'Refunds are issued to the original payment method.',
  'I will explain how sizes run: they are true to size.',
  'Las devoluciones son gratuitas durante 30 días.',
  'Die Lieferung dauert in der Regel drei bis fünf Werktage.',
  'You could try the Trail Runner 2 at €79.90.',
  "We can't refund opened items.",
  "Sure, I'll call you Sam from now on.",
];

describe('promise rules', () => {
  it.each(PROMISES)('[%s] finds a promise in "%s" (%s)', (_language, sentence, kind) => {
    expect(promisesIn(sentence)).toContain(kind);
  });

  it.each(PLAIN)('finds none in a plain statement: "%s"', (sentence) => {
    expect(promisesIn(sentence)).toEqual([]);
  });
});

describe('support of a promise by a passage', () => {
  const returns =
    '30 days, unworn, with the tags on. Refunds go back to the original payment method within 5 business days of the parcel reaching us.';

  it('holds when the passage says the same, with the same numbers', () => {
    expect(supports(returns, 'We will refund you within 5 business days of the parcel reaching us.')).toBe(true);
  });

  it('fails on a number or a day the passage does not have', () => {
    expect(supports(returns, 'We will refund you within 2 business days.')).toBe(false);
    expect(supports(returns, 'We will refund you tomorrow.')).toBe(false);
  });

  it('fails when the passage is about something else', () => {
    expect(supports(returns, 'We will give you a discount on your next order.')).toBe(false);
  });
});

describe('the guard', () => {
  it('keeps an answer without promises untouched', () => {
    const text = 'Returns are free within 30 days.\n\nAnything else?';
    expect(guardPromises(text, [], TEXTS)).toEqual({ text, action: 'kept', kinds: [] });
  });

  it('takes an unbacked promise out of an answer and says so, keeping the rest and its paragraphs', () => {
    const verdict = guardPromises(
      'Returns take 30 days.\n\nWe will call you tomorrow to sort it out. Thanks!',
      [],
      TEXTS,
    );
    expect(verdict.action).toBe('rewritten');
    expect(verdict.kinds).toEqual(['callback']);
    expect(verdict.text).toBe(`Returns take 30 days.\n\nThanks!\n\n${TEXTS.removed}`);
  });

  it('withholds an answer that was nothing but promises', () => {
    const verdict = guardPromises('Te reembolsaremos todo y te llamaremos mañana.', [], TEXTS);
    expect(verdict).toEqual({
      text: TEXTS.withheld,
      action: 'withheld',
      kinds: ['refund', 'callback'],
    });
  });
});

describe('references and business questions', () => {
  it('takes [K1] and [K1, W2] out of the text and lists them once', () => {
    expect(takeReferences('Thirty days [K1]. Sunny [W2] and open [k1, W2].')).toEqual({
      text: 'Thirty days. Sunny and open.',
      refs: ['K1', 'W2'],
    });
  });

  it.each([
    'What is your return policy?',
    'Do you ship to Canada?',
    'Is the store open on Sunday?',
    '¿Cuál es la política de devoluciones?',
    'Quels sont vos horaires ?',
    'Wie lange dauert der Versand?',
  ])('takes "%s" for a question about the business', (question) => {
    expect(isBusinessQuestion(question)).toBe(true);
  });

  it.each(['What is the capital of France?', 'Translate "good morning" into Italian', 'Explain photosynthesis'])(
    'takes "%s" for a general question',
    (question) => {
      expect(isBusinessQuestion(question)).toBe(false);
    },
  );
});

describe('configuration', () => {
  it('is off by default and names what web search is missing', () => {
    expect(loadConfig(testEnv()).answers).toEqual({ strict: false, webSearch: null });
    expect(() => loadConfig(testEnv({ WEB_SEARCH: 'searxng' }))).toThrow(ConfigError);
    expect(() => loadConfig(testEnv({ WEB_SEARCH: 'brave' }))).toThrow(/WEB_SEARCH_API_KEY/);
    expect(
      loadConfig(testEnv({ WEB_SEARCH: 'brave', WEB_SEARCH_API_KEY: 'k', KNOWLEDGE_STRICT: 'on' })).answers,
    ).toEqual({
      strict: true,
      webSearch: { provider: 'brave', baseUrl: 'https://api.search.brave.com', apiKey: 'k', timeoutMs: 8000 },
    });
  });
});
