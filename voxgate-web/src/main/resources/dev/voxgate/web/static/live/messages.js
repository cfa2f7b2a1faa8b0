// Puts every way a live session can end in words a person can act on.
// Codes are the server's stable error codes (docs/protocol.md); the server's own message is
// shown as detail because it names the limit involved.

const SERVER_ERRORS = {
  over_capacity: 'The server is busy: all of its transcription sessions are in use. Try again in a minute.',
  engine_unavailable: 'The speech engine is not ready yet (it may still be loading). Try again shortly.',
  storage_full: 'The server cannot record sessions right now: its storage is unreachable and its local spool is full. Try again later.',
  unknown_engine: 'The server does not have the selected speech engine.',
  invalid_parameter: 'The server refused the session settings.',
  unsupported_language: 'The selected speech engine does not support this language. Choose another language or engine.',
  unauthorized: 'The server refused the connection: you are not signed in or your key is not valid.',
  forbidden: 'The server refused the connection from this page.',
  origin_not_allowed: 'The server does not accept requests from this page\'s address. The operator can allow it (ALLOWED_ORIGINS or PUBLIC_URL).',
  rate_limited: 'Too many sessions were started from here. Wait a moment and try again.',
  inactivity_timeout: 'The session ended because the server received no audio for too long.',
  connection_timeout: 'The session reached the longest time the server allows. Press Start to continue in a new session.',
  transcribe_timeout: 'The server took too long to finish the transcript; the last words may be missing.',
  server_shutdown: 'The server is restarting or shutting down. Your transcript so far is kept; press Reconnect when it is back.',
  slow_client: 'The connection was too slow to receive the transcript, so the server ended the session.',
  frame_too_large: 'The page sent more audio at once than the server accepts.',
  // The page never sends these on purpose: a stale page talking to an upgraded server would.
  malformed_message: 'The page and the server do not understand each other. Reload the page and try again.',
  unknown_message_type: 'The page and the server do not understand each other. Reload the page and try again.',
  audio_after_end_stream: 'The page sent audio after it had finished the session. Reload the page and try again.',
  engine_failure: 'The speech engine failed while transcribing. Try again; if it keeps happening, tell the operator.',
  internal_error: 'The server hit an internal error. Try again; if it keeps happening, tell the operator.',
};

const MICROPHONE = {
  insecure: 'The microphone is only available on a secure page. Open this page over https:// (or on localhost).',
  unsupported: 'This browser cannot record audio for live transcription. Use a current Chrome, Edge, Firefox or Safari.',
  denied: 'Microphone access was denied. Allow the microphone for this site in the browser (the icon in the address bar), then press Start again.',
  missing: 'No microphone was found. Connect one (or check that it is enabled in your system settings), then press Start again.',
  busy: 'The microphone is in use by another program or could not be opened. Close other programs using it and try again.',
  failed: 'The microphone could not be started.',
  ended: 'The microphone was disconnected.',
};

/** The server wants an API key and the page has none (the person declined to enter one, or it was refused). */
export const KEY_NEEDED = 'This server needs an API key: the page asks for it when you start again.';

export function microphoneMessage(error) {
  const text = MICROPHONE[error.reason] ?? MICROPHONE.failed;
  return error.reason === 'failed' && error.message ? `${text} (${error.message})` : text;
}

/**
 * @param {{code:number, opened:boolean, ended:boolean, error:{code:string,message:string}|null, normal:boolean,
 *          keyNeeded?:boolean}} outcome
 * @param {string} host the server's host, for "cannot reach"
 * @returns {{text:string, detail?:string, retry:boolean}|null} null when the session ended normally
 */
export function closeMessage(outcome, host) {
  if (outcome.normal) return null;
  if (outcome.keyNeeded) return { text: KEY_NEEDED, retry: true };
  if (outcome.error) {
    const text = SERVER_ERRORS[outcome.error.code] ?? `The server ended the session (${outcome.error.code}).`;
    return { text, detail: outcome.error.message, retry: true };
  }
  if (!outcome.opened) {
    return { text: `Cannot reach the Voxgate server at ${host}. Check that it is running and that you are online, then try again.`, retry: true };
  }
  if (outcome.code === 1001) {
    return { text: SERVER_ERRORS.server_shutdown, retry: true };
  }
  return {
    text: 'The connection to the server was lost. Your transcript so far is kept; press Reconnect to continue.',
    detail: `close code ${outcome.code}`,
    retry: true,
  };
}
