import { downloadMedia } from '../src/media/download';
import { checkMediaUrl, isNonPublicAddress, parseAllowedHost } from '../src/media/media-hosts';
import { FakeHttpServer } from './helpers/http-fake';

/**
 * Where media may be downloaded from: hosts on the allow list, https on 443 unless the entry
 * names a port, names resolving only to public addresses, every redirect checked; a listed IP
 * address is taken as meant and a listed loopback address is the tests' and sandbox's stand-in.
 */
describe('media hosts', () => {
  let server: FakeHttpServer;
  beforeAll(async () => {
    server = await new FakeHttpServer((r) =>
      r.path === '/to-localhost'
        ? { status: 302, headers: { location: `https://localhost:${new URL(server.url).port}/file` } }
        : { status: 200, rawBody: Buffer.from('OggS bytes') },
    ).start();
  });
  afterAll(async () => server.stop());
  const refusal = (fragment: string): unknown =>
    expect.objectContaining({
      reason: 'host-not-allowed',
      message: expect.stringContaining(fragment) as unknown,
    }) as unknown;

  it('parses entries with and without ports', () => {
    expect(parseAllowedHost('*.fbcdn.net')).toEqual({ host: '*.fbcdn.net', port: undefined });
    expect(parseAllowedHost('cdn.example.com:8443')).toEqual({ host: 'cdn.example.com', port: 8443 });
    expect(parseAllowedHost('[::1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseAllowedHost('::1')).toEqual({ host: '::1', port: undefined });
  });

  it('refuses plain http and ports other than 443 unless the entry names the port', async () => {
    await expect(checkMediaUrl('http://cdn.example.com/a', undefined, ['cdn.example.com'])).rejects.toEqual(
      refusal('port 80'),
    );
    await expect(checkMediaUrl('https://cdn.example.com:8443/a', undefined, ['cdn.example.com'])).rejects.toEqual(
      refusal('port 8443'),
    );
    await expect(checkMediaUrl('http://10.1.2.3:8443/a', undefined, ['10.1.2.3:8443'])).rejects.toEqual(
      refusal('plain http'),
    );
    await expect(checkMediaUrl('ftp://cdn.example.com/a', undefined, ['cdn.example.com'])).rejects.toEqual(
      refusal('ftp:'),
    );
    // An IP address the operator listed with its port is taken as meant (no DNS, no range check).
    await expect(checkMediaUrl('https://10.1.2.3:8443/a', undefined, ['10.1.2.3:8443'])).resolves.toBeInstanceOf(URL);
    await expect(checkMediaUrl('https://10.1.2.3/a', undefined, ['10.1.2.3'])).resolves.toBeInstanceOf(URL);
  });

  it('refuses a listed name that resolves to loopback, private or link-local addresses', async () => {
    await expect(checkMediaUrl('https://localhost/a', undefined, ['localhost'])).rejects.toEqual(
      refusal('non-public address'),
    );
  });

  it('checks every redirect: a hop to a name resolving to loopback is refused and never requested', async () => {
    const requestsBefore = server.requests.length;
    await expect(
      downloadMedia({
        url: `${server.url}/to-localhost`,
        allowedHosts: ['127.0.0.1', `localhost:${new URL(server.url).port}`],
        maxBytes: 1000,
        timeoutMs: 5000,
      }),
    ).rejects.toEqual(refusal('non-public address'));
    expect(server.requests.length).toBe(requestsBefore + 1);
  });

  it('refuses an IP address that is not listed, and knows non-public ranges, IPv4-mapped included', async () => {
    await expect(checkMediaUrl('https://169.254.169.254/latest', undefined, ['*.fbcdn.net'])).rejects.toEqual(
      refusal('not in MEDIA_ALLOWED_HOSTS'),
    );
    for (const address of [
      '127.0.0.1',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:c0a8:0101',
    ])
      expect([address, isNonPublicAddress(address)]).toEqual([address, true]);
    for (const address of ['157.240.1.1', '31.13.64.1', '2a03:2880:f003:c07:face:b00c::2', '::ffff:157.240.1.1'])
      expect([address, isNonPublicAddress(address)]).toEqual([address, false]);
  });

  it('keeps the local stand-in: a listed loopback address without a port allows http on any port', async () => {
    const got = await downloadMedia({
      url: `${server.url}/file`,
      allowedHosts: ['127.0.0.1'],
      maxBytes: 1000,
      timeoutMs: 5000,
    });
    expect(got.bytes.toString()).toBe('OggS bytes');
    await expect(
      downloadMedia({ url: `${server.url}/file`, allowedHosts: ['127.0.0.1:1'], maxBytes: 1000, timeoutMs: 5000 }),
    ).rejects.toEqual(refusal('port'));
  });
});
