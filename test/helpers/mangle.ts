import { seededRandom } from '../../sandbox/catalog/seeded-random';

/**
 * Deterministic mangling of webhook bodies for the fuzz test: structural mutations of the JSON
 * tree (keys dropped, values swapped for values of the wrong type, arrays emptied or inflated)
 * and byte-level damage to the serialised body. Seeded, so a failure can be replayed.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export { seededRandom };

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const ODD_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'null',
  'true',
  '__proto__',
  'constructor',
  '%3A:%',
  '\u0000',
  '\ud83d',
  '🇫🇷'.repeat(50),
  'x'.repeat(5000),
  'wamid.' + ':'.repeat(30),
  '12345678901234567890',
];
const ODD_NUMBERS = [0, -1, 1.5, -0.000001, 1e308, -1e308, 2 ** 53 + 1, 1749416383, 1749416383123];

export function oddValue(random: () => number, depth = 0): Json {
  switch (Math.floor(random() * 8)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, ODD_NUMBERS);
    case 3:
      return pick(random, ODD_STRINGS);
    case 4:
      return depth > 2 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => oddValue(random, depth + 1));
    case 5:
      return depth > 2
        ? {}
        : { [pick(random, ['id', 'text', 'type', 'body', '__proto__', 'x'])]: oddValue(random, depth + 1) };
    case 6:
      return String(Math.floor(random() * 1e9));
    default:
      return pick(random, ['whatsapp_business_account', 'page', 'instagram', 'text', 'image', 'audio', 'messages']);
  }
}

/** Every (container, key) in the tree, so a mutation can land anywhere. */
function slots(node: Json, out: Array<{ parent: Json[] | { [key: string]: Json }; key: string | number }> = []) {
  if (Array.isArray(node)) {
    node.forEach((child, index) => {
      out.push({ parent: node, key: index });
      slots(child, out);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      out.push({ parent: node, key });
      slots(child, out);
    }
  }
  return out;
}

export function mutateTree(root: Json, random: () => number): Json {
  const tree = structuredClone(root);
  const all = slots(tree);
  if (all.length === 0) return oddValue(random);
  const { parent, key } = pick(random, all);
  const current = (parent as Record<string | number, Json>)[key]!;
  switch (Math.floor(random() * 6)) {
    case 0: // drop it
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      break;
    case 1: // wrong type
      (parent as Record<string | number, Json>)[key] = oddValue(random);
      break;
    case 2: // wrap in an array
      (parent as Record<string | number, Json>)[key] = [current];
      break;
    case 3: // duplicate an array element / add an unknown key
      if (Array.isArray(parent)) parent.push(structuredClone(current));
      else parent[`extra_${Math.floor(random() * 100)}`] = oddValue(random);
      break;
    case 4: // inflate
      (parent as Record<string | number, Json>)[key] = Array.isArray(current)
        ? Array.from({ length: 40 }, () => structuredClone(current[0] ?? null))
        : current;
      break;
    default: // emptied
      (parent as Record<string | number, Json>)[key] = Array.isArray(current)
        ? []
        : typeof current === 'string'
          ? ''
          : {};
  }
  return tree;
}

export function damageBytes(body: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(body);
  switch (Math.floor(random() * 4)) {
    case 0:
      return bytes.subarray(0, Math.floor(random() * bytes.length));
    case 1:
      bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      return bytes;
    case 2:
      return Buffer.concat([bytes, Buffer.from([0xff, 0xfe, 0x00])]);
    default:
      return Buffer.from(`[${bytes.toString('latin1')}]`, 'latin1');
  }
}
