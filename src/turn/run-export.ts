import { privacyTexts } from '../commands/privacy-texts';
import { splitForPlatform } from '../core/split';
import { modeOwner, notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { CommandAnswer } from './run-command';

/** More Instagram messages than this would bury the thread: past it the person is pointed elsewhere. */
const MAX_TEXT_PARTS = 40;

/**
 * `/export`: everything kept about the person, on every linked app, as JSON. Where the platform
 * carries files (WhatsApp documents, Messenger file attachments) it goes as a file; Instagram DMs
 * carry no files, so there it is the reply itself, split into messages. The file is sent from the
 * turn, before the reply that says it was sent; if sending fails the reply says so.
 */
export async function runExport(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  const { message, adapter } = turn;
  const person = turn.person ?? (await deps.people.personOf(message));
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
      deps.logger.warn({ err: error, platform: message.platform }, 'export file not sent');
      return { outcome: notice(privacyTexts.exportFailed(turn.t), 'command:export-failed'), mode };
    }
  }
  const text = `${privacyTexts.exportAsText(turn.t)}\n${json}`;
  if (splitForPlatform(text, adapter.textLimit).length > MAX_TEXT_PARTS) {
    return { outcome: notice(privacyTexts.exportTooLongForText(turn.t), 'command:export-too-long'), mode };
  }
  return { outcome: notice(text, 'command:export'), mode };
}
