import { z } from 'zod';
import { charCount, isHttpUrl, type CardReading, type EmulatorCatalog, type ProductView } from './card-views';

/**
 * The WhatsApp interactive messages that show products, checked as the Cloud API checks them
 * (src/platforms/whatsapp/NOTES.md, "Product and citation messages"): `product` (no header, body
 * ≤ 1024, footer ≤ 60), `product_list` (text header ≤ 60 and body ≤ 1024 required, 1–10 sections,
 * section titles ≤ 24 and required past one section, ≤ 30 products in all) and `cta_url` (optional
 * text or image header, body ≤ 1024 required, footer ≤ 60, button text ≤ 20, an http(s) URL).
 * Catalog messages name products that must exist in the business's catalog. A violation answers
 * code 100 (or 131009 for an unknown product) with the parameter named, as Graph does.
 */

const LIMITS = { header: 60, body: 1024, footer: 60, sectionTitle: 24, sections: 10, products: 30, buttonText: 20 };

const textPart = z.looseObject({ text: z.string() });
const interactiveSchema = z.looseObject({
  type: z.string(),
  header: z
    .looseObject({
      type: z.string(),
      text: z.string().optional(),
      image: z.looseObject({ link: z.string().optional(), id: z.string().optional() }).optional(),
    })
    .optional(),
  body: textPart.optional(),
  footer: textPart.optional(),
  action: z.looseObject({
    catalog_id: z.string().optional(),
    product_retailer_id: z.string().optional(),
    name: z.string().optional(),
    parameters: z.looseObject({ display_text: z.string().optional(), url: z.string().optional() }).optional(),
    sections: z
      .array(
        z.looseObject({
          title: z.string().optional(),
          product_items: z.array(z.looseObject({ product_retailer_id: z.string() })),
        }),
      )
      .optional(),
  }),
});
type Interactive = z.infer<typeof interactiveSchema>;

class Rejected extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new Rejected(100, `Invalid parameter: ${message}`);

function limited(path: string, text: string | undefined, max: number, required: boolean): string | undefined {
  if (text === undefined || text.trim() === '') {
    if (required) throw invalid(`${path} is required`);
    return undefined;
  }
  if (charCount(text) > max) throw invalid(`${path} must be at most ${max} characters long`);
  return text;
}

function catalogProduct(catalog: EmulatorCatalog | undefined, catalogId: string | undefined, id: string): ProductView {
  if (!catalogId) throw invalid('interactive[action][catalog_id] is required');
  if (!catalog || catalogId !== catalog.id)
    throw new Rejected(
      131009,
      `Parameter value is not valid: catalog ${catalogId} is not connected to this WhatsApp Business Account`,
    );
  const product = catalog.product(id);
  if (!product)
    throw new Rejected(131009, `Parameter value is not valid: product ${id} is not in catalog ${catalogId}`);
  return product;
}

function readProduct(i: Interactive, catalog: EmulatorCatalog | undefined): CardReading {
  if (i.header) throw invalid('interactive[header] is not allowed for single-product messages');
  const id = i.action.product_retailer_id;
  if (!id) throw invalid('interactive[action][product_retailer_id] is required');
  return {
    card: {
      type: 'product',
      body: limited('interactive[body][text]', i.body?.text, LIMITS.body, false),
      footer: limited('interactive[footer][text]', i.footer?.text, LIMITS.footer, false),
      product: catalogProduct(catalog, i.action.catalog_id, id),
    },
  };
}

function readProductList(i: Interactive, catalog: EmulatorCatalog | undefined): CardReading {
  if (i.header?.type !== 'text') throw invalid('interactive[header] of type text is required');
  const sections = i.action.sections ?? [];
  if (sections.length < 1 || sections.length > LIMITS.sections)
    throw invalid(`interactive[action][sections] must have 1 to ${LIMITS.sections} sections`);
  const total = sections.reduce((sum, s) => sum + s.product_items.length, 0);
  if (total > LIMITS.products) throw invalid(`at most ${LIMITS.products} products in all sections (got ${total})`);
  return {
    card: {
      type: 'product_list',
      header: limited('interactive[header][text]', i.header.text, LIMITS.header, true)!,
      body: limited('interactive[body][text]', i.body?.text, LIMITS.body, true)!,
      footer: limited('interactive[footer][text]', i.footer?.text, LIMITS.footer, false),
      sections: sections.map((section, n) => {
        if (section.product_items.length === 0) throw invalid(`sections[${n}][product_items] must not be empty`);
        const title = limited(`sections[${n}][title]`, section.title, LIMITS.sectionTitle, sections.length > 1);
        const products = section.product_items.map((item) =>
          catalogProduct(catalog, i.action.catalog_id, item.product_retailer_id),
        );
        return { title, products };
      }),
    },
  };
}

function readCtaUrl(i: Interactive): CardReading {
  const header = i.header;
  if (header && header.type !== 'text' && header.type !== 'image')
    throw invalid(`interactive[header][type] ${header.type} is not shown by the sandbox (text or image)`);
  const imageLink = header?.type === 'image' ? header.image?.link : undefined;
  if (header?.type === 'image' && !(imageLink && isHttpUrl(imageLink)))
    throw invalid('interactive[header][image][link] must be an http(s) URL');
  if (i.action.name !== 'cta_url') throw invalid('interactive[action][name] must be cta_url');
  const url = i.action.parameters?.url ?? '';
  if (!isHttpUrl(url)) throw invalid('interactive[action][parameters][url] must be an http(s) URL');
  return {
    card: {
      type: 'cta_url',
      headerImageUrl: imageLink,
      headerText:
        header?.type === 'text' ? limited('interactive[header][text]', header.text, LIMITS.header, true) : undefined,
      body: limited('interactive[body][text]', i.body?.text, LIMITS.body, true)!,
      footer: limited('interactive[footer][text]', i.footer?.text, LIMITS.footer, false),
      button: {
        title: limited(
          'interactive[action][parameters][display_text]',
          i.action.parameters?.display_text,
          LIMITS.buttonText,
          true,
        )!,
        url,
      },
    },
  };
}

export const WHATSAPP_CARD_TYPES = ['product', 'product_list', 'cta_url'];

/** Reads one `interactive` object of a product-showing type; other types are not cards. */
export function readWhatsAppCard(interactive: unknown, catalog: EmulatorCatalog | undefined): CardReading {
  const parsed = interactiveSchema.safeParse(interactive);
  if (!parsed.success)
    return { code: 100, message: `Invalid parameter: interactive ${parsed.error.issues[0]?.message}` };
  try {
    if (parsed.data.type === 'product') return readProduct(parsed.data, catalog);
    if (parsed.data.type === 'product_list') return readProductList(parsed.data, catalog);
    return readCtaUrl(parsed.data);
  } catch (error) {
    if (error instanceof Rejected) return { code: error.code, message: error.message };
    throw error;
  }
}
