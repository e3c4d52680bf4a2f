import { FakeHttpServer, type RecordedRequest } from './http-fake';

/**
 * The Graph API's catalog edges as Meta documents them: `GET /{v}/{catalog-id}?fields=product_count`
 * and `GET /{v}/{catalog-id}/products?fields=...&limit=N&after=CURSOR`, answering
 * `{ data: [...], paging: { cursors: { before, after }, next } }`. `flaw` reproduces the paging
 * faults Meta warns about (and `unlisted`, items no page ever shows): for pages of at least `flaw.fromLimit` items, the cursor after page 0
 * steps back (items repeat) and the one after page 1 jumps ahead (items are skipped).
 */
export interface CatalogItem {
  retailer_id: string;
  name: string;
  [field: string]: unknown;
}

export class FakeCatalogGraph extends FakeHttpServer {
  items: CatalogItem[] = [];
  flaw: { fromLimit: number; repeat: number; skip: number } | undefined;
  /** retailer ids the edge leaves out of every page while product_count still counts them */
  unlisted = new Set<string>();
  token = 'catalog-token';

  constructor(readonly catalogId = '1234567890') {
    super((request) => this.answer(request));
  }

  static item(n: number, extra: Partial<CatalogItem> = {}): CatalogItem {
    return {
      id: `9${n}`,
      retailer_id: `sku-${n}`,
      name: `Product ${n}`,
      description: `Description of product ${n}`,
      availability: 'in stock',
      condition: 'new',
      price: `$${(10 + n).toFixed(2)}`,
      currency: 'USD',
      url: `https://shop.example/p/${n}`,
      image_url: `https://shop.example/i/${n}.jpg`,
      brand: 'Acme',
      ...extra,
    };
  }

  productRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/products'));
  }

  private answer(request: RecordedRequest) {
    if (request.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { error: { message: 'Invalid OAuth access token', code: 190 } } };
    }
    const url = new URL(`http://fake${request.path}?${request.query}`);
    if (request.path.endsWith(`/${this.catalogId}`)) {
      return { status: 200, body: { id: this.catalogId, product_count: this.items.length } };
    }
    if (!request.path.endsWith(`/${this.catalogId}/products`)) {
      return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
    }
    const limit = Number(url.searchParams.get('limit') ?? '25');
    const after = url.searchParams.get('after');
    const { offset, page } = after ? (JSON.parse(Buffer.from(after, 'base64url').toString()) as Cursor) : first;
    const data = this.items.slice(offset, offset + limit).filter((item) => !this.unlisted.has(item.retailer_id));
    let nextOffset = offset + limit;
    if (this.flaw && limit >= this.flaw.fromLimit) {
      if (page === 0) nextOffset -= this.flaw.repeat;
      if (page === 1) nextOffset += this.flaw.skip;
    }
    const cursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
    const more = nextOffset < this.items.length;
    const afterCursor = cursor({ offset: nextOffset, page: page + 1 });
    return {
      status: 200,
      body: {
        data,
        paging: {
          cursors: { before: cursor({ offset, page }), after: afterCursor },
          ...(more ? { next: `${this.url}${request.path}?limit=${limit}&after=${afterCursor}&access_token=x` } : {}),
        },
      },
    };
  }
}

interface Cursor {
  offset: number;
  page: number;
}
const first: Cursor = { offset: 0, page: 0 };
