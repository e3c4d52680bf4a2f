import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { Coordinates } from '../knowledge/geo';
import type { FoundPassage, KnowledgeSearch } from '../knowledge/passage';
import { EvidenceLedger, type Evidence } from './evidence';
import { finishAnswer, UNKNOWN_MARK, type FinishedAnswer, type FinishOptions } from './finish-answer';
import { groundingPrompt, retrievedPassages } from './grounding-prompt';
import { WebSearchError, type WebSearch } from './web-search';
import { HAND_OFF, handOffPrompt, handOffReason, handOffTool } from './hand-off-tool';
import { distanceOf, NEAR_ME, NEAR_NOTES, nearestFirst, nearMeProperty, PLACE_SEARCH_DEPTH } from './near-places';

/**
 * One turn's access to the business's knowledge and the open web: the tools the model is offered
 * (`search_knowledge`, `search_web`, each with one required string `query`; `search_knowledge`
 * also `near_me` while the person's place is known, near-places.ts), their executor, the
 * retrieval step for model servers without tools, and the finish of the answer (citations, strict
 * mode, the promise guard). Everything found goes into the turn's evidence ledger under the
 * reference the model cites. A failing search is an error the model reads, never a failed turn.
 */

export const SEARCH_KNOWLEDGE = 'search_knowledge';
export const SEARCH_WEB = 'search_web';
/** Passages per search: a few hundred words each, so a search costs about a thousand tokens. */
export const KNOWLEDGE_RESULTS = 4;
const MAX_QUERY_LENGTH = 200;

/** What every turn of a worker shares: the knowledge base, the web search, the settings. */
export interface GroundingSources {
  /** null, or size 0: no knowledge (no `search_knowledge`) */
  knowledge: KnowledgeSearch | null;
  /** null: WEB_SEARCH is off (no `search_web`) */
  web: WebSearch | null;
  strict: boolean;
  businessName: string | undefined;
  /** a person can take over (HANDOFF_TARGET): the model is offered `hand_off` */
  handOff?: boolean;
}

/**
 * More tools a turn offers beside the searches (a reminder, say): their definitions, what the
 * model is told about them, and their executor. The grounding only passes them through.
 */
export interface TurnTools {
  readonly tools: ChatCompletionFunctionTool[];
  /** the lines added to the system prompt while the tools are offered */
  readonly prompt: string;
  handles(name: string): boolean;
  run(name: string, argumentsJson: string, signal?: AbortSignal): Promise<string>;
  /** the model server takes no tools: the turn falls back to reading the person's words itself */
  toolsUnavailable?: boolean;
}

const queryTool = (
  name: string,
  description: string,
  query: string,
  more: Record<string, object> = {},
): ChatCompletionFunctionTool => ({
  type: 'function',
  function: {
    name,
    description,
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: query }, ...more },
      required: ['query', ...Object.keys(more)],
      // written to OpenAI's strict mode, which the backends that take `strict: true` are sent
      additionalProperties: false,
    },
  },
});

const argumentsSchema = z.object({
  query: z.string().trim().min(1).max(MAX_QUERY_LENGTH),
  [NEAR_ME]: z.boolean().nullish(),
});

const passageView = (evidence: Evidence, km?: number) => ({
  ref: evidence.ref,
  title: evidence.titlePath.join(' › '),
  text: evidence.text,
  ...(km === undefined ? {} : { distance_km: km }),
});

export class Grounding {
  readonly ledger = new EvidenceLedger();
  /** the passages were put in the conversation up front (a server without tools) */
  private retrieved = false;
  /** the model called `hand_off`: its reason, for the agent (the turn hands the conversation over) */
  handOffAsked: string | undefined;

  /** `origin`: where the person shared they are (this turn, or a while ago in the conversation) */
  constructor(
    private readonly sources: GroundingSources,
    private readonly more?: TurnTools,
    private readonly origin?: Coordinates,
  ) {}

  get hasKnowledge(): boolean {
    return (this.sources.knowledge?.size ?? 0) > 0;
  }

  /** The tools to offer; none when neither knowledge nor web search is there. */
  get tools(): ChatCompletionFunctionTool[] {
    const business = this.sources.businessName ?? 'the business';
    return [
      ...(this.hasKnowledge
        ? [
            queryTool(
              SEARCH_KNOWLEDGE,
              `Search ${business}'s own documents: policies, shipping, returns, store hours, sizes, warranty, privacy, support.`,
              'what to look up, in a few words',
              this.origin ? { [NEAR_ME]: nearMeProperty } : {},
            ),
          ]
        : []),
      ...(this.sources.web
        ? [
            queryTool(
              SEARCH_WEB,
              `Search the open web for fresh general facts. Not for ${business}'s own policies, products or orders.`,
              'a web search query',
            ),
          ]
        : []),
      ...(this.more?.tools ?? []),
      ...(this.sources.handOff ? [handOffTool] : []),
    ];
  }

  handles(name: string): boolean {
    return (
      name === SEARCH_KNOWLEDGE ||
      name === SEARCH_WEB ||
      Boolean(this.more?.handles(name)) ||
      (name === HAND_OFF && Boolean(this.sources.handOff))
    );
  }

  /** The model is answering without tools (retrieval instead): the turn's own tools were not offered. */
  markToolsUnavailable(): void {
    if (this.more) this.more.toolsUnavailable = true;
  }

  /** Whether an answer needs more than the mode's own prompt (tools to offer, or strict rules). */
  get active(): boolean {
    return this.tools.length > 0 || this.sources.strict;
  }

  /** The instructions on top of the system prompt ('' when nothing is configured). */
  prompt(): string {
    if (!this.active) return '';
    const { strict, businessName, web } = this.sources;
    const facts = { knowledge: this.hasKnowledge, web: Boolean(web), strict, businessName, retrieved: this.retrieved };
    const rules = [groundingPrompt(facts), this.sources.handOff ? handOffPrompt : ''].filter(Boolean).join('\n');
    return this.more && !this.more.toolsUnavailable ? `${rules}\n\n${this.more.prompt}` : rules;
  }

  /** Runs one tool call; the answer is the tool message's content for the model. */
  async run(name: string, argumentsJson: string, signal?: AbortSignal): Promise<string> {
    if (name === HAND_OFF && this.sources.handOff) return this.askForPerson(argumentsJson);
    if (this.more?.handles(name)) return this.more.run(name, argumentsJson, signal);
    let raw: unknown;
    try {
      raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
    } catch {
      return JSON.stringify({ error: 'arguments are not valid JSON' });
    }
    const args = argumentsSchema.safeParse(raw);
    if (!args.success) return JSON.stringify({ error: 'invalid arguments: query (a non-empty string) is required' });
    if (name === SEARCH_KNOWLEDGE && this.sources.knowledge)
      return this.searchKnowledge(args.data.query, args.data[NEAR_ME] === true, signal);
    if (name === SEARCH_WEB && this.sources.web) return this.searchWeb(this.sources.web, args.data.query, signal);
    return JSON.stringify({ error: `unknown tool ${name}` });
  }

  /**
   * The retrieval step for a model server without tools: the knowledge searched with the person's
   * words, as a system message (undefined when there is no knowledge).
   */
  async retrieve(question: string, signal?: AbortSignal): Promise<string | undefined> {
    const knowledge = this.sources.knowledge;
    if (!knowledge || !this.hasKnowledge || !question.trim()) return undefined;
    this.retrieved = true;
    this.ledger.searches.push({ kind: 'knowledge', query: question.trim().slice(0, MAX_QUERY_LENGTH) });
    const found = this.ledger.addPassages(await knowledge.search(question, KNOWLEDGE_RESULTS, signal));
    return retrievedPassages(found, this.sources.businessName);
  }

  /** `fromCatalog`: the answer shows products a catalog search found (shopping) */
  finish(answer: string, question: string, texts: FinishOptions['texts'], fromCatalog = false): FinishedAnswer {
    return finishAnswer(answer, this.ledger, { strict: this.sources.strict, question, texts, fromCatalog });
  }

  private askForPerson(argumentsJson: string): string {
    const reason = handOffReason(argumentsJson);
    if (!reason) return JSON.stringify({ error: 'invalid arguments: reason (a non-empty string) is required' });
    this.handOffAsked = reason;
    return JSON.stringify({ ok: true, note: 'A person from the team will be asked to join. Write nothing more.' });
  }

  private async searchKnowledge(query: string, nearMe: boolean, signal?: AbortSignal): Promise<string> {
    this.ledger.searches.push({ kind: 'knowledge', query });
    const knowledge = this.sources.knowledge!;
    if (nearMe) return this.searchNear(await knowledge.search(query, PLACE_SEARCH_DEPTH, signal));
    return this.passagesFound(await knowledge.search(query, KNOWLEDGE_RESULTS, signal));
  }

  /** The places among the query's matches, nearest first; the plain results when none is a place. */
  private searchNear(found: FoundPassage[]): string {
    const note = !this.origin ? NEAR_NOTES.noOrigin : NEAR_NOTES.none;
    const places = this.origin ? nearestFirst(found, this.origin, KNOWLEDGE_RESULTS) : [];
    return places.length > 0
      ? this.passagesFound(places, NEAR_NOTES.sorted)
      : this.passagesFound(found.slice(0, KNOWLEDGE_RESULTS), found.length > 0 ? note : undefined);
  }

  /** Passages as the model reads them, each with its distance from the person where both are known. */
  private passagesFound(hits: FoundPassage[], note?: string): string {
    const found = this.ledger.addPassages(hits);
    const view = found.map((evidence, i) => passageView(evidence, distanceOf(hits[i]!, this.origin)));
    if (found.length > 0) return JSON.stringify({ passages: view, ...(note ? { note } : {}) });
    const next = this.sources.strict
      ? `answer exactly ${UNKNOWN_MARK} if the question is about the business`
      : 'say you do not know';
    return JSON.stringify({ passages: [], note: `Nothing in the business's documents matches: ${next}.` });
  }

  private async searchWeb(web: WebSearch, query: string, signal?: AbortSignal): Promise<string> {
    this.ledger.searches.push({ kind: 'web', query });
    try {
      const found = this.ledger.addWebResults(await web.search(query, signal));
      return JSON.stringify({
        web_results: found.map((evidence) => ({ ...passageView(evidence), url: evidence.url })),
        note: "From the open web, not from the business: never present it as the business's word.",
      });
    } catch (error) {
      if (signal?.aborted || !(error instanceof WebSearchError)) throw error;
      return JSON.stringify({ error: 'the web search is unavailable right now' });
    }
  }
}
