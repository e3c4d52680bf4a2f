import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegBinary } from '../src/media/ffmpeg';
import { sniffMedia } from '../src/media/sniff';
import type { ChatBody } from './helpers/fake-model';
import { jpegSize } from './helpers/media-fixtures';
import { replies } from './helpers/replies';
import { pageMessage, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Videos end to end with real ffmpeg: a tiny video made here (the `testsrc` pattern and a tone)
 * reaches the model as a few frames beside a line with its length and what its sound said (the
 * fake speech-to-text hears it), on WhatsApp, Messenger and an Instagram reel; one longer than
 * VIDEO_MAX_SECONDS or over MEDIA_MAX_VIDEO_BYTES is refused with its own text.
 */
const ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1', MEDIA_MERGE_WINDOW_MS: '500' };
const run = promisify(execFile);

async function makeVideo(seconds: number, format: 'mp4' | 'webm', sound = true): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'threadline-video-'));
  try {
    const out = join(dir, `clip.${format}`);
    const audio = sound ? ['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`] : [];
    const codecs = format === 'mp4' ? ['-c:v', 'mpeg4', '-c:a', 'aac'] : ['-c:v', 'libvpx', '-c:a', 'libopus'];
    await run(ffmpegBinary(), [
      ...['-hide_banner', '-loglevel', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=1280x720:rate=10`, ...audio],
      ...codecs,
      ...(sound ? ['-shortest'] : ['-an']),
      out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Part = { type: string; text?: string; image_url?: { url: string } };
const parts = (body: ChatBody) => body.messages!.at(-1)!.content as Part[];

describe('videos', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('shows the model frames of a WhatsApp video and what its sound said, with the caption as the question', async () => {
    system = await startSystem({ env: ENV });
    system.model.transcript = () => 'this is my garden';
    const user = '16505550301';
    system.graph.addMedia('9100001', await makeVideo(6, 'mp4'), 'video/mp4');
    await system.deliver(
      'whatsapp',
      whatsAppOf(user, 'video', { id: '9100001', mime_type: 'video/mp4', caption: 'What flowers are these?' }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 30_000);
    const content = parts(system.model.chatRequests()[0]!);
    expect(content[0]!.text).toBe(
      '[video: about 6 s, 4 frames shown; its sound said: "this is my garden"]\n\nWhat flowers are these?',
    );
    const frames = content.filter((p) => p.type === 'image_url');
    expect(frames).toHaveLength(4);
    const jpeg = Buffer.from(frames[0]!.image_url!.url.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(sniffMedia(jpeg)).toEqual({ kind: 'image', format: 'jpeg' });
    expect(jpegSize(jpeg)).toEqual({ width: 768, height: 432 });
    expect(system.model.transcriptionRequests()).toHaveLength(1);
    expect(replies(system.graph, user)[0]!.text).toMatch(/^echo: \[video: about 6 s/);
  });

  it('watches a silent Messenger WebM and an Instagram reel, asking what they show when there is no question', async () => {
    system = await startSystem({ env: { ...ENV, VIDEO_FRAMES: '2' } });
    system.graph.addMedia('fb-clip', await makeVideo(3, 'webm', false), 'video/webm');
    await system.deliver(
      'messenger',
      pageMessage('page', '2000301', [{ type: 'video', payload: { url: system.graph.cdnUrl('fb-clip') } }]),
    );
    await system.graph.waitFor(() => replies(system.graph, '2000301').length === 1, 30_000);
    const silent = parts(system.model.chatRequests()[0]!);
    expect(silent[0]!.text).toBe(
      '[video: about 3 s, 2 frames shown; no words heard]\n\n(a video, no question: say briefly what it shows)',
    );
    expect(system.model.transcriptionRequests()).toHaveLength(0);

    system.graph.addMedia('ig-reel', await makeVideo(2, 'mp4'), 'video/mp4');
    const reel = {
      type: 'ig_reel',
      payload: { url: system.graph.cdnUrl('ig-reel'), title: 'cats', reel_video_id: '1' },
    };
    await system.deliver('instagram', pageMessage('instagram', '3000301', [reel], { text: 'lol' }));
    await system.graph.waitFor(() => replies(system.graph, '3000301').length === 1, 30_000);
    const reelTurn = parts(system.model.chatRequests()[1]!);
    expect(reelTurn[0]!.text).toMatch(/^\[video: about 2 s, 2 frames shown; its sound said: ".+"\]\n\nlol$/);
  });

  it('refuses a video over VIDEO_MAX_SECONDS and one over MEDIA_MAX_VIDEO_BYTES with their own texts', async () => {
    system = await startSystem({ env: { ...ENV, VIDEO_MAX_SECONDS: '3', MEDIA_MAX_VIDEO_BYTES: '2097152' } });
    system.graph.addMedia('9100002', await makeVideo(8, 'mp4'), 'video/mp4');
    await system.deliver('whatsapp', whatsAppOf('16505550302', 'video', { id: '9100002', mime_type: 'video/mp4' }));
    await system.graph.waitFor(() => replies(system.graph, '16505550302').length === 1, 30_000);
    expect(replies(system.graph, '16505550302')[0]!.text).toBe(
      'That video is longer than I can watch (up to 3 seconds). Could you send a shorter clip?',
    );
    const big = Buffer.concat([await makeVideo(2, 'mp4'), Buffer.alloc(2_200_000)]);
    system.graph.addMedia('9100003', big, 'video/mp4');
    await system.deliver('whatsapp', whatsAppOf('16505550303', 'video', { id: '9100003', mime_type: 'video/mp4' }));
    await system.graph.waitFor(() => replies(system.graph, '16505550303').length === 1, 30_000);
    expect(replies(system.graph, '16505550303')[0]!.text).toBe(
      'That video is too big for me (up to 2 MB). Could you send a smaller one?',
    );
    expect(system.model.chatRequests()).toHaveLength(0);
  });
});
