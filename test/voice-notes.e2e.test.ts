import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { id3Wrapped, makeAudio, wavFormat, type AudioFormat } from './helpers/media-fixtures';
import { pageAttachment, whatsAppMedia, whatsAppText, whatsAppDelivery } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Voice notes on all three platforms, end to end: the webhook, the worker downloading from the
 * (fake) Graph API as Meta documents it, the real bundled ffmpeg, the (fake) speech-to-text
 * server, the model, and the answer the user receives. Tests set MEDIA_ALLOWED_HOSTS to the
 * loopback address the fakes listen on.
 */
const MEDIA_ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1' };

describe('voice notes', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('answers a WhatsApp voice note as if it had been typed, sending STT 16 kHz mono WAV', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const audio = await makeAudio('ogg', 3);
    system.graph.addMedia('7100001', audio.bytes, audio.mimeType);
    const res = await system.deliver(
      'whatsapp',
      whatsAppMedia('16505551234', 'audio', { id: '7100001', mimeType: audio.mimeType }),
    );
    expect(res.status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe('echo: [voice note] what is the weather tomorrow (history: 0)');

    // GET /{version}/{media id} with the bearer, then the returned URL with the same bearer and a User-Agent.
    const lookup = system.graph.requests.find((r) => r.method === 'GET' && r.path === '/v25.0/7100001');
    expect(lookup?.headers.authorization).toBe('Bearer wa-token');
    const download = firstOf(system.graph.mediaDownloads());
    expect(download.headers.authorization).toBe('Bearer wa-token');
    expect(download.headers['user-agent']).toMatch(/\S/);

    const stt = firstOf(system.model.transcriptionRequests());
    expect(stt.fields.model).toBe('whisper-1');
    const wav = defined(stt.files.file).bytes;
    expect(wavFormat(wav)).toEqual({
      audioFormat: 1,
      channels: 1,
      sampleRate: 16_000,
      bitsPerSample: 16,
      dataBytes: wav.length - 44,
    });
    expect(wavFormat(wav).dataBytes / 32_000).toBeCloseTo(3, 0);

    // The history remembers it was spoken.
    await system.deliver('whatsapp', whatsAppText('16505551234', 'and the day after?'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
    const second = defined(system.model.chatRequests()[1]);
    expect(defined(second.messages)[1]).toEqual({ role: 'user', content: '[voice note] what is the weather tomorrow' });
  });

  it('reads every audio format Meta delivers (OGG/Opus, AAC, AMR, MP3, M4A, WebM)', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const formats: AudioFormat[] = ['ogg', 'aac', 'amr', 'mp3', 'm4a', 'webm'];
    system.model.transcript = (form) =>
      `heard ${(wavFormat(defined(form.files.file).bytes).dataBytes / 32_000).toFixed(0)} seconds`;
    for (const [i, format] of formats.entries()) {
      const audio = await makeAudio(format, 2);
      system.graph.addMedia(`72000${i}`, audio.bytes, audio.mimeType);
      await system.deliver(
        'whatsapp',
        whatsAppMedia(`1650555000${i}`, 'audio', { id: `72000${i}`, mimeType: audio.mimeType, voice: false }),
      );
    }
    await system.graph.waitFor(() => system.graph.sentTexts().length === formats.length, 25_000);
    for (const sent of system.graph.sentTexts())
      expect(sent.text).toBe('echo: [voice note] heard 2 seconds (history: 0)');
    for (const stt of system.model.transcriptionRequests()) {
      expect(wavFormat(defined(stt.files.file).bytes)).toMatchObject({
        channels: 1,
        sampleRate: 16_000,
        bitsPerSample: 16,
      });
    }
  });

  it('answers a Messenger audio attachment from its CDN payload.url, without sending a token', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const audio = await makeAudio('m4a', 2);
    system.graph.addMedia('fb-audio', audio.bytes, 'video/mp4');
    await system.deliver('messenger', pageAttachment('page', '2000001', 'audio', system.graph.cdnUrl('fb-audio')));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(system.graph.sentTexts()[0]).toMatchObject({
      to: '2000001',
      text: 'echo: [voice note] what is the weather tomorrow (history: 0)',
    });
    expect(firstOf(system.graph.mediaDownloads()).headers.authorization).toBeUndefined();
  });

  it('answers an Instagram audio attachment', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const audio = await makeAudio('m4a', 2);
    system.graph.addMedia('ig-audio', audio.bytes, 'audio/mp4');
    await system.deliver('instagram', pageAttachment('instagram', '3000001', 'audio', system.graph.cdnUrl('ig-audio')));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(system.graph.sentTexts()[0]).toMatchObject({
      to: '3000001',
      text: 'echo: [voice note] what is the weather tomorrow (history: 0)',
    });
  });

  it('fetches a fresh URL once when the WhatsApp media URL has expired (404), then answers', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const audio = await makeAudio('ogg', 2);
    system.graph.addMedia('7100002', audio.bytes, audio.mimeType);
    const staleUrl = `${system.graph.url}/whatsapp-media/7100002?stale=1`;
    system.graph.script({ status: 404, body: { error: { message: 'URL expired', code: 100 } } }, 1, (r) =>
      r.path.startsWith('/whatsapp-media/'),
    );
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505559999', 'audio', { id: '7100002', mimeType: audio.mimeType, url: staleUrl }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe('echo: [voice note] what is the weather tomorrow (history: 0)');
    const media = system.graph.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(media).toEqual(['/whatsapp-media/7100002', '/v25.0/7100002', '/whatsapp-media/7100002']);
  });

  it('says so when the audio is corrupt, without calling speech-to-text or the model', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const audio = await makeAudio('ogg', 2);
    system.graph.addMedia(
      '7100003',
      Buffer.concat([audio.bytes.subarray(0, 60), Buffer.alloc(3000, 0x41)]),
      audio.mimeType,
    );
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505550100', 'audio', { id: '7100003', mimeType: audio.mimeType }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(/couldn't play that voice note/);
    expect(system.model.transcriptionRequests()).toHaveLength(0);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('says so when a voice note is longer than the cap', async () => {
    system = await startSystem({ env: { ...MEDIA_ENV, VOICE_NOTE_MAX_SECONDS: '1' } });
    const audio = await makeAudio('ogg', 3);
    system.graph.addMedia('7100004', audio.bytes, audio.mimeType);
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505550101', 'audio', { id: '7100004', mimeType: audio.mimeType }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(/longer than I can listen to \(up to 1 second\)/);
    expect(system.model.transcriptionRequests()).toHaveLength(0);
  });

  it('apologises once when speech-to-text stays down, after a bounded retry', async () => {
    system = await startSystem({ env: { ...MEDIA_ENV, TURN_ATTEMPTS: '2' } });
    const audio = await makeAudio('ogg', 2);
    system.graph.addMedia('7100005', audio.bytes, audio.mimeType);
    system.model.script({ status: 503, body: { error: { message: 'overloaded' } } }, 5, (r) =>
      r.path.endsWith('/audio/transcriptions'),
    );
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505550102', 'audio', { id: '7100005', mimeType: audio.mimeType }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(/can't listen to voice notes right now/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.model.transcriptionRequests()).toHaveLength(2);
    expect(system.graph.sentTexts()).toHaveLength(1);
  });

  it('names what it can read when sent something it cannot (a poll)', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const delivery = whatsAppDelivery([
      {
        from: '16505550103',
        id: 'wamid.POLL1',
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'unsupported',
        unsupported: { type: 'poll' },
      },
    ]);
    await system.deliver('whatsapp', delivery);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    expect(firstOf(system.graph.sentTexts()).text).toBe(
      "Sorry, I can't open that kind of message. I can read text, voice notes, photos, videos and documents (PDF, Word, text, CSV): could you send it as one of those?",
    );
  });

  it('refuses an ID3 tag hiding an HLS playlist or an ffconcat list that names a local file: no STT call', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    // A real voice note on the worker's disk: a probing ffmpeg would follow the playlist to it.
    const dir = await mkdtemp(join(tmpdir(), 'threadline-secret-'));
    try {
      const secret = join(dir, 'secret.mp3');
      await writeFile(secret, (await makeAudio('mp3', 2)).bytes);
      const hls = `#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n${secret}\n#EXT-X-ENDLIST\n`;
      const concat = `ffconcat version 1.0\nfile '${secret}'\n`;
      system.graph.addMedia('7000902', id3Wrapped(hls), 'audio/mpeg');
      system.graph.addMedia('7000903', id3Wrapped(concat), 'audio/mpeg');
      await system.deliver(
        'whatsapp',
        whatsAppMedia('16505557001', 'audio', { id: '7000902', mimeType: 'audio/mpeg' }),
      );
      await system.deliver(
        'whatsapp',
        whatsAppMedia('16505557002', 'audio', { id: '7000903', mimeType: 'audio/mpeg' }),
      );
      await system.graph.waitFor(() => system.graph.sentTexts().length === 2, 20_000);
      const refusal =
        "Sorry, I can't open that audio file. I can read text, voice notes, photos, videos and documents (PDF, Word, text, CSV): could you send it as one of those?";
      const answers = Object.fromEntries(system.graph.sentTexts().map((sent) => [sent.to, sent.text]));
      expect(answers).toEqual({ '16505557001': refusal, '16505557002': refusal });
      expect(system.model.transcriptionRequests()).toHaveLength(0);
      expect(system.model.chatRequests()).toHaveLength(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
