// Voice notes: recorded in the browser and sent as the apps send them, or, with no microphone, an
// audio file the person chooses.
import { refreshAction } from './action-button.js';
import { el } from './dom.js';
import { ICONS } from './icons.js';
import { chats, showError, state } from './page.js';
import { sendMedia } from './send.js';

function chooseAudioFile(platform, why) {
  const chat = chats[platform];
  showError(platform, why);
  chat.file.accept = 'audio/*';
  chat.file.click();
}

/** The microphone's stream, or undefined (after offering an audio file) when there is none. */
async function microphone(platform) {
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    chooseAudioFile(platform, 'No microphone here: choose an audio file instead.');
    return undefined;
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    chooseAudioFile(platform, 'Microphone not allowed: choose an audio file instead.');
    return undefined;
  }
}

/** The "Recording 0:00" pill in place of the text field while the note records; returns its removal. */
function showRecordingPill(chat) {
  const started = Date.now();
  const pill = el('div', 'record-pill', 'Recording 0:00 · tap ■ to send');
  const field = chat.root.querySelector('.composer__field');
  field.hidden = true;
  field.after(pill);
  const timer = setInterval(() => {
    const s = Math.floor((Date.now() - started) / 1000);
    pill.textContent = `Recording ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} · tap ■ to send`;
  }, 250);
  return () => {
    clearInterval(timer);
    pill.remove();
    field.hidden = false;
  };
}

function startRecording(platform, stream) {
  const chat = chats[platform];
  // WhatsApp voice notes are OGG/Opus; browsers record Opus in OGG (Firefox) or WebM (Chromium).
  const type = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/mp4'].find((t) =>
    MediaRecorder.isTypeSupported(t),
  );
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  const hidePill = showRecordingPill(chat);
  recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
  recorder.onstop = () => {
    hidePill();
    stream.getTracks().forEach((t) => t.stop());
    state.recorder = null;
    chat.root.classList.remove('is-recording');
    (chat.record || chat.action).innerHTML = ICONS.mic;
    refreshAction(platform);
    const mime = (recorder.mimeType || type || 'audio/webm').replace(/;\s*codecs=/, '; codecs=');
    const blob = new Blob(chunks, { type: mime.split(';')[0] });
    if (blob.size > 0) sendMedia(platform, new Blob([blob], { type: mime }), { kind: 'audio', voice: true });
  };
  state.recorder = { recorder, platform };
  chat.root.classList.add('is-recording');
  if (chat.record) chat.record.innerHTML = ICONS.stop;
  refreshAction(platform);
  recorder.start();
}

/** Starts a voice note, or stops the one recording here (which sends it). */
export async function toggleRecording(platform) {
  if (state.recorder) {
    const { recorder, platform: recordingOn } = state.recorder;
    if (recordingOn === platform) recorder.stop();
    return;
  }
  const stream = await microphone(platform);
  if (stream) startRecording(platform, stream);
}
