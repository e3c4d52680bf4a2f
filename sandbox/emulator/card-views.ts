/**
 * What the sandbox page draws for a product message, read from the Send API body the emulator
 * accepted: the same fields the apps show (image, title, price, body, footer, buttons), with the
 * products of a WhatsApp catalog message looked up in the emulator's catalog as WhatsApp does.
 */

export interface ProductView {
  id: string;
  title: string;
  /** e.g. "€79.90 (was €89.90)" */
  price: string;
  imageUrl: string | undefined;
  link: string | undefined;
}

export interface CardButton {
  type: 'web_url' | 'postback' | 'other';
  title: string;
  url?: string;
  payload?: string;
}

export interface CarouselElement {
  title: string;
  subtitle: string | undefined;
  imageUrl: string | undefined;
  /** where tapping the card itself goes */
  defaultUrl: string | undefined;
  buttons: CardButton[];
}

export type CardView =
  | {
      type: 'cta_url';
      headerImageUrl: string | undefined;
      headerText: string | undefined;
      body: string;
      footer: string | undefined;
      button: { title: string; url: string };
    }
  | { type: 'product'; body: string | undefined; footer: string | undefined; product: ProductView }
  | {
      type: 'product_list';
      header: string;
      body: string;
      footer: string | undefined;
      sections: Array<{ title: string | undefined; products: ProductView[] }>;
    }
  | { type: 'carousel'; squareImages: boolean; elements: CarouselElement[] }
  /** a Messenger / Instagram button template: text above 1–3 buttons (an answer's sources) */
  | { type: 'buttons'; text: string; buttons: CardButton[] };

/** A catalog the emulator knows, as Commerce Manager would hold it for the sandbox's business. */
export interface EmulatorCatalog {
  id: string;
  product(retailerId: string): ProductView | undefined;
  /** every item as the Graph API's `GET /{catalog-id}/products` edge gives it (ProductItem fields) */
  items: Array<Record<string, unknown>>;
}

/** Either what to draw, or the Graph error Meta would answer with (code and message). */
export type CardReading = { card: CardView } | { code: number; message: string };

/** Characters as Meta counts them for these limits: code points. */
export const charCount = (text: string): number => [...text].length;

export const isHttpUrl = (value: string): boolean => /^https?:\/\/[^\s/]+/i.test(value);
