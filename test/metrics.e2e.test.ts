import { freePort } from '../sandbox/redis';
import { makeAudio } from './helpers/media-fixtures';
import { whatsAppMedia, whatsAppText } from './helpers/payloads';
import { parsePrometheusText, sampleValue, type Exposition } from './helpers/prometheus-text';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * What an operator's Prometheus scrapes: `web`'s /metrics on PORT and the worker's on
 * METRICS_PORT, read with a strict parser of the text format. A message answered end to end moves
 * the counters of every stage it went through, and no label value anywhere is the person's id.
 */
const USER = '16505550123';
const TEXT = 'Which size fits a 40 cm box?';

async function scrape(url: string, token?: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, text: await res.text() };
}

function labelValues(exposition: Exposition): string[] {
  return exposition.samples.flatMap((sample) => Object.values(sample.labels));
}

describe('Prometheus metrics on web and worker', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('counts a message answered end to end on both endpoints, in valid Prometheus text, with no user id as a label', async () => {
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()) } });
    const workerUrl = `http://127.0.0.1:${defined(system.workers).metricsPort}`;
    expect((await system.deliver('whatsapp', whatsAppText(USER, TEXT))).status).toBe(200);
    await system.graph.waitFor(() => replies(system.graph, USER).length === 1);

    const web = await scrape(`${system.baseUrl}/metrics`);
    const worker = await scrape(`${workerUrl}/metrics`);
    expect([web.status, worker.status]).toEqual([200, 200]);
    const webMetrics = parsePrometheusText(web.text);
    // The send is counted just after Graph accepts it: wait for the worker's counter, not a fixed time.
    let workerMetrics = parsePrometheusText(worker.text);
    for (let i = 0; i < 50 && sampleValue(workerMetrics, 'threadline_sends_total') === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      workerMetrics = parsePrometheusText((await scrape(`${workerUrl}/metrics`)).text);
    }

    expect(
      sampleValue(webMetrics, 'threadline_webhook_deliveries_total', { platform: 'whatsapp', status: '200' }),
    ).toBe(1);
    expect(sampleValue(webMetrics, 'threadline_ingest_duration_seconds_count', { platform: 'whatsapp' })).toBe(1);
    const turn = { platform: 'whatsapp', mode: 'fast', outcome: 'answer' };
    expect(sampleValue(workerMetrics, 'threadline_turns_total', turn)).toBe(1);
    expect(sampleValue(workerMetrics, 'threadline_turn_duration_seconds_count', turn)).toBe(1);
    const call = { mode: 'fast', model: 'fake-fast' };
    expect(sampleValue(workerMetrics, 'threadline_model_call_duration_seconds_count', { ...call, result: 'ok' })).toBe(
      1,
    );
    expect(sampleValue(workerMetrics, 'threadline_model_tokens_total', { ...call, kind: 'prompt' })).toBe(10);
    expect(sampleValue(workerMetrics, 'threadline_model_tokens_total', { ...call, kind: 'completion' })).toBe(5);
    expect(sampleValue(workerMetrics, 'threadline_sends_total', { platform: 'whatsapp', error_class: 'none' })).toBe(1);
    for (const exposition of [webMetrics, workerMetrics]) {
      const depth = exposition.samples.filter((sample) => sample.name === 'threadline_queue_jobs');
      const series = depth.map(({ labels }) => `${labels.queue}/${labels.state}`).sort();
      // the worker also runs the reminders waiting for their minute
      const queues = exposition === workerMetrics ? ['inbound', 'outbound', 'reminders'] : ['inbound', 'outbound'];
      expect(series).toEqual(
        queues.flatMap((queue) => ['active', 'delayed', 'failed', 'waiting'].map((s) => `${queue}/${s}`)),
      );
      // Redis serves every key (src/redis/redis-health.ts): the same probe as /readyz
      expect(sampleValue(exposition, 'threadline_redis_ready')).toBe(1);
      expect(sampleValue(exposition, 'threadline_redis_masters_unreachable')).toBe(0);
      // default Node metrics, under the same prefix
      expect(exposition.types.get('threadline_process_cpu_user_seconds_total')).toBe('counter');
      expect(labelValues(exposition).filter((value) => value.includes(USER))).toEqual([]);
    }
    expect(web.text + worker.text).not.toContain(USER);
    expect(web.text + worker.text).not.toContain('40 cm');

    const health = await fetch(`${workerUrl}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);
    const ready = await fetch(`${workerUrl}/readyz`);
    expect([ready.status, await ready.text()]).toEqual([200, 'ready']);
  });

  it('counts fair-use refusals by limit and the refused turn as limited', async () => {
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()), LIMIT_FAST: '1/1h' } });
    await system.deliver('whatsapp', whatsAppText(USER, 'first', { id: 'wamid.first' }));
    await system.graph.waitFor(() => replies(system.graph, USER).length === 1);
    await system.deliver('whatsapp', whatsAppText(USER, 'second', { id: 'wamid.second' }));
    await system.graph.waitFor(() => replies(system.graph, USER).length === 2);
    // The turn counts its outcome just after its answer is accepted, so the scrape waits for it.
    const url = `http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`;
    let metrics = parsePrometheusText((await scrape(url)).text);
    for (
      let i = 0;
      i < 50 && !sampleValue(metrics, 'threadline_turns_total', { outcome: 'limited', mode: 'fast' });
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      metrics = parsePrometheusText((await scrape(url)).text);
    }
    expect(sampleValue(metrics, 'threadline_fair_use_refusals_total', { limit: 'fast' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_turns_total', { outcome: 'limited', mode: 'fast' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_turns_total', { outcome: 'answer' })).toBe(1);
  });

  it('times the voice note through ffmpeg and speech-to-text', async () => {
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()), MEDIA_ALLOWED_HOSTS: '127.0.0.1' } });
    const audio = await makeAudio('ogg', 2);
    system.graph.addMedia('7100042', audio.bytes, audio.mimeType);
    await system.deliver('whatsapp', whatsAppMedia(USER, 'audio', { id: '7100042', mimeType: audio.mimeType }));
    await system.graph.waitFor(() => replies(system.graph, USER).length === 1, 20_000);
    const metrics = parsePrometheusText(
      (await scrape(`http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`)).text,
    );
    const transcodes = sampleValue(metrics, 'threadline_transcode_duration_seconds_count', {
      kind: 'audio',
      result: 'ok',
    });
    expect(transcodes).toBe(1);
    expect(sampleValue(metrics, 'threadline_speech_to_text_duration_seconds_count', { result: 'ok' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_transcode_duration_seconds_sum', { kind: 'audio' })).toBeGreaterThan(0);
  });

  it('answers /metrics only with the bearer token when METRICS_TOKEN is set, on both processes', async () => {
    const token = 'scrape-token-0123456789';
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()), METRICS_TOKEN: token } });
    for (const url of [
      `${system.baseUrl}/metrics`,
      `http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`,
    ]) {
      const refused = await scrape(url);
      expect(refused.status).toBe(401);
      expect(refused.text).not.toContain('threadline_');
      expect((await scrape(url, 'wrong-token')).status).toBe(401);
      const allowed = await scrape(url, token);
      expect(allowed.status).toBe(200);
      expect(parsePrometheusText(allowed.text).types.get('threadline_turns_total')).toBe('counter');
    }
  });

  it('serves no worker metrics when METRICS_PORT is 0', async () => {
    system = await startSystem();
    expect(defined(system.workers).metricsPort).toBeUndefined();
  });
});

describe('the strict Prometheus text reader the tests use', () => {
  it('refuses what Prometheus would refuse', () => {
    expect(() => parsePrometheusText('undeclared_total 1\n')).toThrow(/undeclared family/);
    expect(() => parsePrometheusText('# TYPE a counter\na{b="c} 1\n')).toThrow(/not a sample/);
    expect(() => parsePrometheusText('# TYPE a gauge\na one\n')).toThrow(/not a number/);
    expect(parsePrometheusText('# TYPE a gauge\na{b="x\\"y"} 2.5e3\n').samples).toEqual([
      { name: 'a', labels: { b: 'x"y' }, value: 2500 },
    ]);
  });
});
