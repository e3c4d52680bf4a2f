import { isValidSignature, signBody } from '../src/platforms/signature';

describe('X-Hub-Signature-256', () => {
  const secret = 'app-secret';

  it('accepts the HMAC-SHA256 of the exact bytes, in lower or upper case hex', () => {
    const body = Buffer.from('{"object":"page","entry":[]}');
    const header = signBody(body, secret);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(isValidSignature(body, header, secret)).toBe(true);
    expect(isValidSignature(body, `sha256=${header.slice(7).toUpperCase()}`, secret)).toBe(true);
  });

  it('matches Meta’s escaped-unicode bodies byte for byte, not their decoded form', () => {
    // Meta signs the body as sent: non-ASCII arrives escaped as \u00e4.
    const escaped = Buffer.from('{"text":"\\u00e4\\u00f6\\u00e5"}');
    const header = signBody(escaped, secret);
    expect(isValidSignature(escaped, header, secret)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(escaped.toString())));
    expect(isValidSignature(reserialised, header, secret)).toBe(false);
  });

  it('accepts raw UTF-8 bodies signed as bytes', () => {
    const body = Buffer.from('{"text":"Córdoba 東京 🇯🇵"}', 'utf8');
    expect(isValidSignature(body, signBody(body, secret), secret)).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without prefix', 'a'.repeat(64)],
    ['legacy sha1', 'sha1=' + 'a'.repeat(40)],
    ['too short', 'sha256=abc'],
    ['not hex', 'sha256=' + 'z'.repeat(64)],
    ['wrong secret', signBody('{}', 'other-secret')],
  ])('rejects a %s signature', (_name, header) => {
    expect(isValidSignature(Buffer.from('{}'), header, secret)).toBe(false);
  });
});
