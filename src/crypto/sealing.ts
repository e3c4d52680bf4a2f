import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encryption at rest for what Threadline stores about people (AES-256-GCM, node:crypto).
 *
 * A sealed value is `enc1:<key id>:<base64 of iv | ciphertext | tag>`. The key id (a hash of the
 * key, never the key) names which key sealed it, so keys can rotate: new values are sealed with
 * the current key, and values sealed with any listed older key still open. An optional context
 * (e.g. the conversation a history entry belongs to) is bound as additional authenticated data,
 * so a sealed value copied under another person's key does not open there.
 *
 * Without a key, `seal` stores plaintext as it is (so turning encryption on later needs no
 * migration: plaintext still opens). Values are expected to be JSON, which never starts with the
 * marker, so plaintext and sealed values cannot be confused.
 */

const MARKER = 'enc1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value that cannot be opened: no key with its id is configured. Operators must act. */
export class SealingKeyMissingError extends Error {
  constructor(readonly keyId: string) {
    super(
      `a stored value is encrypted with key ${keyId}, which is not configured: ` +
        'set DATA_ENCRYPTION_KEY (or list the key in DATA_ENCRYPTION_OLD_KEYS)',
    );
    this.name = 'SealingKeyMissingError';
  }
}

/** A sealed value that fails authentication or is malformed: corrupt or tampered with. */
export class SealedValueCorruptError extends Error {
  constructor(message = 'a stored encrypted value is corrupt or was tampered with') {
    super(message);
    this.name = 'SealedValueCorruptError';
  }
}

export interface SealingKeys {
  /** the key new values are sealed with (32 bytes); undefined: plaintext */
  current: Buffer | undefined;
  /** keys that only open */
  old?: Buffer[];
}

export interface Sealer {
  /** whether `seal` encrypts */
  readonly encrypts: boolean;
  seal(plain: string, context?: string): string;
  /** the plaintext of a sealed value, or the value itself when it is not sealed */
  open(stored: string, context?: string): string;
}

/** 8 hex characters of a hash of the key: names the key without revealing anything about it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('threadline key id:').update(key).digest('hex').slice(0, 8);
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(`${MARKER}:`);
}

export function createSealer(keys: SealingKeys): Sealer {
  for (const key of [keys.current, ...(keys.old ?? [])]) {
    if (key && key.length !== 32) throw new Error('an AES-256-GCM key is 32 bytes');
  }
  const byId = new Map<string, Buffer[]>();
  for (const key of [keys.current, ...(keys.old ?? [])]) {
    if (!key) continue;
    const id = keyIdOf(key);
    byId.set(id, [...(byId.get(id) ?? []), key]);
  }
  const current = keys.current;
  const currentId = current ? keyIdOf(current) : undefined;

  return {
    encrypts: current !== undefined,
    seal(plain, context) {
      if (!current || !currentId) return plain;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      if (context !== undefined) cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${MARKER}:${currentId}:${body.toString('base64')}`;
    },
    open(stored, context) {
      if (!isSealed(stored)) return stored;
      const [, keyId, encoded] = stored.split(':', 3);
      if (!keyId || encoded === undefined) throw new SealedValueCorruptError();
      const candidates = byId.get(keyId);
      if (!candidates) throw new SealingKeyMissingError(keyId);
      const body = Buffer.from(encoded, 'base64');
      if (body.length < IV_BYTES + TAG_BYTES) throw new SealedValueCorruptError();
      for (const key of candidates) {
        const plain = tryOpen(key, body, context);
        if (plain !== undefined) return plain;
      }
      throw new SealedValueCorruptError();
    },
  };
}

function tryOpen(key: Buffer, body: Buffer, context: string | undefined): string | undefined {
  const iv = body.subarray(0, IV_BYTES);
  const tag = body.subarray(body.length - TAG_BYTES);
  const ciphertext = body.subarray(IV_BYTES, body.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    if (context !== undefined) decipher.setAAD(Buffer.from(context, 'utf8'));
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Stores plaintext; for code paths and tests that run without encryption. */
export const plaintextSealer: Sealer = createSealer({ current: undefined });
