import { privacyTexts } from '../commands/privacy-texts';
import { modeName } from '../commands/texts';
import { conversationKey } from '../core/inbound';
import { isMode } from '../core/modes';
import { splitForPlatform } from '../core/split';
import { exportFigures, type PersonExport } from '../privacy/person-export';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import type { CommandAnswer } from './command-answer';

export type ExportDeps = Pick<TurnDependencies, 'people' | 'exporter' | 'modeStore' | 'exportLinks'>;

/** More Instagram messages than this would bury the thread: past it the person is pointed elsewhere. */
const MAX_TEXT_PARTS = 40;

/**
 * `/export`: everything kept about the person, on every linked app, as JSON. Where the platform
 * carries files (WhatsApp documents, Messenger file attachments) it goes as a file; Instagram DMs
 * carry no such file, so there the person reads a short summary, then gets the file through a
 * one-time link to `web` (PUBLIC_BASE_URL set) or, without one, the data itself in as few
 * messages as the platform allows. The file is sent from the turn, before the reply that says it
 * was sent; if sending fails the reply says so.
 */
export async function runExport(turn: TurnContext, deps: ExportDeps): Promise<CommandAnswer> {
  const { message, adapter } = turn;
  const { person } = turn;
  const everything = await deps.exporter.collect(
    person,
    await deps.people.accountsOf(person),
    privacyTexts.exportAbout(turn.t),
  );
  const json = JSON.stringify(everything, null, 2);
  const mode = await deps.modeStore.get(modeOwner(turn));
  if (adapter.sendFile) {
    const filename = `export-${everything.exported_at.slice(0, 10)}.json`;
    const file = {
      filename,
      mimeType: 'application/json',
      bytes: Buffer.from(json),
      caption: privacyTexts.exportCaption(turn.t),
    };
    try {
      await adapter.sendFile(message, file, turn.signal);
      return { outcome: notice(privacyTexts.exportSent(turn.t, filename), 'command:export'), mode };
    } catch (error) {
      turn.log.warn({ err: error, platform: message.platform }, 'export file not sent');
      return { outcome: notice(privacyTexts.exportFailed(turn.t), 'command:export-failed'), mode };
    }
  }
  return { outcome: await exportWithoutFile(turn, deps, everything, json), mode };
}

/** The summary, then a one-time link where `web` can serve one, else the compact JSON as text. */
async function exportWithoutFile(
  turn: TurnContext,
  deps: Pick<ExportDeps, 'exportLinks'>,
  everything: PersonExport,
  json: string,
) {
  const { message, adapter, t } = turn;
  const figures = exportFigures(everything, message.platform);
  const summary = privacyTexts.exportSummary(
    t,
    figures,
    isMode(figures.mode) ? modeName(t, figures.mode) : figures.mode,
  );
  if (deps.exportLinks) {
    const link = await deps.exportLinks.create(conversationKey(message), json);
    return notice(`${summary}\n\n${privacyTexts.exportLink(t, link.url, deps.exportLinks.minutes)}`, 'command:export');
  }
  const text = `${summary}\n\n${privacyTexts.exportAsText(t)}\n${JSON.stringify(everything)}`;
  if (splitForPlatform(text, adapter.textLimit).length > MAX_TEXT_PARTS) {
    return notice(privacyTexts.exportTooLongForText(t), 'command:export-too-long');
  }
  return notice(text, 'command:export');
}
