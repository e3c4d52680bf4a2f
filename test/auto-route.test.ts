import type { ChatModel, ChatRequest } from '../src/inference/chat-model';
import { routeMessage, verdictIn } from '../src/modes/auto-route';
import { signalVerdict } from '../src/modes/route-signals';

/**
 * Auto mode's choice for one message, without a system around it: the signals of six languages
 * (and of the message's shape), and the router model's verdict under its time budget.
 */
describe("auto mode's signals", () => {
  it.each([
    ['I have a rash and a fever, what should I take?', 'health'],
    ['¿Cuánta dosis de paracetamol puede tomar un niño?', 'health'],
    ['Estou com dor de cabeça e febre há três dias', 'health'],
    ["J'ai une douleur à la poitrine depuis hier", 'health'],
    ['Welche Nebenwirkungen hat dieses Medikament?', 'health'],
    ['Ho la febbre alta e tosse, cosa faccio?', 'health'],
    ['Can my landlord keep my deposit?', 'legal'],
    ['Mi jefe me quiere despedir sin contrato, ¿qué hago?', 'legal'],
    ['Meu senhorio pode aumentar o aluguel no meio do contrato?', 'legal'],
    ['Mon propriétaire peut-il garder ma caution ? Je suis locataire.', 'legal'],
    ['Darf mein Vermieter die Kaution behalten?', 'legal'],
    ["L'avvocato dice che il contratto non vale", 'legal'],
    ['Is it better to pay off my mortgage or invest?', 'financial'],
    ['¿Cómo declaro mis impuestos como autónomo?', 'financial'],
    ['Vale a pena fazer um empréstimo para pagar dívidas?', 'financial'],
    ['Comment fonctionne le taux d’un prêt immobilier ?', 'financial'],
    ['Lohnt sich ein Kredit mit 5 % Zinsen?', 'financial'],
    ['Conviene un mutuo a tasso fisso?', 'financial'],
    ['What does the new minimum wage regulation change?', 'policy'],
    ['¿Qué cambia la nueva ley de vivienda del gobierno?', 'policy'],
    ['Solve x^2 - 5x + 6 = 0', 'maths'],
    ['Combien font 17 × 23 ?', 'maths'],
    ['Calcula el 15% de 80', 'maths'],
    ['Plan a three-day itinerary for Lisbon', 'planning'],
    ['Hilf mir, einen Zeitplan für meine Prüfungen zu planen', 'planning'],
    ['Compare the iPhone and the Pixel: which is better for photos?', 'multi-step'],
    ['Quais são as vantagens e desvantagens de morar sozinho?', 'multi-step'],
    ['Why is the sky blue? And why are sunsets red?', 'multi-step'],
    // A word problem has no telling word, but it has numbers to work with.
    ['A train leaves at 14:10 and travels 210 km at 84 km/h. When does it arrive?', 'maths'],
    // German compounds end in the word the list knows.
    ['Erstelle mir einen Trainingsplan für einen Halbmarathon', 'planning'],
  ])('takes %j to thinking (%s)', (text, signal) => {
    expect(signalVerdict(text)).toEqual({ mode: 'thinking', signal });
  });

  it.each([
    ['hi!', 'casual'],
    ['Hola, ¿qué tal?', 'casual'],
    ['Oi, tudo bem?', 'casual'],
    ['Bonjour ! Ça va ?', 'casual'],
    ['Guten Morgen!', 'casual'],
    ['Ciao, come stai?', 'casual'],
    ['who wrote Hamlet?', 'simple'],
    // Portuguese "legal" is "cool": not a legal question.
    ['Que legal! Gostei muito.', 'simple'],
    ['What is the capital of Peru?', 'simple'],
    ['Ich habe das Video gesehen, sehr lustig', 'simple'],
    ['', 'no-text'],
    [undefined, 'no-text'],
  ])('takes %j to fast (%s)', (text, signal) => {
    expect(signalVerdict(text)).toEqual({ mode: 'fast', signal });
  });

  it('reads a long message laid out in points as a problem in several steps', () => {
    expect(signalVerdict('Things to sort out:\n1. the car\n2. the flat').signal).toBe('multi-step');
    expect(signalVerdict('so '.repeat(150)).signal).toBe('long');
  });

  it('reads dates and ranges as no arithmetic', () => {
    expect(signalVerdict('See you on 12/05, somewhere between 3-4 pm')).toEqual({ mode: 'fast', signal: 'simple' });
  });
});

describe("auto mode's router", () => {
  const routerModel = (answer: (request: ChatRequest) => Promise<string>): ChatModel => ({
    complete: async (request) => ({ text: await answer(request), model: request.model, usage: undefined }),
  });
  const settings = { model: 'router', timeoutMs: 200 };
  const signal = new AbortController().signal;

  it('reads the verdict around punctuation and reasoning tags', () => {
    expect(verdictIn('Thinking.')).toBe('thinking');
    expect(verdictIn('<think>it is small talk, so fast</think>\nthinking')).toBe('thinking');
    expect(verdictIn('FAST')).toBe('fast');
    expect(verdictIn('I cannot tell')).toBeUndefined();
  });

  it("takes the router's verdict over the signals", async () => {
    const model = routerModel(() => Promise.resolve('fast'));
    const routed = await routeMessage('What is a safe dose of aspirin?', { model, settings }, signal);
    expect(routed).toEqual({ route: { mode: 'fast', reason: 'router' }, router: 'verdict' });
  });

  it('falls back to the signals on an unclear answer, an error, or a missed budget', async () => {
    const unclear = routerModel(() => Promise.resolve('maybe'));
    const failing = routerModel(() => Promise.reject(new Error('500')));
    const slow: ChatModel = {
      complete: (request) =>
        new Promise((_, reject) => request.signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const health = { mode: 'thinking', reason: 'health' };
    const text = 'What is a safe dose of aspirin?';
    expect(await routeMessage(text, { model: unclear, settings }, signal)).toEqual({
      route: health,
      router: 'unclear',
    });
    expect(await routeMessage(text, { model: failing, settings }, signal)).toEqual({ route: health, router: 'error' });
    const started = Date.now();
    expect(await routeMessage(text, { model: slow, settings }, signal)).toEqual({ route: health, router: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('is not asked about a message without words', async () => {
    const model = routerModel(() => Promise.reject(new Error('should not be called')));
    expect(await routeMessage('  ', { model, settings }, signal)).toEqual({
      route: { mode: 'fast', reason: 'no-text' },
      router: 'none',
    });
  });
});
