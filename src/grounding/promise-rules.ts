/**
 * What a promise on the business's behalf looks like, as data: per kind and language, a pattern
 * for one sentence. A sentence that matches promises something only the business can grant — a
 * refund, a discount, a call, a delivery date, an exception to its rules — and is kept only when
 * a passage of the business's own documents backs it (promise-guard.ts). A language missing here
 * is still guarded by the rules of the others where words coincide, and by the model's prompt;
 * adding one is a few lines below, tested in test/grounding/promise-guard.test.ts.
 */

export type PromiseKind = 'refund' | 'discount' | 'callback' | 'delivery-date' | 'exception';

export interface PromiseRule {
  kind: PromiseKind;
  /** BCP 47 language of the words, for the docs and the tests */
  language: string;
  pattern: RegExp;
}

/** "we will", "I'll", "we can" …: the business (or the assistant for it) committing itself. */
const EN_WE = String.raw`\b(?:we(?:'ll|’ll| will(?! not)| can(?!'t|’t|not| not)| are going to| shall)|i(?:'ll|’ll| will(?! not)| can(?!'t|’t|not| not)| am going to)|(?:someone|an agent|a colleague|our team) will)\b`;
const EN_GAP = String.raw`[^.!?\n]{0,40}`;
const EN_DAYS = String.raw`(?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|by|on|within|in \d+)`;

/** `\b` as a boundary of letters in any script (JavaScript's own knows only ASCII letters). */
const LETTER_BOUNDARY = String.raw`(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`;
const anyScript = (rule: PromiseRule): PromiseRule => ({
  ...rule,
  pattern: new RegExp(rule.pattern.source.replaceAll(String.raw`\b`, LETTER_BOUNDARY), 'iu'),
});

export const PROMISE_RULES: readonly PromiseRule[] = (
  [
    // English
    {
      kind: 'refund',
      language: 'en',
      pattern: new RegExp(
        String.raw`${EN_WE}${EN_GAP}\b(?:refund|reimburse|money back)|\byou(?:'ll|’ll| will) (?:get|receive|be given|be)\b[^.!?\n]{0,20}\b(?:refund|money back|reimbursed)`,
        'i',
      ),
    },
    {
      kind: 'discount',
      language: 'en',
      pattern: new RegExp(
        String.raw`${EN_WE}${EN_GAP}\b(?:discount|\d+\s?% off|coupon|voucher|promo code|free shipping|price match)|\byou(?:'ll|’ll| will) (?:get|receive)\b[^.!?\n]{0,20}\b(?:discount|coupon|voucher|% off)`,
        'i',
      ),
    },
    {
      kind: 'callback',
      language: 'en',
      pattern: new RegExp(
        String.raw`${EN_WE}[^.!?\n]{0,30}\b(?:(?:call|ring|phone) you(?: back| (?:today|tomorrow|tonight|later|soon|shortly|at|on|in|within|this|next)\b)|contact you|get back to you|reach out to you|email you)`,
        'i',
      ),
    },
    {
      kind: 'delivery-date',
      language: 'en',
      pattern: new RegExp(
        String.raw`\b(?:it|they|your (?:order|parcel|package|item|delivery)s?)(?:'ll|’ll| will)\b[^.!?\n]{0,30}\b(?:arrive|be delivered|be there|reach you|be shipped|ship)\b[^.!?\n]{0,30}\b${EN_DAYS}|\bguaranteed? (?:delivery|to arrive)`,
        'i',
      ),
    },
    {
      kind: 'exception',
      language: 'en',
      pattern: new RegExp(
        String.raw`${EN_WE}[^.!?\n]{0,30}\b(?:make an exception|waive|extend (?:the|your) (?:return|warranty|deadline)|bend the rules|overlook)`,
        'i',
      ),
    },
    // Spanish
    {
      kind: 'refund',
      language: 'es',
      pattern:
        /\b(?:te |le |les )?(?:reembolsaremos|devolveremos (?:el|tu|su) dinero|(?:vamos a|podemos) (?:reembolsar|devolver(?:te|le)? el dinero))/i,
    },
    {
      kind: 'discount',
      language: 'es',
      pattern:
        /\b(?:te|le|les) (?:daremos|damos|ofrecemos|ofreceremos|haremos|aplicaremos) un (?:\d+\s?% de )?(?:descuento|cupón)/i,
    },
    { kind: 'callback', language: 'es', pattern: /\b(?:te|le|les) (?:llamaremos|llamaré|contactaremos|escribiremos)/i },
    {
      kind: 'delivery-date',
      language: 'es',
      pattern:
        /\b(?:llegará|lo recibirás|la recibirás|lo entregaremos|se entregará)\b[^.!?\n]{0,40}\b(?:hoy|mañana|lunes|martes|miércoles|jueves|viernes|sábado|domingo|en \d+ días)/i,
    },
    { kind: 'exception', language: 'es', pattern: /\b(?:haremos|haré|podemos hacer) una excepción/i },
    // French
    {
      kind: 'refund',
      language: 'fr',
      pattern:
        /\b(?:nous vous rembourserons|je vous rembourserai|nous allons vous rembourser|vous serez remboursée?s?)/i,
    },
    {
      kind: 'discount',
      language: 'fr',
      pattern:
        /\b(?:nous vous|je vous) (?:offrons|offrirons|accordons|accorderons|ferons|ferai)\b[^.!?\n]{0,30}\b(?:réduction|remise|rabais|code promo)/i,
    },
    {
      kind: 'callback',
      language: 'fr',
      pattern:
        /\b(?:nous vous|je vous) (?:rappellerons|rappelons|rappellerai|contacterons|contacterai|recontacterons)/i,
    },
    {
      kind: 'delivery-date',
      language: 'fr',
      pattern:
        /\b(?:sera livrée?s?|vous (?:la |le |les )?recevrez|arrivera)\b[^.!?\n]{0,40}\b(?:aujourd'hui|demain|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|sous \d+ jours)/i,
    },
    { kind: 'exception', language: 'fr', pattern: /\b(?:ferons|ferai|pouvons faire) une exception/i },
    // German
    {
      kind: 'refund',
      language: 'de',
      pattern:
        /\b(?:wir|ich) (?:werden|werde)\b[^.!?\n]{0,40}\b(?:zurück)?erstatten|\b(?:wir erstatten|erstatten wir) (?:ihnen|dir)/i,
    },
    {
      kind: 'discount',
      language: 'de',
      pattern:
        /\b(?:wir geben|geben wir|ich gebe|bekommen sie|bekommst du|erhalten sie)\b[^.!?\n]{0,40}\b(?:rabatt|nachlass|gutschein)/i,
    },
    {
      kind: 'callback',
      language: 'de',
      pattern: /\b(?:wir|ich) (?:rufen|rufe|melden|melde) (?:sie|dich|uns|mich)\b[^.!?\n]{0,20}\b(?:zurück|an|bei)/i,
    },
    {
      kind: 'delivery-date',
      language: 'de',
      pattern:
        /\b(?:kommt|wird geliefert|erhalten sie|bekommst du)\b[^.!?\n]{0,40}\b(?:heute|morgen|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|in \d+ tagen)/i,
    },
    { kind: 'exception', language: 'de', pattern: /\bausnahme (?:machen|gewähren)/i },
    // Portuguese
    {
      kind: 'refund',
      language: 'pt',
      pattern:
        /\b(?:vamos|iremos|podemos) (?:te |lhe )?(?:reembolsar|devolver o (?:seu|teu) dinheiro)|\breembolsaremos/i,
    },
    {
      kind: 'discount',
      language: 'pt',
      pattern: /\b(?:vamos|podemos|iremos) (?:te |lhe )?(?:dar|oferecer)\b[^.!?\n]{0,30}\bdesconto/i,
    },
    {
      kind: 'callback',
      language: 'pt',
      pattern: /\b(?:vamos|iremos) (?:te |lhe )?(?:ligar|contactar|contatar)|\b(?:te|lhe) ligaremos/i,
    },
    {
      kind: 'delivery-date',
      language: 'pt',
      pattern:
        /\b(?:chegará|vai chegar|receberá|vai receber)\b[^.!?\n]{0,40}\b(?:hoje|amanhã|segunda|terça|quarta|quinta|sexta|sábado|domingo|em \d+ dias)/i,
    },
    { kind: 'exception', language: 'pt', pattern: /\b(?:vamos|podemos) (?:abrir|fazer) uma exceção/i },
    // Italian
    {
      kind: 'refund',
      language: 'it',
      pattern: /\b(?:ti|le|vi) rimborseremo|\b(?:rimborseremo|ti restituiremo i soldi)/i,
    },
    {
      kind: 'discount',
      language: 'it',
      pattern: /\b(?:ti|le|vi) (?:daremo|faremo|offriremo) uno? (?:\d+\s?% di )?sconto/i,
    },
    { kind: 'callback', language: 'it', pattern: /\b(?:ti|la|vi) (?:richiameremo|chiameremo|contatteremo)/i },
    {
      kind: 'delivery-date',
      language: 'it',
      pattern:
        /\b(?:arriverà|lo riceverai|la riceverai|sarà consegnat[oa])\b[^.!?\n]{0,40}\b(?:oggi|domani|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|in \d+ giorni)/i,
    },
    { kind: 'exception', language: 'it', pattern: /\bfaremo un'eccezione/i },
  ] satisfies PromiseRule[]
).map(anyScript);

/** The kinds of promise a sentence makes (none for most sentences). */
export function promisesIn(sentence: string): PromiseKind[] {
  return [...new Set(PROMISE_RULES.filter((rule) => rule.pattern.test(sentence)).map((rule) => rule.kind))];
}
