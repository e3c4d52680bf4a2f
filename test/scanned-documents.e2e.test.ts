import { createCanvas, loadImage } from '@napi-rs/canvas';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { jpegSize } from './helpers/media-fixtures';
import { defined } from './helpers/present';
import { replies } from './helpers/replies';
import { scannedBomb, scannedPdf } from './helpers/scanned-pdf';
import { pageMessage, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { whatsAppText } from './helpers/payloads';

/**
 * Scanned PDFs end to end: a PDF whose pages have no text layer reaches the model as its first
 * pages drawn as images (DOCUMENT_SCAN_PAGES), with the person's question or a request for a
 * short summary; the person gets the model's answer; the history keeps the document's name and
 * what the model said it is, never the images. Where the model takes no images (or the setting
 * is 0) the person is asked for the text instead, the model never asked; a scan whose image is a
 * bomb ends at the reader's memory ceiling in the "too heavy" text.
 */
const ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1', MEDIA_MERGE_WINDOW_MS: '1500' };

type Part = { type: string; text?: string; image_url?: { url: string } };
const partsOf = (body: ChatBody): Part[] => {
  const content = body.messages?.at(-1)?.content;
  return Array.isArray(content) ? (content as Part[]) : [{ type: 'text', text: String(content) }];
};
const imagesOf = (body: ChatBody) =>
  partsOf(body)
    .filter((part) => part.type === 'image_url')
    .map((part) =>
      Buffer.from(defined(/^data:image\/jpeg;base64,(.+)$/.exec(defined(part.image_url).url)?.[1]), 'base64'),
    );
const shows = (body: ChatBody) => imagesOf(body).length > 0;

/** Share of dark pixels in a JPEG: each fixture page has one more bar of "print" than the one before. */
async function inkOf(jpeg: Buffer): Promise<number> {
  const image = await loadImage(jpeg);
  const context = createCanvas(image.width, image.height).getContext('2d');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let dark = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 96) dark += 1;
  return dark / (data.length / 4);
}

describe('scanned documents', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('shows a scanned WhatsApp PDF to the model as its first pages drawn, answers the caption, keeps a note and no image', async () => {
    const model = new FakeModel((body) =>
      shows(body) ? 'The total is 84 EUR.\n[photo: a restaurant bill from 3 May, total 84 EUR]' : FakeModel.echo(body),
    );
    system = await startSystem({ env: ENV, model });
    const user = '16505550201';
    system.graph.addMedia('8100001', scannedPdf(4), 'application/pdf');
    await system.deliver(
      'whatsapp',
      whatsAppOf(user, 'document', {
        id: '8100001',
        mime_type: 'application/pdf',
        filename: 'bill.pdf',
        caption: 'What is the total?',
      }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 40_000);
    const asked = system.model.chatRequests()[0]!;
    const [text] = partsOf(asked);
    expect(text).toEqual({
      type: 'text',
      text: '[document: bill.pdf, 4 pages] (a scan with no text layer: its first 3 pages are images 1 to 3 below)\n\nWhat is the total?',
    });
    const pages = imagesOf(asked);
    expect(pages.map(jpegSize)).toEqual(Array(3).fill({ width: 1212, height: 1568 }));
    const ink = await Promise.all(pages.map(inkOf));
    expect(ink[0]).toBeGreaterThan(0.03);
    expect(ink[1]).toBeGreaterThan(ink[0]!);
    expect(ink[2]).toBeGreaterThan(ink[1]!);
    expect(JSON.stringify(asked.messages![0])).toContain('scanned document');
    expect(replies(system.graph, user)[0]!.text).toBe(
      'The total is 84 EUR.\n\n(I read only the first 3 of its 4 pages.)',
    );

    await system.deliver('whatsapp', whatsAppText(user, 'and the date?'));
    await system.graph.waitFor(() => replies(system.graph, user).length === 2, 20_000);
    const next = system.model.chatRequests()[1]!;
    expect(next.messages![1]).toEqual({
      role: 'user',
      content: '[document: bill.pdf, 4 pages, scanned] a restaurant bill from 3 May, total 84 EUR\nWhat is the total?',
    });
    expect(JSON.stringify(next.messages)).not.toContain('image_url');
  });

  it('asks for a short summary of a scanned Messenger file sent with no question', async () => {
    system = await startSystem({ env: ENV, model: new FakeModel((body) => `saw ${imagesOf(body).length} pages`) });
    system.graph.addMedia('scan.pdf', scannedPdf(1), 'application/pdf');
    await system.deliver(
      'messenger',
      pageMessage('page', '2000201', [{ type: 'file', payload: { url: system.graph.cdnUrl('scan.pdf') } }]),
    );
    await system.graph.waitFor(() => replies(system.graph, '2000201').length === 1, 40_000);
    const asked = system.model.chatRequests()[0]!;
    expect(imagesOf(asked)).toHaveLength(1);
    expect(partsOf(asked)[0]!.text).toBe(
      '[document: scan.pdf, 1 pages] (a scan with no text layer: its pages are image 1 below)\n\n' +
        '(a document, no question: reply with a short summary of it)',
    );
    expect(replies(system.graph, '2000201')[0]!.text).toBe('saw 1 pages');
  });

  it.each([
    ['the model takes no images', { LLM_PROVIDER: 'deepseek' }],
    ['DOCUMENT_SCAN_PAGES is 0', { DOCUMENT_SCAN_PAGES: '0' }],
  ])('refuses a scanned PDF with the no-text text when %s, never asking the model', async (_label, env) => {
    system = await startSystem({ env: { ...ENV, ...env }, model: new FakeModel() });
    const user = '16505550202';
    system.graph.addMedia('8100002', scannedPdf(2), 'application/pdf');
    await system.deliver(
      'whatsapp',
      whatsAppOf(user, 'document', { id: '8100002', mime_type: 'application/pdf', caption: 'what is this?' }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 40_000);
    expect(replies(system.graph, user)[0]!.text).toContain('That PDF has no text I can read');
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('refuses a scan whose image inflates past the reader memory ceiling as too heavy, never asking the model', async () => {
    system = await startSystem({ env: ENV, model: new FakeModel() });
    const user = '16505550203';
    system.graph.addMedia('8100003', scannedBomb(12_000), 'application/pdf');
    await system.deliver('whatsapp', whatsAppOf(user, 'document', { id: '8100003', mime_type: 'application/pdf' }));
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 40_000);
    expect(replies(system.graph, user)[0]!.text).toContain('That document is too heavy for me to read');
    expect(system.model.chatRequests()).toHaveLength(0);
  });
});
