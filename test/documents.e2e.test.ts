import { FakeModel, type ChatBody } from './helpers/fake-model';
import { docxBomb, encryptedDocx, encryptedPdf, makeDocx, scriptedPdf } from './helpers/document-fixtures';
import { makePdf } from './helpers/knowledge-files';
import { replies } from './helpers/replies';
import { pageMessage, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { whatsAppText } from './helpers/payloads';

/**
 * Documents end to end on the three apps: the text of a PDF, DOCX, text file or CSV reaches the
 * model with the person's question (the caption, or the message that follows), a short summary is
 * asked for when there is none, a cap that cut the document short is told, and hostile or
 * unreadable files get their own friendly text without the model being asked. Scanned PDFs (no
 * text layer) are in scanned-documents.e2e.test.ts.
 */
const ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1', MEDIA_MERGE_WINDOW_MS: '1500' };
const lastUser = (body: ChatBody) => {
  const content = body.messages?.at(-1)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
};
const model = () => new FakeModel((body) => `read ${lastUser(body).length} characters`);

describe('documents', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('reads a WhatsApp PDF with its caption as the question, and keeps an excerpt (not the file) in the history', async () => {
    system = await startSystem({ env: ENV, model: model() });
    const user = '16505550101';
    system.graph.addMedia('8000001', makePdf(['Opening hours: 9 to 5', 'Closed on Sundays']), 'application/pdf');
    await system.deliver(
      'whatsapp',
      whatsAppOf(user, 'document', {
        id: '8000001',
        mime_type: 'application/pdf',
        filename: 'hours.pdf',
        caption: 'When are you open?',
      }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 30_000);
    const asked = lastUser(system.model.chatRequests()[0]!);
    expect(asked).toContain('[document: hours.pdf, 2 pages]');
    expect(asked).toContain('Opening hours: 9 to 5');
    expect(asked).toContain('Closed on Sundays');
    expect(asked.endsWith('When are you open?')).toBe(true);
    expect(replies(system.graph, user)[0]!.text).toBe(`read ${asked.length} characters`);

    await system.deliver('whatsapp', whatsAppText(user, 'thanks'));
    await system.graph.waitFor(() => replies(system.graph, user).length === 2, 20_000);
    expect(system.model.chatRequests()[1]!.messages![1]).toEqual({
      role: 'user',
      content: '[document: hours.pdf, 2 pages] Opening hours: 9 to 5 Closed on Sundays\nWhen are you open?',
    });
  });

  it('takes the message after a DOCX as its question: one turn, one answer', async () => {
    system = await startSystem({ env: ENV, model: model() });
    const user = '16505550102';
    system.graph.addMedia('8000002', makeDocx(['Refunds within 30 days.', 'Keep the receipt.']), 'application/msword');
    const now = Math.floor(Date.now() / 1000);
    await system.deliver(
      'whatsapp',
      whatsAppOf(
        user,
        'document',
        { id: '8000002', mime_type: 'application/msword', filename: 'policy.docx' },
        { timestamp: now },
      ),
    );
    await system.deliver('whatsapp', whatsAppText(user, 'Can I get a refund?', { timestamp: now }));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(replies(system.graph, user)).toHaveLength(1);
    expect(system.model.chatRequests()).toHaveLength(1);
    const asked = lastUser(system.model.chatRequests()[0]!);
    expect(asked).toContain('[document: policy.docx, docx]\nRefunds within 30 days.\n\nKeep the receipt.');
    expect(asked.endsWith('Can I get a refund?')).toBe(true);
  });

  it('asks for a short summary when a document comes with no question, and tells the person what a page cap left out', async () => {
    system = await startSystem({ env: { ...ENV, DOCUMENT_MAX_PAGES: '2' }, model: model() });
    const user = '16505550103';
    system.graph.addMedia('8000003', makePdf(['one', 'two', 'three', 'four']), 'application/pdf');
    await system.deliver('whatsapp', whatsAppOf(user, 'document', { id: '8000003', mime_type: 'application/pdf' }));
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 30_000);
    const asked = lastUser(system.model.chatRequests()[0]!);
    expect(asked).toContain('[document: 4 pages] (the first 2 pages only)\none\n\ntwo\n[end of document]');
    expect(asked).not.toContain('three');
    expect(asked).toContain('reply with a short summary');
    expect(replies(system.graph, user)[0]!.text).toBe(
      `read ${asked.length} characters\n\n(I read only the first 2 of its 4 pages.)`,
    );
  });

  it('reads a Messenger CSV file and an Instagram text file, and tells a character cap in the person language', async () => {
    system = await startSystem({ env: { ...ENV, DOCUMENT_MAX_CHARS: '40' }, model: model() });
    system.graph.addMedia('prices.csv', Buffer.from('item,price\nboots,120\nscarf,25\n'), 'text/csv');
    await system.deliver(
      'messenger',
      pageMessage('page', '2000101', [{ type: 'file', payload: { url: system.graph.cdnUrl('prices.csv') } }], {
        text: 'How much are the boots?',
      }),
    );
    await system.graph.waitFor(() => replies(system.graph, '2000101').length === 1, 20_000);
    const csv = lastUser(system.model.chatRequests()[0]!);
    expect(csv).toContain('[document: prices.csv, csv]\nitem,price\nboots,120\nscarf,25\n[end of document]');
    expect(csv.endsWith('How much are the boots?')).toBe(true);

    const long = `${'Lorem ipsum dolor sit amet. '.repeat(10)}`;
    system.graph.addMedia('notes.txt', Buffer.from(long), 'text/plain');
    await system.deliver(
      'instagram',
      pageMessage('instagram', '3000101', [{ type: 'file', payload: { url: system.graph.cdnUrl('notes.txt') } }], {
        text: '¿Qué dice esta nota?',
      }),
    );
    await system.graph.waitFor(() => replies(system.graph, '3000101').length === 1, 20_000);
    const asked = lastUser(system.model.chatRequests()[1]!);
    expect(asked).toContain(`[document: notes.txt, text] (its beginning only)\n${long.slice(0, 40).trim()}`);
    expect(replies(system.graph, '3000101')[0]!.text).toMatch(
      /\(Era largo, así que solo leí sus primeros 40 caracteres\.\)$/,
    );
  });

  it.each([
    ['an encrypted PDF', () => encryptedPdf(), 'That document is protected with a password'],
    ['a password-protected DOCX', () => encryptedDocx(), 'That document is protected with a password'],
    ['a PDF with JavaScript', () => scriptedPdf(), 'That PDF contains embedded scripts'],
    ['a zip-bomb DOCX', () => docxBomb(80 * 1024 * 1024), 'That file unpacks to far more than its size suggests'],
    ['an executable posing as a PDF', () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]), 'I can read PDF, Word'],
    ['a PDF bomb', () => makePdf(['x'], { bombBytes: 400 * 1024 * 1024 }), 'That document is too heavy for me to read'],
  ])('refuses %s with its own text, never asking the model', async (_label, make, text) => {
    system = await startSystem({ env: { ...ENV, DOCUMENT_MAX_MEMORY_MB: '160' }, model: model() });
    const user = '16505550104';
    system.graph.addMedia('8000004', make(), 'application/pdf');
    await system.deliver(
      'whatsapp',
      whatsAppOf(user, 'document', { id: '8000004', mime_type: 'application/pdf', caption: 'what is this?' }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 40_000);
    expect(replies(system.graph, user)[0]!.text).toContain(text);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('refuses a document over DOCUMENT_MAX_BYTES, naming the cap', async () => {
    system = await startSystem({ env: { ...ENV, DOCUMENT_MAX_BYTES: '2048' }, model: model() });
    system.graph.addMedia('big.pdf', makePdf(['x'.repeat(5000)]), 'application/pdf');
    await system.deliver(
      'messenger',
      pageMessage('page', '2000102', [{ type: 'file', payload: { url: system.graph.cdnUrl('big.pdf') } }]),
    );
    await system.graph.waitFor(() => replies(system.graph, '2000102').length === 1, 20_000);
    expect(replies(system.graph, '2000102')[0]!.text).toBe(
      'That document is too big for me (up to 2 KB). Could you send a smaller one?',
    );
  });
});
