import type { SandboxEnv } from '../config/sandbox-env';
import { DEMO_MODEL_NAME, startDemoResponder, type DemoResponder } from './demo-responder';

/**
 * Which model answers in the sandbox, in order: LLM_BASE_URL when set; a local Ollama when one
 * answers; the offline demo responder otherwise. The product path is the same in all three
 * (an OpenAI-compatible base URL); only the environment given to the worker differs.
 */
export interface ModelSource {
  kind: 'configured' | 'ollama' | 'demo';
  /** what the page shows */
  label: string;
  model: string;
  /** environment for web and worker */
  env: Record<string, string>;
  /** how to get real answers (shown on the page when kind is demo) */
  hint: string | undefined;
  stop(): Promise<void>;
}

const PLUG_IN_HINT =
  'Start Ollama (ollama serve; ollama pull llama3.2) or set LLM_BASE_URL, LLM_API_KEY and LLM_MODEL_FAST, then restart npm run sandbox.';

async function ollamaModels(host: string): Promise<string[] | undefined> {
  try {
    const response = await fetch(`${host.replace(/\/+$/, '')}/api/tags`, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { models?: Array<{ name?: string; model?: string }> };
    return (body.models ?? []).map((m) => m.model ?? m.name ?? '').filter((name) => name.length > 0);
  } catch {
    return undefined;
  }
}

export async function chooseModelSource(env: SandboxEnv): Promise<ModelSource> {
  let demo: DemoResponder | undefined;
  const demoStt = async () => {
    demo ??= await startDemoResponder();
    return demo.baseUrl;
  };
  const stop = async () => {
    await demo?.stop();
  };

  if (env.LLM_BASE_URL) {
    if (!env.LLM_MODEL_FAST) throw new Error('LLM_BASE_URL is set but LLM_MODEL_FAST is not: name the model to use.');
    return {
      kind: 'configured',
      label: `${env.LLM_MODEL_FAST} at ${new URL(env.LLM_BASE_URL).host}`,
      model: env.LLM_MODEL_FAST,
      env: {},
      hint: undefined,
      stop,
    };
  }

  const models = env.SANDBOX_DETECT_OLLAMA === 'true' ? await ollamaModels(env.OLLAMA_HOST) : undefined;
  const ollamaModel = env.OLLAMA_MODEL ?? models?.[0];
  if (models && ollamaModel) {
    // Ollama has no /audio/transcriptions: voice notes go to the demo responder, which says so.
    const stt: Record<string, string> = env.STT_BASE_URL ? {} : { STT_BASE_URL: await demoStt() };
    return {
      kind: 'ollama',
      label: `Ollama · ${ollamaModel}`,
      model: ollamaModel,
      env: {
        LLM_BASE_URL: `${env.OLLAMA_HOST.replace(/\/+$/, '')}/v1`,
        LLM_API_KEY: 'ollama',
        LLM_MODEL_FAST: ollamaModel,
        ...stt,
      },
      hint: env.STT_BASE_URL
        ? undefined
        : 'Voice notes: set STT_BASE_URL to a Whisper-compatible server for real transcripts.',
      stop,
    };
  }

  const base = await demoStt();
  return {
    kind: 'demo',
    label: models
      ? 'Offline demo responder (Ollama is running but has no model: ollama pull llama3.2)'
      : 'Offline demo responder, not an AI model',
    model: DEMO_MODEL_NAME,
    env: {
      LLM_BASE_URL: base,
      LLM_API_KEY: 'demo',
      LLM_MODEL_FAST: DEMO_MODEL_NAME,
      ...(env.STT_BASE_URL ? {} : { STT_BASE_URL: base }),
    },
    hint: PLUG_IN_HINT,
    stop,
  };
}
