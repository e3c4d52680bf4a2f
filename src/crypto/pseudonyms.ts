import { createHmac } from 'node:crypto';

/**
 * Stand-ins for the ids of people in logs: a keyed hash (HMAC-SHA256, truncated), so that log
 * lines about one person can still be followed across web and worker processes while a log
 * reader without the key cannot tell whose they are. A plain hash would not do: phone numbers
 * and Meta's numeric ids are few enough to hash them all and look the result up.
 *
 * Message ids are hashed too: a WhatsApp message id (wamid) is base64 that contains the sender's
 * phone number, and job ids are built from message ids.
 */
export interface Pseudonyms {
  /** `u_` + 12 characters of the keyed hash of a user id */
  user(id: string): string;
  /** `platform:channel:u_...`: the business side stays readable, the person does not */
  conversation(key: string): string;
  /** `m_` + 12 characters of the keyed hash of a message id */
  message(id: string): string;
  /** a BullMQ job id (`[reply-]<platform>-<escaped message id>`) with its message id hashed */
  job(id: string): string;
}

const PLATFORM_JOB = /^((?:reply-)?(?:whatsapp|messenger|instagram)-)(.+)$/;

export function createPseudonyms(key: Buffer): Pseudonyms {
  const ref = (value: string) => createHmac('sha256', key).update(value).digest('base64url').slice(0, 12);
  const user = (id: string) => `u_${ref(id)}`;
  const message = (id: string) => `m_${ref(id)}`;
  return {
    user,
    message,
    conversation(conversationKey) {
      const [platform, channel, ...rest] = conversationKey.split(':');
      if (!platform || channel === undefined || rest.length === 0) return user(conversationKey);
      return `${platform}:${channel}:${user(rest.join(':'))}`;
    },
    job(id) {
      const match = PLATFORM_JOB.exec(id);
      if (!match) return id;
      // messageKey() escapes ':' and '%'; hash the platform's own id so web and worker logs agree.
      const messageId = match[2]!.replace(/%3A/g, ':').replace(/%25/g, '%');
      return `${match[1]}${message(messageId)}`;
    },
  };
}
