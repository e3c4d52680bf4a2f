// Sending what the person types, taps, records or attaches to the Meta emulator, which delivers it to
// Threadline as a signed webhook.
import { showError } from './page.js';

async function post(url, body, contentType) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.error || `HTTP ${response.status}`);
  }
  return response.json();
}

export async function sendText(platform, text, quickReplyPayload) {
  try {
    await post(`/sandbox/api/${platform}/text`, JSON.stringify({ text, quickReplyPayload }), 'application/json');
  } catch (error) {
    showError(platform, `Could not send: ${error.message}`);
  }
}

export async function sendPostback(platform, title, payload) {
  try {
    await post(`/sandbox/api/${platform}/postback`, JSON.stringify({ title, payload }), 'application/json');
  } catch (error) {
    showError(platform, `Could not send: ${error.message}`);
  }
}

export async function sendMedia(platform, blob, options) {
  const query = new URLSearchParams({ kind: options.kind });
  if (options.voice) query.set('voice', '1');
  if (options.caption) query.set('caption', options.caption);
  try {
    await post(
      `/sandbox/api/${platform}/media?${query}`,
      blob,
      blob.type || (options.kind === 'image' ? 'image/jpeg' : 'audio/ogg'),
    );
  } catch (error) {
    showError(platform, `Could not send the ${options.kind === 'image' ? 'photo' : 'audio'}: ${error.message}`);
  }
}
