import { request } from 'undici';
import { z } from 'zod';
import type { WebSearchConfig } from '../../config';

/**
 * The open web, where the operator switched it on (WEB_SEARCH): a self-hosted SearXNG instance
 * (its JSON API, `GET /search?q=…&format=json`) or the Brave Search API (`GET
 * /res/v1/web/search?q=…` with `X-Subscription-Token`). Both answers are read with zod into one
 * short shape; a failure of any kind is a WebSearchError the tool turns into an error the model
 * reads, never a failed turn. Result pages are cited, never fetched.
 */

export interface WebResult {
  title: string;
  url: string;
  snippet: string;
}

export interface WebSearch {
  readonly provider: WebSearchConfig['provider'];
  search(query: string, signal?: AbortSignal): Promise<WebResult[]>;
}

export class WebSearchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebSearchError';
  }
}

/** Results handed to the model per search: enough to answer, few enough to keep the turn cheap. */
export const WEB_RESULTS = 5;
/** The largest answer read: search APIs answer tens of KB. */
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const SNIPPET_CHARS = 400;

const httpUrl = z.string().refine((value) => /^https?:\/\//i.test(value));
const searxngAnswer = z.object({
  results: z.array(z.looseObject({ url: z.unknown(), title: z.unknown(), content: z.unknown() })).default([]),
});
const braveAnswer = z.object({
  web: z
    .object({
      results: z.array(z.looseObject({ url: z.unknown(), title: z.unknown(), description: z.unknown() })).default([]),
    })
    .optional(),
});

/** Markup some engines leave in titles and snippets (Brave's <strong>), and entities, as plain words. */
function plain(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) =>
      name === 'amp'
        ? '&'
        : name === 'lt'
          ? '<'
          : name === 'gt'
            ? '>'
            : name === 'quot'
              ? '"'
              : name === 'nbsp'
                ? ' '
                : "'",
    )
    .replace(/\s+/g, ' ')
    .trim();
}

function result(url: unknown, title: unknown, snippet: unknown): WebResult[] {
  if (!httpUrl.safeParse(url).success) return [];
  const text = plain(snippet);
  return [{ url: url as string, title: plain(title) || (url as string), snippet: text.slice(0, SNIPPET_CHARS) }];
}

async function getJson(url: string, headers: Record<string, string>, config: WebSearchConfig, signal?: AbortSignal) {
  let response;
  try {
    response = await request(url, {
      headers: { accept: 'application/json', ...headers },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)])
        : AbortSignal.timeout(config.timeoutMs),
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_RESPONSE_BYTES) throw new WebSearchError('web search answer too large');
      chunks.push(chunk as Buffer);
    }
    if (response.statusCode !== 200) throw new WebSearchError(`web search answered ${response.statusCode}`);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (error) {
    if (error instanceof WebSearchError) throw error;
    throw new WebSearchError(`web search failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

function searxng(config: Extract<WebSearchConfig, { provider: 'searxng' }>): WebSearch {
  return {
    provider: 'searxng',
    async search(query, signal) {
      const url = `${config.baseUrl}/search?${new URLSearchParams({ q: query, format: 'json' }).toString()}`;
      const parsed = searxngAnswer.safeParse(await getJson(url, {}, config, signal));
      if (!parsed.success) throw new WebSearchError('SearXNG answered something else than its JSON results');
      return parsed.data.results.flatMap((r) => result(r.url, r.title, r.content)).slice(0, WEB_RESULTS);
    },
  };
}

function brave(config: Extract<WebSearchConfig, { provider: 'brave' }>): WebSearch {
  return {
    provider: 'brave',
    async search(query, signal) {
      const params = new URLSearchParams({ q: query, count: String(WEB_RESULTS) });
      const url = `${config.baseUrl}/res/v1/web/search?${params.toString()}`;
      const answer = await getJson(url, { 'x-subscription-token': config.apiKey }, config, signal);
      const parsed = braveAnswer.safeParse(answer);
      if (!parsed.success) throw new WebSearchError('Brave answered something else than its web search results');
      return (parsed.data.web?.results ?? [])
        .flatMap((r) => result(r.url, r.title, r.description))
        .slice(0, WEB_RESULTS);
    },
  };
}

export function createWebSearch(config: WebSearchConfig): WebSearch {
  return config.provider === 'searxng' ? searxng(config) : brave(config);
}
