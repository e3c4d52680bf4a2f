import { z } from 'zod';
import type { GraphClient } from './graph-client';

/**
 * What people see before they write: Messenger's welcome screen (Get Started button, greeting)
 * and persistent menu, and Instagram's ice breakers. Set once per deployment through Meta's
 * Messenger Profile API (`POST /{version}/me/messenger_profile`; Instagram with
 * `platform=instagram`), by `npm run meta:profile`.
 *
 * Every button's payload is a command, as with quick replies: a tap and a typed command are the
 * same thing, so the turn needs nothing new to answer them.
 */

/** Messenger cuts the greeting at 160 characters and button titles at 20. */
const GREETING_MAX = 160;

export interface ProfileSettings {
  businessName: string | undefined;
}

export interface MenuItem {
  title: string;
  payload: string;
}

export const MESSENGER_MENU: MenuItem[] = [
  { title: 'Fast answers', payload: '/fast' },
  { title: 'Think it through', payload: '/think' },
  { title: 'Contemplate', payload: '/contemplate' },
  { title: 'Privacy', payload: '/privacy' },
  { title: 'Help', payload: '/help' },
];

export const INSTAGRAM_ICE_BREAKERS: Array<{ question: string; payload: string }> = [
  { question: 'What can you do?', payload: '/help' },
  { question: 'Think a hard question through with me', payload: '/think' },
  { question: 'What do you keep about me?', payload: '/privacy' },
];

/** The welcome-screen greeting; `{{user_first_name}}` is filled in by Messenger. */
export function greetingText({ businessName }: ProfileSettings): string {
  const who = businessName ? `${businessName}'s AI assistant` : 'an AI assistant';
  const full = `Hi {{user_first_name}}! This is ${who}. Ask by text, voice note or photo. Type /privacy to see what is kept about you.`;
  if (full.length <= GREETING_MAX) return full;
  const short = `Hi! This is ${who}. Type /privacy to see what is kept.`;
  return short.length <= GREETING_MAX ? short : `Hi! This is an AI assistant. Type /privacy to see what is kept.`;
}

export function messengerProfile(settings: ProfileSettings) {
  return {
    get_started: { payload: '/start' },
    greeting: [{ locale: 'default', text: greetingText(settings) }],
    persistent_menu: [
      {
        locale: 'default',
        composer_input_disabled: false,
        call_to_actions: MESSENGER_MENU.map((item) => ({ type: 'postback', ...item })),
      },
    ],
  };
}

export function instagramIceBreakers() {
  return {
    platform: 'instagram',
    ice_breakers: [{ locale: 'default', call_to_actions: INSTAGRAM_ICE_BREAKERS }],
  };
}

const success = z.looseObject({ result: z.literal('success') });

async function post(graph: GraphClient, path: string, body: unknown, what: string): Promise<void> {
  const response = await graph.post(path, body);
  if (!success.safeParse(response).success) {
    throw new Error(`${what}: Graph answered ${JSON.stringify(response)} instead of {"result":"success"}`);
  }
}

export async function setMessengerProfile(graph: GraphClient, settings: ProfileSettings): Promise<void> {
  await post(graph, '/me/messenger_profile', messengerProfile(settings), 'Messenger profile');
}

export async function setInstagramIceBreakers(graph: GraphClient): Promise<void> {
  // Meta's examples name the platform in the query and in the body; both are sent.
  await post(graph, '/me/messenger_profile?platform=instagram', instagramIceBreakers(), 'Instagram ice breakers');
}
