import type { HandoffDeskDependencies } from './handoff-desk-types';
import type { HandoffReturn, HandoffTarget } from './handoff-target';
import type { PausedState } from './handoff-state';

/** The targets that had the conversation hear it is back with the assistant; one that cannot be told is logged. */
export async function tellReturned(
  deps: Pick<HandoffDeskDependencies, 'targets' | 'logger'>,
  state: PausedState,
  how: HandoffReturn,
): Promise<void> {
  for (const target of deps.targets.filter((t) => state.targets.includes(t.name))) {
    await target.returned?.(state.handle, state, how).catch((err: unknown) => {
      deps.logger.warn({ err, target: target.name }, 'target not told of the return');
    });
  }
}

/**
 * Erasure (/forget all, the deletion callback): the pauses and their handles go at once (a
 * handle's key is not tagged with its conversation, so the account erasure's scan would not find
 * it), a conversation that was with a person is told back to its targets ('forgotten': the person
 * is not told, having asked for it), and each target forgets what it keeps on Threadline's side.
 */
export async function forgetConversations(
  deps: Pick<HandoffDeskDependencies, 'store' | 'targets' | 'logger'> & { now: () => number },
  conversations: string[],
  handleOf: (conversation: string) => string,
): Promise<void> {
  for (const conversation of conversations) {
    const handle = handleOf(conversation);
    const paused = await deps.store.read(conversation);
    const cleared = await deps.store.clear({ conversation, handle });
    if (paused && cleared) await tellReturned(deps, paused, { why: 'forgotten', at: deps.now() });
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
