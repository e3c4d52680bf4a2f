import { createHash, randomBytes } from 'node:crypto';

/** One piece of media a sandbox user sent or the business uploaded: kept in memory while the sandbox runs. */
export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  /** base64, as WhatsApp reports it (not hex) */
  sha256: string;
  createdAt: number;
  /** the name it was uploaded under (files the business sends) */
  filename?: string;
}

/**
 * Meta keeps a user's media on its CDN and hands businesses a reference: WhatsApp a media id
 * (looked up through Graph, then downloaded with the bearer token from a URL that expires after
 * five minutes), Messenger and Instagram a CDN URL that needs no token. This store plays the CDN.
 */
export class MediaStore {
  private readonly items = new Map<string, StoredMedia>();
  private counter = 0;

  put(bytes: Buffer, mimeType: string, filename?: string): StoredMedia {
    this.counter += 1;
    // WhatsApp media ids are 15-16 digit numbers.
    const id = `${Date.now()}${String(this.counter).padStart(3, '0')}`;
    const media: StoredMedia = {
      id,
      bytes,
      mimeType,
      sha256: createHash('sha256').update(bytes).digest('base64'),
      createdAt: Date.now(),
      ...(filename ? { filename } : {}),
    };
    this.items.set(id, media);
    return media;
  }

  get(id: string): StoredMedia | undefined {
    return this.items.get(id);
  }

  /** An opaque hash for signed CDN-like URLs (the emulator checks it like Meta's CDN does). */
  static urlHash(id: string, expires: number, secret: string): string {
    return createHash('sha256').update(`${id}:${expires}:${secret}`).digest('hex').slice(0, 24);
  }

  static newSecret(): string {
    return randomBytes(16).toString('hex');
  }
}
