import { loadConfigOrExit, type Config } from '../config';
import { createGraphClient } from '../src/platforms/graph-client';
import { setInstagramIceBreakers, setMessengerProfile } from '../src/platforms/pages/page-profile';

/**
 * `npm run meta:profile`: sets the Messenger profile (Get Started, greeting naming BUSINESS_NAME,
 * persistent menu with the modes and /privacy) and Instagram's ice breakers, for each channel
 * whose token is configured. Safe to run again: each call replaces what it sets.
 */
export async function applyMetaProfiles(config: Config, print: (line: string) => void): Promise<void> {
  const { meta, channels } = config;
  const graphFor = (baseUrl: string, accessToken: string) =>
    createGraphClient({ baseUrl, version: meta.graphApiVersion, accessToken, timeoutMs: meta.timeoutMs });
  if (!channels.messenger && !channels.instagram) {
    throw new Error('neither MESSENGER_PAGE_ACCESS_TOKEN nor INSTAGRAM_ACCESS_TOKEN is set: nothing to configure');
  }
  if (channels.messenger) {
    await setMessengerProfile(graphFor(meta.graphApiUrl, channels.messenger.accessToken), config);
    print('Messenger: Get Started button, greeting and persistent menu set.');
  }
  if (channels.instagram) {
    await setInstagramIceBreakers(
      graphFor(meta.instagramGraphApiUrl, channels.instagram.accessToken),
      config.defaultLanguage,
    );
    print('Instagram: ice breakers set.');
  }
}

if (require.main === module) {
  applyMetaProfiles(loadConfigOrExit(), (line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`meta:profile failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
