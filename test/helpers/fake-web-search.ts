import { FakeHttpServer } from './http-fake';

/**
 * The two web search APIs Threadline speaks, as their documentation shows their answers: a
 * SearXNG instance's `GET /search?q=…&format=json` (`results[]` of `url`, `title`, `content`,
 * `engine`, …, beside `answers`, `suggestions`, `infoboxes`) and the Brave Search API's
 * `GET /res/v1/web/search?q=…` with `X-Subscription-Token` (`web.results[]` of `title`, `url`,
 * `description` with `<strong>` highlights). Both answer the same pages for any query.
 */

export const WEB_PAGES = [
  {
    title: 'Lisbon weather today',
    url: 'https://weather.example/lisbon',
    text: 'Sunny in Lisbon today, 24 °C in the afternoon, a light wind from the north.',
  },
  {
    title: 'Lisbon travel guide',
    url: 'https://travel.example/lisbon',
    text: 'Trams, viewpoints and the best pastries in town.',
  },
];

export function fakeSearxng(): FakeHttpServer {
  return new FakeHttpServer((request) => {
    const params = new URLSearchParams(request.query);
    if (request.method !== 'GET' || request.path !== '/search' || params.get('format') !== 'json') {
      return { status: 403, body: 'Forbidden' };
    }
    return {
      status: 200,
      body: {
        query: params.get('q'),
        number_of_results: 0,
        results: WEB_PAGES.map((page, i) => ({
          url: page.url,
          title: page.title,
          content: page.text,
          engine: 'duckduckgo',
          parsed_url: ['https', new URL(page.url).host, new URL(page.url).pathname, '', '', ''],
          template: 'default.html',
          engines: ['duckduckgo', 'brave'],
          positions: [i + 1],
          score: 2 / (i + 1),
          category: 'general',
        })),
        answers: [],
        corrections: [],
        infoboxes: [],
        suggestions: ['lisbon weather tomorrow'],
        unresponsive_engines: [],
      },
    };
  });
}

export function fakeBrave(token: string): FakeHttpServer {
  return new FakeHttpServer((request) => {
    if (request.method !== 'GET' || request.path !== '/res/v1/web/search') return { status: 404, body: {} };
    if (request.headers['x-subscription-token'] !== token) {
      return {
        status: 401,
        body: { type: 'ErrorResponse', error: { code: 'SUBSCRIPTION_TOKEN_INVALID', status: 401 } },
      };
    }
    const q = new URLSearchParams(request.query).get('q');
    return {
      status: 200,
      body: {
        type: 'search',
        query: { original: q, more_results_available: true },
        mixed: { type: 'mixed', main: [{ type: 'web', index: 0, all: false }] },
        web: {
          type: 'search',
          family_friendly: true,
          results: WEB_PAGES.map((page) => ({
            type: 'search_result',
            title: page.title,
            url: page.url,
            is_source_local: false,
            is_source_both: false,
            description: page.text.replace('Sunny', '<strong>Sunny</strong>'),
            language: 'en',
            family_friendly: true,
            profile: { name: new URL(page.url).host, url: page.url },
          })),
        },
      },
    };
  });
}
