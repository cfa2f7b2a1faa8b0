// The Files view: choose or drop audio files, watch each upload (bytes sent) and then its job
// (queued → running with its progress → done or failed, in words), and the list of jobs, newest
// first and paged, as the server keeps it (GET api/jobs: the caller's key's jobs; every job on a
// server running without keys). A job opens into its transcript (files/job-detail.js).
//
// The list is the server's, so it survives a reload and shows jobs that finished while the page
// was closed. While a job on screen is queued or running the list is asked for every second, else
// every 15 s. Status changes are announced in a polite live region, once per change.
import { KeyNeededError, serverError } from '../http/api.js';
import { clock } from '../transcript/transcript.js';
import { JobDetail } from './job-detail.js';
import { errorWords, megabytes } from './messages.js';

const PAGE_SIZE = 10;
const FAST_POLL_MS = 1000;
const SLOW_POLL_MS = 15000;

const STATUS_WORDS = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export class FilesView {
  #el = {};
  #shell;
  #limits = null;
  #engines = [];
  #page = 1;
  #total = 0;
  #jobs = [];
  #statuses = new Map(); // job id → last status seen, for announcements
  #timer = null;
  #unsubscribe;
  #detail;
  #mounted = true;
  #refreshing = null;
  #again = false;

  constructor(root, shell) {
    this.#shell = shell;
    root.append(document.getElementById('files-view').content.cloneNode(true));
    for (const id of ['files-status', 'drop-zone', 'choose-files', 'file-input', 'limits', 'file-engine',
      'file-language', 'files-notice', 'uploads', 'jobs', 'jobs-empty', 'jobs-newer', 'jobs-older', 'jobs-page',
      'jobs-owner']) {
      this.#el[id] = root.querySelector(`#${id}`);
    }
    this.#el.pager = root.querySelector('.pager');
    shell.setConnection(null);
    document.title = 'Voxgate — files';
    this.#detail = new JobDetail(root, shell, {
      announce: (text) => this.#announce(text),
      closed: (id) => this.#focusJob(id),
    });

    this.#el['choose-files'].addEventListener('click', () => this.#el['file-input'].click());
    this.#el['file-input'].addEventListener('change', () => {
      this.#addFiles(this.#el['file-input'].files);
      this.#el['file-input'].value = '';
    });
    const zone = this.#el['drop-zone'];
    zone.addEventListener('dragover', (e) => {
      e.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      this.#addFiles(e.dataTransfer?.files ?? []);
    });
    this.#el['file-engine'].addEventListener('change', () => this.#showLanguages());
    this.#el['jobs-newer'].addEventListener('click', () => this.#goTo(this.#page - 1));
    this.#el['jobs-older'].addEventListener('click', () => this.#goTo(this.#page + 1));
    this.#el.uploads.addEventListener('click', (e) => this.#uploadAction(e));
    this.#el.jobs.addEventListener('click', (e) => this.#jobAction(e));

    this.#unsubscribe = shell.uploads.subscribe((item, event) => this.#onUpload(item, event));
    // Uploads that became jobs while another view was shown: the job list has them now.
    for (const item of [...shell.uploads.items]) if (item.state === 'submitted') shell.uploads.dismiss(item.id);
    this.#renderUploads();
    this.#start();
  }

  unmount() {
    this.#mounted = false;
    clearTimeout(this.#timer);
    this.#unsubscribe();
    this.#detail.close({ quiet: true });
    document.title = 'Voxgate — transcription';
  }

  /** `#files/JOB-ID` opens that job's transcript; `#files` closes it. */
  route(rest) {
    if (rest) this.#detail.open(rest);
    else this.#detail.close(); // focus goes back to the job's button
  }

  async #start() {
    await this.#loadLimits();
    await this.#loadEngines();
    await this.#refresh();
  }

  async #loadLimits() {
    try {
      const response = await this.#shell.api.fetch('api/upload_limits', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      this.#limits = await response.json();
      const formats = this.#limits.allowedFormats ?? [];
      this.#el.limits.textContent = `${formats.join(', ')} files, up to ${this.#limits.maxFileSizeMb} MB each`
        + ` and ${this.#limits.maxAudioMinutes} minutes of audio.`;
      this.#el['file-input'].accept = [...formats.map((f) => `.${f}`), 'audio/*'].join(',');
    } catch {
      // without them the page refuses nothing itself; the server still checks every file
    }
  }

  /** Offers the engines, and the chosen engine's languages, where there is more than one. */
  async #loadEngines() {
    try {
      const response = await this.#shell.api.fetch('api/modules_info', { headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const info = await response.json();
      this.#engines = (info.engines ?? []).filter((e) => e.status !== 'failed');
      const preferred = this.#limits?.defaultEngine ?? info.defaultFileEngine ?? info.defaultEngine;
      const select = this.#el['file-engine'];
      for (const engine of this.#engines) {
        const option = new Option(engine.description ? `${engine.id} — ${engine.description}` : engine.id, engine.id);
        option.selected = engine.id === preferred;
        select.append(option);
      }
      select.closest('.engine-choice').hidden = this.#engines.length < 2;
      this.#showLanguages();
    } catch {
      // the server's default engine and language are used without them
    }
  }

  #showLanguages() {
    const engine = this.#engines.find((e) => e.id === this.#el['file-engine'].value);
    const languages = engine?.capabilities?.languages ?? [];
    const select = this.#el['file-language'];
    select.replaceChildren(...languages.map((l) => new Option(languageName(l), l)));
    select.closest('.language-choice').hidden = languages.length < 2;
  }

  #addFiles(files) {
    const options = {};
    if (!this.#el['file-engine'].closest('.engine-choice').hidden) options.engine = this.#el['file-engine'].value;
    if (!this.#el['file-language'].closest('.language-choice').hidden) options.language = this.#el['file-language'].value;
    for (const file of files) this.#shell.uploads.add(file, this.#limits, options);
  }

  // ---- uploads

  #onUpload(item, event) {
    if (!this.#mounted) return;
    if (event === 'progress') {
      this.#updateUploadProgress(item);
      return;
    }
    this.#renderUploads();
    switch (event) {
      case 'started': this.#announce(`Uploading ${item.name}.`); break;
      case 'refused': this.#announce(`${item.name} was not uploaded. ${item.problem.text}`); break;
      case 'failed': this.#announce(`Upload of ${item.name} failed. ${item.problem.text}`); break;
      case 'aborted': this.#announce(`Upload of ${item.name} cancelled.`); break;
      case 'submitted':
        this.#announce(`${item.name} uploaded; it is queued for transcription.`);
        this.#statuses.set(item.job.id, item.job.status);
        this.#shell.uploads.dismiss(item.id);
        if (this.#page !== 1) this.#page = 1;
        this.#refresh();
        break;
      default:
    }
  }

  #renderUploads() {
    const list = this.#el.uploads;
    list.replaceChildren(...this.#shell.uploads.items.map((item) => this.#uploadItem(item)));
    list.hidden = this.#shell.uploads.items.length === 0;
  }

  #uploadItem(item) {
    const li = document.createElement('li');
    li.className = 'upload';
    li.dataset.uploadId = item.id;
    li.dataset.state = item.state;
    const name = document.createElement('p');
    name.className = 'name';
    name.textContent = item.name;
    const state = document.createElement('p');
    state.className = 'state';
    li.append(name);
    if (item.state === 'uploading') {
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute('aria-label', `Upload of ${item.name}`);
      li.append(bar, state);
      li.append(button('Cancel upload', 'abort', item.id));
      this.#fillProgress(li, item);
    } else {
      state.textContent = item.problem?.text ?? '';
      li.append(state);
      if (item.problem?.detail) {
        const detail = document.createElement('p');
        detail.className = 'detail';
        detail.textContent = `Server said: ${item.problem.detail}`;
        li.append(detail);
      }
      const actions = document.createElement('p');
      actions.className = 'row-actions';
      if (item.file && item.problem?.retry) actions.append(button('Retry', 'retry', item.id));
      actions.append(button('Dismiss', 'dismiss', item.id, `Dismiss ${item.name}`));
      li.append(actions);
    }
    return li;
  }

  #updateUploadProgress(item) {
    const li = this.#el.uploads.querySelector(`li[data-upload-id="${item.id}"]`);
    if (li) this.#fillProgress(li, item);
  }

  #fillProgress(li, item) {
    const percent = item.total > 0 ? Math.floor((100 * item.sent) / item.total) : 0;
    const bar = li.querySelector('progress');
    if (bar) bar.value = percent;
    const state = li.querySelector('.state');
    if (!state) return;
    state.textContent = item.total > 0 && item.sent >= item.total
      ? `Sent (${megabytes(item.total)}); the server is checking the file…`
      : `Uploading: ${percent}% (${megabytes(item.sent)} of ${megabytes(item.total)})`;
  }

  #uploadAction(e) {
    const target = e.target.closest('button[data-action]');
    if (!target) return;
    const { action, id } = target.dataset;
    if (action === 'retry') this.#shell.uploads.retry(id);
    else if (action === 'abort') this.#shell.uploads.abort(id);
    else if (action === 'dismiss') {
      this.#shell.uploads.dismiss(id);
      this.#el['choose-files'].focus();
    }
  }

  // ---- jobs

  #goTo(page) {
    this.#page = Math.max(1, page);
    this.#refresh();
  }

  /** Reads the current page of jobs; one request at a time, the next one scheduled by what it shows. */
  #refresh() {
    if (this.#refreshing) {
      // The answer on its way may predate what changed (a job just submitted): ask once more after it.
      this.#again = true;
      return this.#refreshing;
    }
    clearTimeout(this.#timer);
    this.#refreshing = this.#load().finally(() => {
      this.#refreshing = null;
      if (!this.#mounted) return;
      const active = this.#jobs.some((j) => j.status === 'queued' || j.status === 'running');
      const again = this.#again;
      this.#again = false;
      this.#timer = setTimeout(() => this.#refresh(), again ? 0 : active ? FAST_POLL_MS : SLOW_POLL_MS);
    });
    return this.#refreshing;
  }

  async #load() {
    let response;
    try {
      response = await this.#shell.api.fetch(`api/jobs?page=${this.#page}&size=${PAGE_SIZE}`,
        { headers: { Accept: 'application/json' } });
    } catch {
      this.#notice(`Cannot reach the Voxgate server at ${location.host}; the list shows what it last said.`);
      return;
    }
    if (!response.ok) {
      const words = response.status === 401 ? 'This server needs an API key: the page asks for it when you upload.'
        : errorWords(await serverError(response), response.status).text;
      this.#notice(`The job list could not be read. ${words}`);
      return;
    }
    this.#notice('');
    const body = await response.json();
    this.#el.jobs.dataset.loaded = 'true';
    this.#total = body.total ?? 0;
    const pages = Math.max(1, Math.ceil(this.#total / PAGE_SIZE));
    if (this.#page > pages) {
      this.#page = pages;
      await this.#load();
      return;
    }
    this.#jobs = body.jobs ?? [];
    this.#announceChanges(this.#jobs);
    this.#renderJobs();
    this.#detail.update(this.#jobs);
    this.#el['jobs-owner'].textContent = this.#shell.api.hasKey
      ? 'The jobs of the API key this tab uses.'
      : 'This server runs without API keys: everyone who can open this page sees these jobs.';
  }

  #announceChanges(jobs) {
    const changes = [];
    for (const job of jobs) {
      const before = this.#statuses.get(job.id);
      if (before !== undefined && before !== job.status) changes.push(`${job.fileName}: ${statusText(job)}`);
      this.#statuses.set(job.id, job.status);
    }
    if (changes.length) this.#announce(changes.join('. '));
  }

  #renderJobs() {
    const list = this.#el.jobs;
    const focused = document.activeElement?.closest?.('#jobs button[data-action]');
    const refocus = focused ? `li[data-job-id="${focused.dataset.id}"] button[data-action="${focused.dataset.action}"]`
      : null;
    // Rows that did not change are kept as they are (a person may be about to press one of their buttons);
    // the list is only rebuilt when its jobs or their order changed.
    const old = [...list.children];
    const sameJobs = old.length === this.#jobs.length && old.every((li, i) => li.dataset.jobId === this.#jobs[i].id);
    if (sameJobs) {
      this.#jobs.forEach((job, i) => {
        if (old[i].dataset.signature !== signature(job)) old[i].replaceWith(this.#jobItem(job));
      });
    } else {
      list.replaceChildren(...this.#jobs.map((job) => this.#jobItem(job)));
    }
    if (refocus && !list.contains(document.activeElement)) list.querySelector(refocus)?.focus({ preventScroll: true });
    this.#el['jobs-empty'].hidden = this.#total > 0;
    const pages = Math.max(1, Math.ceil(this.#total / PAGE_SIZE));
    this.#el.pager.hidden = pages < 2;
    this.#el['jobs-page'].textContent = `Page ${this.#page} of ${pages} (${this.#total} jobs)`;
    this.#el['jobs-newer'].disabled = this.#page <= 1;
    this.#el['jobs-older'].disabled = this.#page >= pages;
  }

  #jobItem(job) {
    const li = document.createElement('li');
    li.className = 'job';
    li.dataset.jobId = job.id;
    li.dataset.status = job.status;
    li.dataset.signature = signature(job);
    const name = document.createElement('p');
    name.className = 'name';
    name.textContent = job.fileName;
    const status = document.createElement('p');
    status.className = 'state';
    status.dataset.status = job.status;
    status.textContent = statusText(job);
    li.append(name, status);
    if (job.status === 'running' || job.status === 'queued') {
      const bar = document.createElement('progress');
      bar.max = 100;
      bar.value = job.progress ?? 0;
      bar.setAttribute('aria-label', `Transcription of ${job.fileName}`);
      li.append(bar);
    }
    if (job.status === 'failed' && job.error?.message) {
      const detail = document.createElement('p');
      detail.className = 'detail';
      detail.textContent = `Server said: ${job.error.message}`;
      li.append(detail);
    }
    const meta = document.createElement('p');
    meta.className = 'meta';
    const created = new Date(job.createdAt);
    const parts = [
      job.audioSeconds != null ? `${clock(job.audioSeconds)} long` : null,
      `engine ${job.engine}${job.language ? ` (${job.language})` : ''}`,
      job.sizeBytes != null ? megabytes(job.sizeBytes) : null,
    ].filter(Boolean);
    const time = document.createElement('time');
    time.dateTime = job.createdAt;
    time.textContent = Number.isNaN(created.getTime()) ? job.createdAt : created.toLocaleString();
    meta.append(`${parts.join(' · ')} · uploaded `, time);
    li.append(meta);
    const actions = document.createElement('p');
    actions.className = 'row-actions';
    if (job.status === 'succeeded') actions.append(button('Open transcript', 'open', job.id, `Open the transcript of ${job.fileName}`));
    if (job.status === 'queued' || job.status === 'running') {
      actions.append(button('Cancel', 'cancel', job.id, `Cancel the transcription of ${job.fileName}`));
    } else {
      actions.append(button('Delete', 'delete', job.id, `Delete ${job.fileName} and its transcript`));
    }
    li.append(actions);
    return li;
  }

  async #jobAction(e) {
    const target = e.target.closest('button[data-action]');
    if (!target) return;
    const { action, id } = target.dataset;
    const job = this.#jobs.find((j) => j.id === id);
    if (!job) return;
    if (action === 'open') {
      location.hash = `files/${id}`;
    } else if (action === 'cancel') {
      target.disabled = true;
      await this.#send(`api/jobs/${id}`, 'DELETE', `Cancelled ${job.fileName}.`, `${job.fileName} could not be cancelled.`);
    } else if (action === 'delete') {
      // eslint-disable-next-line no-alert
      if (!window.confirm(`Delete ${job.fileName} and its transcripts from the server? This cannot be undone.`)) return;
      target.disabled = true;
      const ok = await this.#send(`api/jobs/${id}?purge=true`, 'DELETE', `Deleted ${job.fileName}.`,
        `${job.fileName} could not be deleted.`);
      if (ok) {
        if (this.#detail.jobId === id) location.hash = 'files';
        this.#el['choose-files'].focus({ preventScroll: true });
      }
    }
  }

  async #send(path, method, done, failed) {
    try {
      const response = await this.#shell.api.fetch(path, { method, headers: { Accept: 'application/json' } });
      if (response.ok) {
        this.#notice('');
        this.#announce(done);
        await this.#refresh();
        return true;
      }
      const problem = errorWords(await serverError(response), response.status);
      this.#notice(`${failed} ${problem.detail || problem.text}`);
    } catch (e) {
      this.#notice(e instanceof KeyNeededError ? `${failed} This server needs an API key.`
        : `${failed} Cannot reach the Voxgate server at ${location.host}.`);
    }
    await this.#refresh();
    return false;
  }

  #focusJob(id) {
    const button = this.#el.jobs.querySelector(`li[data-job-id="${id}"] button[data-action="open"]`);
    (button ?? this.#el['choose-files']).focus({ preventScroll: true });
  }

  #notice(text) {
    const notice = this.#el['files-notice'];
    notice.querySelector('.notice-text').textContent = text;
    notice.hidden = text === '';
  }

  #announce(text) {
    // Emptied first, so the same words twice in a row are read twice.
    const region = this.#el['files-status'];
    region.textContent = '';
    setTimeout(() => {
      region.textContent = text;
    }, 50);
  }
}

/** The words of a job's state: "Running: 42%", "Failed: Not audio: …". */
export function statusText(job) {
  const words = STATUS_WORDS[job.status] ?? job.status;
  if (job.status === 'running') return `${words}: ${job.progress ?? 0}%`;
  if (job.status === 'failed') return `${words}: ${errorWords(job.error ?? null).text}`;
  if (job.status === 'queued' && job.error) return `${words} (will try again: ${errorWords(job.error).text})`;
  return words;
}

/** What a job's row shows; a row whose signature is unchanged is not rebuilt. */
function signature(job) {
  return [job.status, job.progress, job.error?.code ?? '', job.audioSeconds ?? '', job.fileName].join('|');
}

function button(label, action, id, ariaLabel) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'small';
  b.textContent = label;
  b.dataset.action = action;
  b.dataset.id = id;
  if (ariaLabel) b.setAttribute('aria-label', ariaLabel);
  return b;
}

function languageName(tag) {
  try {
    const name = new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' }).of(tag);
    return name && name !== tag ? `${name} (${tag})` : tag;
  } catch {
    return tag;
  }
}
