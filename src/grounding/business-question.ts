/**
 * Whether a message asks about the business itself — its policies, orders, shipping, returns,
 * hours, stores, payments, warranty, sizes, prices, privacy — as data, per language. Strict mode
 * (KNOWLEDGE_STRICT=on) answers such a question only from the business's passages. A question
 * about anything else (a recipe, a translation) is answered as the mode answers it; the answer
 * still passes the promise guard.
 */

/** Alternatives as whole words in any script (`\b` knows only ASCII letters). */
const words = (alternatives: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'iu');

export const BUSINESS_TOPICS: Readonly<Record<string, RegExp>> = {
  en: words(
    String.raw`return(?:s|ing)?|refunds?|exchanges?|ship(?:s|ping|ped)?|deliver(?:y|ies|s)?|orders?|tracking|parcel|store|shop|branch|opening|open (?:on|at|today|tomorrow|now|late)|closing|closes|closed (?:on|at|today|tomorrow)|hours|warrant(?:y|ies)|guarantee|repairs?|sizes?|sizing|payments?|pay|invoice|prices?|discounts?|coupons?|vouchers?|promo|privacy|personal data|account|cancel(?:lation)?|stock|pick ?up|customer service|contact|policy|policies`,
  ),
  es: words(
    String.raw`devoluci(?:ón|ones)|devolver|reembolsos?|cambios?|envíos?|enviar|entregas?|pedidos?|tienda|abr(?:e|en|ir)|cierra|horarios?|garantía|reparaci(?:ón|ones)|tallas?|pagos?|pagar|factura|precios?|descuentos?|cupón|privacidad|datos personales|cuenta|cancelar|stock|recogida|atención al cliente|contacto|política`,
  ),
  fr: words(
    String.raw`retours?|retourner|rembours\w*|échanges?|livraisons?|livrer|expédi\w*|commandes?|magasin|boutique|ouvert\w*|ferm\w*|horaires?|garantie|réparations?|tailles?|paiements?|payer|facture|prix|réductions?|promo|confidentialité|données personnelles|compte|annul\w*|stock|retrait|service client|contact|politique`,
  ),
  de: words(
    String.raw`rückgabe|rücksendung|zurückschicken|erstattung|umtausch|versand|lieferung|liefern|bestellung(?:en)?|laden|filiale|geöffnet|öffnungszeiten|geschlossen|garantie|gewährleistung|reparatur|größen?|zahlung|bezahlen|rechnung|preise?|rabatt|gutschein|datenschutz|konto|stornier\w*|lager|abholung|kundenservice|kontakt`,
  ),
  pt: words(
    String.raw`devoluç(?:ão|ões)|devolver|reembolsos?|trocas?|envios?|entregas?|pedidos?|encomendas?|loja|abert[ao]|fecha|horários?|garantia|reparos?|tamanhos?|pagamentos?|pagar|fatura|preços?|descontos?|cupom|privacidade|dados pessoais|conta|cancelar|estoque|retirada|atendimento|contato|política`,
  ),
  it: words(
    String.raw`resi|reso|restituire|rimborsi?|cambi|spedizion[ei]|consegn[ae]|ordini?|negozio|apert[oi]|chius[oi]|orari|garanzia|riparazion[ei]|taglie?|pagamenti?|pagare|fattura|prezzi?|sconti?|coupon|privacy|dati personali|account|annullare|magazzino|ritiro|assistenza clienti|contatto`,
  ),
};

export function isBusinessQuestion(text: string): boolean {
  return Object.values(BUSINESS_TOPICS).some((pattern) => pattern.test(text));
}
