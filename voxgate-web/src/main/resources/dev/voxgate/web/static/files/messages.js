// Puts every way a file upload or a job can go wrong in words a person can act on, and says
// whether trying again can help. Codes are the server's stable error codes (docs/errors.md); the
// server's own message is kept as detail because it names the limit involved
// ("MAX_FILE_SIZE_MB is 200; this upload is 412 MB").

// [words, worth retrying with the same file]
const ERRORS = {
  file_too_large: ['Too large: the file is over the server\'s size limit.', false],
  audio_too_long: ['Too long: the recording is longer than the server accepts.', false],
  empty_file: ['The file is empty.', false],
  not_audio: ['Not audio: the server found no audio in this file.', false],
  unsupported_format: ['Unsupported format: the server does not take this kind of audio file.', false],
  unsupported_media_type: ['The upload did not reach the server as a file. Reload the page and try again.', true],
  unsupported_codec: ['Unsupported format: the audio in this file is encoded in a way the server cannot decode.', false],
  no_audio_stream: ['Not audio: the file has no audio track.', false],
  corrupt_file: ['The file is damaged: the server could not read its audio.', false],
  truncated_file: ['The file is cut short: it ends before the length its header announces (an interrupted download or copy?).', false],
  unsupported_audio: ['Not a usable recording: its audio settings are impossible (sample rate).', false],
  unknown_engine: ['The server does not have the chosen speech engine. Choose another one.', false],
  unsupported_language: ['The chosen engine does not support this language. Choose another language or engine.', false],
  invalid_parameter: ['The server refused the upload\'s settings.', false],
  rate_limited: ['Rate limited: too many uploads or requests from here in the last minute.', true],
  over_capacity: ['The server is busy. Try again in a minute.', true],
  decoder_unavailable: ['The server cannot read audio files at the moment (its decoder is missing). Tell the operator.', true],
  job_database_unavailable: ['The server is busy: its job database does not answer. Try again shortly.', true],
  server_shutdown: ['The server is restarting. Try again when it is back.', true],
  engine_unavailable: ['The speech engine is not ready yet (it may still be loading). Try again shortly.', true],
  unauthorized: ['Auth needed: this server needs an API key, and the page has none that it accepts.', true],
  forbidden: ['The server refused this request from here.', false],
  origin_not_allowed: ['The server does not accept uploads from this page\'s address. The operator can allow it (ALLOWED_ORIGINS or PUBLIC_URL).', false],
  internal_error: ['The server hit an internal error. Try again; if it keeps happening, tell the operator.', true],
  // A job's own failures (GET /api/jobs/{id} error.code).
  job_timeout: ['The transcription took longer than the server allows (JOB_TIMEOUT_MINUTES).', false],
  attempts_exhausted: ['The transcription was tried several times and failed each time. Tell the operator.', true],
  upload_missing: ['The uploaded file was no longer on the server when its turn came. Upload it again.', true],
  engine_failure: ['The speech engine failed while transcribing. Try again; if it keeps happening, tell the operator.', true],
  io_error: ['The server could not read or write its files. Try again; if it keeps happening, tell the operator.', true],
  invalid_request: ['The chosen engine or language is no longer installed on the server. Upload again with another.', false],
  unreadable_file: ['The server could not read the file it had received. Upload it again.', true],
};

const BY_STATUS = {
  401: 'unauthorized',
  403: 'forbidden',
  413: 'file_too_large',
  415: 'unsupported_format',
  429: 'rate_limited',
  503: 'over_capacity',
};

/**
 * Words for an error the server sent (or only a status, when it sent no JSON).
 * @param {{code:string, message?:string}|null} error
 * @param {number} [status]
 * @param {string|null} [retryAfter] the Retry-After header, seconds
 * @returns {{code:string, text:string, detail:string, retry:boolean}}
 */
export function errorWords(error, status, retryAfter = null) {
  const code = error?.code ?? BY_STATUS[status] ?? 'unknown';
  const [words, retry] = ERRORS[code] ?? [
    status ? `The server refused the upload (HTTP ${status}${error?.code ? `, ${error.code}` : ''}).` : `Failed (${code}).`,
    status === undefined || status >= 500,
  ];
  let text = words;
  if (code === 'rate_limited' && retryAfter && /^\d+$/.test(retryAfter)) text += ` Try again in ${retryAfter} s.`;
  return { code, text, detail: error?.message ?? '', retry };
}

/** The upload could not reach the server at all. */
export function unreachable(host) {
  return {
    code: 'unreachable',
    text: `Cannot reach the Voxgate server at ${host}. Check that it is running and that you are online, then try again.`,
    detail: '',
    retry: true,
  };
}

export const INTERRUPTED = 'Upload interrupted: the page was reloaded or closed before the file was sent. '
  + 'Choose the file again to upload it.';

/** Audio file name endings a person may drop, allowed or not: anything else is "not audio" to the page. */
const AUDIO_ENDINGS = new Set(['mp3', 'wav', 'm4a', 'mp4', 'aac', 'flac', 'ogg', 'oga', 'opus', 'webm', 'wma',
  'aif', 'aiff', 'amr', 'caf', '3gp', 'mka']);

/**
 * The page's own check before uploading, against the server's limits (GET api/upload_limits).
 * The server checks again by content; the page can only go by size, name and the browser's type.
 * @param {{name:string, size:number, type:string}} file
 * @param {{maxFileSizeBytes:number, maxFileSizeMb:number, allowedFormats:string[]}|null} limits
 * @returns {{code:string, text:string, detail:string, retry:boolean}|null} null when it may be sent
 */
export function checkFile(file, limits) {
  if (file.size === 0) return { ...errorWords({ code: 'empty_file' }), detail: '' };
  if (!limits) return null;
  if (file.size > limits.maxFileSizeBytes) {
    return {
      code: 'file_too_large',
      text: `Too large: this server takes files up to ${limits.maxFileSizeMb} MB (MAX_FILE_SIZE_MB); `
        + `this one is ${megabytes(file.size)}.`,
      detail: '',
      retry: false,
    };
  }
  const ending = extension(file.name);
  const allowed = limits.allowedFormats ?? [];
  if (allowed.includes(ending)) return null;
  const list = allowed.join(', ');
  if (AUDIO_ENDINGS.has(ending)) {
    return { code: 'unsupported_format', text: `Unsupported format: this server takes ${list} files, not ${ending}.`, detail: '', retry: false };
  }
  const type = file.type ?? '';
  if (type.startsWith('audio/') || type.startsWith('video/')) return null; // a name without the usual ending: let the server look
  return {
    code: 'not_audio',
    text: `Not audio: "${file.name}" is not an audio file${type ? ` (${type})` : ''}. This server takes ${list} files.`,
    detail: '',
    retry: false,
  };
}

export function extension(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** "3.4 MB", "820 KB" (1 MB = 1024 × 1024 bytes, as MAX_FILE_SIZE_MB counts). */
export function megabytes(bytes) {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}
