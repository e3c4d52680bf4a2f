import { cleanText, titleFromName, type KnowledgeDocument } from './document';

/** Plain text: paragraphs are separated by blank lines; the file name is the title. */
export function extractPlainText(text: string, source: string, url: string | undefined): KnowledgeDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n').map(cleanText).filter(Boolean).join('\n'))
    .filter(Boolean);
  return {
    source,
    url,
    title: titleFromName(source),
    blocks: paragraphs.map((paragraph) => ({ kind: 'text' as const, text: paragraph })),
  };
}
