import type { HandoffDeskDependencies } from './handoff-desk-types';
import type { HandoffTarget } from './handoff-target';

/**
 * Erasure (/forget all, the deletion callback): the pauses and their handles go at once (a
 * handle's key is not tagged with its conversation, so the account erasure's scan would not find
 * it), and each target forgets what it keeps on Threadline's side.
 */
export async function forgetConversations(
  deps: Pick<HandoffDeskDependencies, 'store' | 'targets'>,
  conversations: string[],
  handleOf: (conversation: string) => string,
): Promise<void> {
  for (const conversation of conversations) {
    const handle = handleOf(conversation);
    await deps.store.clear({ conversation, handle });
    for (const target of deps.targets) await target.forget?.(handle);
  }
}

/** /export: what each target keeps on Threadline's side about a conversation (by its handle). */
export async function keptByTargets(
  targets: readonly HandoffTarget[],
  handle: string,
): Promise<Array<{ target: string; kept: object }>> {
  const all = targets.map(async (t) => ({ target: t.name, kept: await t.kept?.(handle) }));
  return (await Promise.all(all)).flatMap(({ target, kept }) => (kept ? [{ target, kept }] : []));
}
