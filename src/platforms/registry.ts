import type { Config } from '../../config';
import type { Platform } from '../core/inbound';
import { downloadMedia } from '../media/download';
import type { MediaDownloader, PlatformAdapter } from './adapter';
import { createGraphClient } from './graph-client';
import { createInstagramAdapter } from './instagram';
import { createMessengerAdapter } from './messenger';
import { createWhatsAppAdapter } from './whatsapp';

export type PlatformRegistry = ReadonlyMap<Platform, PlatformAdapter>;

/** The adapters of the channels that are on (their token is set). */
export function createPlatformRegistry(config: Config): PlatformRegistry {
  const { meta, channels } = config;
  const graphFor = (baseUrl: string, accessToken: string) =>
    createGraphClient({ baseUrl, version: meta.graphApiVersion, accessToken, timeoutMs: meta.timeoutMs });
  // Every media download goes through the allow list and the configured time limit.
  const download: MediaDownloader = (request) =>
    downloadMedia({ ...request, allowedHosts: config.mediaAllowedHosts, timeoutMs: config.media.downloadTimeoutMs });
  const adapters: PlatformAdapter[] = [];
  if (channels.whatsapp) {
    const graph = graphFor(meta.graphApiUrl, channels.whatsapp.accessToken);
    adapters.push(
      createWhatsAppAdapter({
        appSecret: meta.appSecret,
        graph,
        media: { accessToken: channels.whatsapp.accessToken, download },
      }),
    );
  }
  if (channels.messenger) {
    const graph = graphFor(meta.graphApiUrl, channels.messenger.accessToken);
    adapters.push(createMessengerAdapter({ appSecret: meta.appSecret, graph, download }));
  }
  if (channels.instagram) {
    const graph = graphFor(meta.instagramGraphApiUrl, channels.instagram.accessToken);
    adapters.push(createInstagramAdapter({ appSecret: meta.instagramAppSecret, graph, download }));
  }
  return new Map(adapters.map((adapter) => [adapter.platform, adapter]));
}
