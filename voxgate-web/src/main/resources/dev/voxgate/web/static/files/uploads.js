// The page's uploads: each file is checked against the server's limits, then sent to
// POST api/jobs with its bytes-sent progress, and ends as a job (the job list takes over) or as a
// refusal in words. Uploads belong to the page, not to the Files view, so switching to Live and
// back does not stop them.
//
// While a file is being sent, a note (name, size, start) is kept in the tab's sessionStorage; a
// reload or a closed tab stops the upload (the browser cancels it) and leaves the note, so the page
// that opens next in this tab says which uploads were interrupted. The file itself cannot be kept:
// it has to be chosen again.
import { serverError } from '../http/api.js';
import { INTERRUPTED, checkFile, errorWords, unreachable } from './messages.js';

let nextId = 1;

/**
 * @typedef {{id:string, name:string, size:number, file:File|null, state:string, sent:number, total:number,
 *            problem:{code:string,text:string,detail:string,retry:boolean}|null, job:object|null,
 *            options:{engine?:string, language?:string}}} UploadItem
 * state: 'uploading' | 'submitted' | 'refused' (the page's own check) | 'failed' (the server or the network)
 *        | 'interrupted' (a reload) | 'aborted' (Cancel upload)
 */

export class Uploads {
  /** @type {UploadItem[]} */
  items = [];
  #api;
  #storage;
  #noteKey;
  #listeners = new Set();
  #controllers = new Map();
  #leaving = false; // the page is being unloaded: uploads in flight are interrupted, their notes kept

  constructor(api, storage = safeSessionStorage(), base = document.baseURI) {
    this.#api = api;
    window.addEventListener('pagehide', () => {
      this.#leaving = true;
    });
    this.#storage = storage;
    this.#noteKey = `voxgate.uploads:${new URL('.', base).pathname}`;
    for (const note of this.#notes()) {
      this.items.push({
        id: note.id, name: note.name, size: note.size, file: null, state: 'interrupted', sent: 0, total: note.size,
        problem: { code: 'interrupted', text: INTERRUPTED, detail: '', retry: false }, job: null, options: {},
      });
    }
  }

  /** Calls `listener(item, event)` on every change; returns the unsubscribe function. */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Checks a file against the limits and, when it passes, starts sending it.
   * @param {File} file
   * @param {object|null} limits GET api/upload_limits, null when unknown (the server still checks)
   * @param {{engine?:string, language?:string}} options
   */
  add(file, limits, options = {}) {
    const item = {
      id: `u${Date.now().toString(36)}-${nextId++}`, name: file.name, size: file.size, file, state: 'uploading',
      sent: 0, total: file.size, problem: null, job: null, options,
    };
    this.items.unshift(item);
    const problem = checkFile(file, limits);
    if (problem) {
      item.state = 'refused';
      item.problem = problem;
      this.#emit(item, 'refused');
      return item;
    }
    this.#send(item);
    return item;
  }

  /** Sends a failed upload's file again (the same file and choices). */
  retry(id) {
    const item = this.items.find((i) => i.id === id);
    if (!item?.file || !['failed', 'aborted'].includes(item.state)) return;
    this.#send(item);
  }

  /** Stops an upload in flight. */
  abort(id) {
    this.#controllers.get(id)?.abort();
  }

  /** Forgets a finished item (refused, failed, interrupted, aborted or submitted). */
  dismiss(id) {
    const item = this.items.find((i) => i.id === id);
    if (!item || item.state === 'uploading') return;
    this.items = this.items.filter((i) => i !== item);
    this.#forgetNote(id);
    this.#emit(item, 'dismissed');
  }

  async #send(item) {
    item.state = 'uploading';
    item.sent = 0;
    item.problem = null;
    const controller = new AbortController();
    this.#controllers.set(item.id, controller);
    this.#keepNote(item);
    this.#emit(item, 'started');
    const form = new FormData();
    if (item.options.engine) form.append('engine', item.options.engine);
    if (item.options.language) form.append('language', item.options.language);
    form.append('file', item.file, item.file.name);
    let lastEmit = 0;
    try {
      const response = await this.#api.upload('api/jobs', form, {
        signal: controller.signal,
        onProgress: (sent, total) => {
          item.sent = sent;
          if (total) item.total = total;
          const now = performance.now();
          if (now - lastEmit > 100 || sent === total) {
            lastEmit = now;
            this.#emit(item, 'progress');
          }
        },
      });
      if (response.status === 201) {
        item.job = await response.json();
        item.state = 'submitted';
        item.sent = item.total;
        this.#emit(item, 'submitted');
      } else {
        item.state = 'failed';
        item.problem = errorWords(await serverError(response), response.status, response.headers.get('Retry-After'));
        this.#emit(item, 'failed');
      }
    } catch (e) {
      if (this.#leaving) return; // the note stays: the next page in this tab says the upload was interrupted
      if (e?.name === 'AbortError') {
        item.state = 'aborted';
        item.problem = { code: 'aborted', text: 'Upload cancelled.', detail: '', retry: true };
        this.#emit(item, 'aborted');
      } else {
        item.state = 'failed';
        item.problem = unreachable(location.host);
        this.#emit(item, 'failed');
      }
    } finally {
      this.#controllers.delete(item.id);
      if (!this.#leaving) this.#forgetNote(item.id);
    }
  }

  #emit(item, event) {
    for (const listener of this.#listeners) listener(item, event);
  }

  #notes() {
    try {
      const notes = JSON.parse(this.#storage?.getItem(this.#noteKey) ?? '[]');
      return Array.isArray(notes) ? notes.filter((n) => n && typeof n.id === 'string') : [];
    } catch {
      return [];
    }
  }

  #keepNote(item) {
    const notes = this.#notes().filter((n) => n.id !== item.id);
    notes.push({ id: item.id, name: item.name, size: item.size, started: new Date().toISOString() });
    this.#writeNotes(notes);
  }

  #forgetNote(id) {
    const notes = this.#notes();
    const left = notes.filter((n) => n.id !== id);
    if (left.length !== notes.length) this.#writeNotes(left);
  }

  #writeNotes(notes) {
    try {
      if (notes.length) this.#storage?.setItem(this.#noteKey, JSON.stringify(notes));
      else this.#storage?.removeItem(this.#noteKey);
    } catch {
      // storage blocked: a reload then cannot say what was interrupted
    }
  }
}

function safeSessionStorage() {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
