// One job's transcript in the Files view: its segments with their times (from transcript.json), a
// time that plays the uploaded audio from there while the server still keeps it
// (GET api/jobs/{id}/audio, fetched with the key into a blob: an <audio> element cannot send one),
// and downloads of each format the job was asked for.
import { serverError } from '../http/api.js';
import { clock, timestamp } from '../transcript/transcript.js';
import { errorWords } from './messages.js';

const MEDIA_TYPES = {
  txt: 'text/plain',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  json: 'application/json',
};

export class JobDetail {
  #el = {};
  #shell;
  #hooks;
  #job = null;
  #audioUrl = null;
  #audioLoading = null;
  #generation = 0;

  /** @param {{announce:(text:string)=>void, closed:(jobId:string)=>void}} hooks */
  constructor(root, shell, hooks) {
    this.#shell = shell;
    this.#hooks = hooks;
    for (const id of ['job-detail', 'detail-title', 'detail-meta', 'detail-downloads', 'detail-audio',
      'detail-audio-status', 'detail-empty', 'detail-segments', 'detail-close']) {
      this.#el[id] = root.querySelector(`#${id}`);
    }
    this.#el['detail-close'].addEventListener('click', () => {
      location.hash = 'files';
    });
    this.#el['detail-segments'].addEventListener('click', (e) => {
      const play = e.target.closest('button[data-start]');
      if (play) this.#playFrom(Number(play.dataset.start));
    });
    this.#el['detail-downloads'].addEventListener('click', (e) => {
      const b = e.target.closest('button[data-format]');
      if (b) this.#download(b.dataset.format);
    });
    this.#el['job-detail'].addEventListener('keydown', (e) => {
      if (e.key === 'Escape') location.hash = 'files';
    });
  }

  /** The job on screen, or null. */
  get jobId() {
    return this.#job?.id ?? null;
  }

  async open(id) {
    if (this.#job?.id === id) return;
    this.close({ quiet: true });
    const generation = ++this.#generation;
    const panel = this.#el['job-detail'];
    this.#job = { id };
    panel.hidden = false;
    this.#el['detail-title'].textContent = 'Loading the transcript…';
    this.#el['detail-title'].focus({ preventScroll: false });
    let response;
    try {
      response = await this.#shell.api.fetch(`api/jobs/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } });
    } catch {
      this.#empty(`Cannot reach the Voxgate server at ${location.host}.`);
      return;
    }
    if (generation !== this.#generation) return;
    if (response.status === 404) {
      this.#el['detail-title'].textContent = 'No such job';
      this.#empty('This job is not on the server (any more): it was deleted, removed after TRANSCRIPT_RETENTION_DAYS, '
        + 'or belongs to another API key.');
      return;
    }
    if (!response.ok) {
      this.#el['detail-title'].textContent = 'Transcript';
      this.#empty(errorWords(await serverError(response), response.status).text);
      return;
    }
    const job = await response.json();
    this.#job = job;
    this.#el['detail-title'].textContent = `Transcript of ${job.fileName}`;
    this.#el['detail-meta'].textContent = [
      job.audioSeconds != null ? `${clock(job.audioSeconds)} of audio` : null,
      `engine ${job.engine}${job.language ? ` (${job.language})` : ''}`,
      job.finishedAt ? `finished ${new Date(job.finishedAt).toLocaleString()}` : null,
    ].filter(Boolean).join(' · ');
    if (job.status !== 'succeeded') {
      this.#empty(job.status === 'failed' ? `The job failed: ${errorWords(job.error ?? null).text}`
        : `The job is ${job.status}; its transcript is shown here once it is done.`);
      return;
    }
    this.#showDownloads(job);
    await this.#showSegments(job, generation);
  }

  /** Keeps the panel in step with the list: a job on screen that has just succeeded is loaded. */
  update(jobs) {
    const shown = this.#job;
    if (!shown?.status || shown.status === 'succeeded') return;
    const now = jobs.find((j) => j.id === shown.id);
    if (now && now.status !== shown.status) {
      this.#job = null;
      this.open(now.id);
    }
  }

  close({ quiet = false } = {}) {
    const id = this.#job?.id;
    this.#generation++;
    this.#job = null;
    this.#audioLoading = null;
    const audio = this.#el['detail-audio'];
    audio.pause();
    audio.removeAttribute('src');
    audio.hidden = true;
    if (this.#audioUrl) URL.revokeObjectURL(this.#audioUrl);
    this.#audioUrl = null;
    this.#el['detail-segments'].replaceChildren();
    this.#el['detail-downloads'].replaceChildren();
    this.#el['detail-meta'].textContent = '';
    this.#el['detail-audio-status'].textContent = '';
    this.#el['detail-empty'].hidden = true;
    const wasOpen = !this.#el['job-detail'].hidden;
    this.#el['job-detail'].hidden = true;
    if (wasOpen && id && !quiet) this.#hooks.closed(id);
  }

  #empty(text) {
    this.#el['detail-empty'].textContent = text;
    this.#el['detail-empty'].hidden = false;
  }

  #showDownloads(job) {
    const box = this.#el['detail-downloads'];
    box.replaceChildren(...(job.formats ?? []).map((f) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.format = f;
      b.textContent = `Download .${f}`;
      return b;
    }));
  }

  async #showSegments(job, generation) {
    const formats = job.formats ?? [];
    const list = this.#el['detail-segments'];
    if (!formats.includes('json')) {
      // Without json the page has no times: the plain text, one line each.
      const text = formats.includes('txt') ? await this.#text(job, 'txt') : null;
      if (generation !== this.#generation) return;
      if (text === null) {
        this.#empty('This job was asked for subtitles only: download them above.');
        return;
      }
      list.replaceChildren(...text.split('\n').filter((l) => l.trim()).map((line) => {
        const li = document.createElement('li');
        const span = document.createElement('span');
        span.className = 'text';
        span.textContent = line;
        li.append(span);
        return li;
      }));
      return;
    }
    const body = await this.#text(job, 'json');
    if (generation !== this.#generation) return;
    if (body === null) return;
    let transcript;
    try {
      transcript = JSON.parse(body);
    } catch {
      this.#empty('The server sent a transcript the page cannot read.');
      return;
    }
    const segments = (transcript.segments ?? []).filter((s) => (s.text ?? '').trim());
    if (!segments.length) {
      this.#empty('No speech was found in this file.');
      return;
    }
    list.replaceChildren(...segments.map((s) => {
      const li = document.createElement('li');
      const play = document.createElement('button');
      play.type = 'button';
      play.className = 'time';
      play.dataset.start = String(s.start ?? 0);
      const time = document.createElement('time');
      time.dateTime = `PT${Number(s.start ?? 0).toFixed(2)}S`;
      time.textContent = clock(s.start ?? 0);
      time.title = `${timestamp(s.start ?? 0)} – ${timestamp(s.end ?? 0)}`;
      play.append(time);
      play.setAttribute('aria-label', `Play from ${clock(s.start ?? 0)}`);
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = s.text.trim();
      li.append(play, ' ', text);
      return li;
    }));
  }

  /** A transcript file's text, or null (said on the page). */
  async #text(job, format) {
    try {
      const response = await this.#shell.api.fetch(`api/jobs/${job.id}/transcript.${format}`);
      if (response.ok) return await response.text();
      this.#empty(response.status === 410 || response.status === 404
        ? 'The transcript is no longer kept on the server (TRANSCRIPT_RETENTION_DAYS).'
        : errorWords(await serverError(response), response.status).text);
    } catch {
      this.#empty(`Cannot reach the Voxgate server at ${location.host}.`);
    }
    return null;
  }

  async #download(format) {
    const job = this.#job;
    if (!job) return;
    const status = this.#el['detail-audio-status'];
    try {
      const response = await this.#shell.api.fetch(`api/jobs/${job.id}/transcript.${format}`);
      if (!response.ok) {
        status.textContent = `The .${format} file could not be downloaded: `
          + errorWords(await serverError(response), response.status).text;
        return;
      }
      const blob = new Blob([await response.arrayBuffer()], { type: `${MEDIA_TYPES[format]};charset=utf-8` });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${baseName(job.fileName)}.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.textContent = `Saved ${link.download}.`;
    } catch {
      status.textContent = `Cannot reach the Voxgate server at ${location.host}.`;
    }
  }

  async #playFrom(start) {
    const audio = await this.#loadAudio();
    if (!audio) return;
    if (audio.readyState < 1) {
      await new Promise((resolve) => {
        audio.addEventListener('loadedmetadata', resolve, { once: true });
        audio.addEventListener('error', resolve, { once: true });
      });
    }
    audio.currentTime = start;
    try {
      await audio.play();
    } catch (e) {
      // AbortError: paused or moved again before playing started, which is the person's doing.
      if (e?.name === 'NotSupportedError' || audio.error) {
        this.#el['detail-audio-status'].textContent = `This browser cannot play this file's audio (${this.#job?.format}); `
          + 'download the transcript and play the recording elsewhere.';
      }
    }
  }

  /** The audio element with the job's upload in it, or null when the server no longer keeps it (said on the page). */
  #loadAudio() {
    if (this.#audioUrl) return Promise.resolve(this.#el['detail-audio']);
    if (this.#audioLoading) return this.#audioLoading;
    const job = this.#job;
    const status = this.#el['detail-audio-status'];
    const generation = this.#generation;
    status.textContent = 'Loading the audio…';
    this.#audioLoading = (async () => {
      try {
        const response = await this.#shell.api.fetch(`api/jobs/${job.id}/audio`);
        if (generation !== this.#generation) return null;
        if (response.status === 410 || response.status === 404) {
          const days = (await serverError(response))?.message ?? '';
          status.textContent = `The audio is no longer kept on the server, so it cannot be played. ${days}`.trim();
          return null;
        }
        if (!response.ok) {
          status.textContent = `The audio could not be loaded: ${errorWords(await serverError(response), response.status).text}`;
          return null;
        }
        const blob = await response.blob();
        if (generation !== this.#generation) return null;
        this.#audioUrl = URL.createObjectURL(blob);
        const audio = this.#el['detail-audio'];
        audio.src = this.#audioUrl;
        audio.hidden = false;
        status.textContent = '';
        return audio;
      } catch {
        status.textContent = `Cannot reach the Voxgate server at ${location.host}.`;
        return null;
      } finally {
        this.#audioLoading = null;
      }
    })();
    return this.#audioLoading;
  }
}

function baseName(name) {
  const dot = name.lastIndexOf('.');
  const base = (dot > 0 ? name.slice(0, dot) : name).replace(/[\\/:*?"<>|]+/g, '_').trim();
  return base || 'transcript';
}
