/**
 * What a test takes out of a list or a lookup and needs to be there. Each returns the value with its
 * type narrowed, or fails at that line saying what was missing and what there was instead, where a
 * `!` would let `undefined` through to fail later as "cannot read properties of undefined".
 */

const MAX_SHOWN = 300;

function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** The one element of `list`; fails unless it holds exactly one. */
export function only<L extends ArrayLike<unknown>>(list: L, what = 'the list'): Exclude<L[0], undefined> {
  if (list.length !== 1) {
    throw new Error(`expected exactly one element in ${what}, got ${list.length}: ${shown(Array.from(list))}`);
  }
  return list[0] as Exclude<L[0], undefined>;
}

/** The first element of `list`; fails when it is empty. */
export function firstOf<L extends ArrayLike<unknown>>(list: L, what = 'the list'): Exclude<L[0], undefined> {
  if (list.length === 0 || list[0] === undefined) {
    throw new Error(`expected a first element in ${what}, got ${shown(Array.from(list))}`);
  }
  return list[0] as Exclude<L[0], undefined>;
}

/** `value` itself; fails when it is undefined or null (a `find` that found nothing, a missing key). */
export function defined<T>(value: T, what = 'the value'): NonNullable<T> {
  if (value === undefined || value === null) throw new Error(`expected ${what} to be present, got ${String(value)}`);
  return value;
}
