import { createHmac, createSecretKey } from 'node:crypto';

/**
 * Stand-ins for the ids of people in logs: a keyed hash (HMAC-SHA256, truncated), so that log
 * lines about one person can still be followed across web and worker processes while a log
 * reader without the key cannot tell whose they are. A plain hash would not do: phone numbers
 * and Meta's numeric ids are few enough to hash them all and look the result up.
 *
 * Message ids are hashed too: a WhatsApp message id (wamid) is base64 that contains the sender's
 * phone number. BullMQ job ids are built from these hashes (`messageJob`), so the queue
 * dashboard, BullMQ's events streams and the logs show one and the same id, and no number.
 */
export interface Pseudonyms {
  /** `u_` + 12 characters of the keyed hash of a user id */
  user(id: string): string;
  /** `platform:channel:u_...`: the business side stays readable, the person does not */
  conversation(key: string): string;
  /** `m_` + 12 characters of the keyed hash of a message id */
  message(id: string): string;
  /**
   * A job id as logs show it: the ids messageJob makes as they are; one made of a message key
   * (`[reply-]<platform>-<escaped message id>`, a job of an earlier release) with its message id hashed
   */
  job(id: string): string;
  /**
   * The BullMQ job id of a message (its messageKey(), or a key derived from one) from or to
   * `userId`: `<platform>-m_…-u_…`. The same message gives the same id, so a redelivery is still
   * enqueued once; the user part lets erasure find the person's lines in the events streams.
   */
  messageJob(messageKey: string, userId: string): string;
}

const PLATFORM_JOB = /^((?:reply-)?(?:whatsapp|messenger|instagram)-)(.+)$/;
const MESSAGE_KEY = /^(whatsapp|messenger|instagram)-(.+)$/;
/** what messageJob makes, with an outbound job's `reply-` in front */
const HASHED_JOB = /^(?:reply-)?[a-z]+-m_[\w-]{12}-u_[\w-]{12}$/;

// messageKey() escapes ':' and '%'; the platform's own id is hashed, so web and worker logs agree.
const unescapeKey = (escaped: string) => escaped.replace(/%3A/g, ':').replace(/%25/g, '%');

export function createPseudonyms(rawKey: Buffer): Pseudonyms {
  // A key object made once: createHmac would otherwise prepare the raw key for every id.
  const key = createSecretKey(rawKey);
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
      if (HASHED_JOB.test(id)) return id;
      const match = PLATFORM_JOB.exec(id);
      if (!match) return id;
      return `${match[1]}${message(unescapeKey(match[2]!))}`;
    },
    messageJob(messageKey, userId) {
      const match = MESSAGE_KEY.exec(messageKey);
      const [platform, id] = match ? [match[1]!, unescapeKey(match[2]!)] : ['message', messageKey];
      return `${platform}-${message(id)}-${user(userId)}`;
    },
  };
}
