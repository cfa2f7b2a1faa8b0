// Every HTTP call the page makes goes through Api.fetch, so that a server with API keys on
// (API_KEYS_FILE) works like one without: the key, once the person has entered it, travels as
// `Authorization: Bearer KEY`; a 401 asks for a key (once: concurrent calls share one question)
// and the call is retried with it; a key the server refuses is forgotten and the person is told.
// The key is kept in sessionStorage only: this tab, until it closes. Never localStorage, never a
// URL. WebSockets cannot carry headers, so a live session gets a single-use token with the key
// first (POST api/tokens) and puts the token, not the key, in its URL.

/**
 * Asks the person for a key; `refused` when the server has just refused the one they gave.
 * Resolves to the key, or null when they decline.
 * @typedef {(question:{refused:boolean}) => Promise<string|null>} AskForKey
 */

/** Keeps the key in the tab's sessionStorage, one entry per page location (two servers under one origin). */
export class KeyStore {
  #storage;
  #name;
  #memory = null; // where sessionStorage is unavailable (blocked storage): the key lives as long as the page

  constructor(storage = safeSessionStorage(), base = document.baseURI) {
    this.#storage = storage;
    this.#name = `voxgate.apiKey:${new URL('.', base).pathname}`;
  }

  get() {
    try {
      return this.#storage?.getItem(this.#name) ?? this.#memory;
    } catch {
      return this.#memory;
    }
  }

  set(key) {
    this.#memory = key;
    try {
      this.#storage?.setItem(this.#name, key);
      this.#memory = null;
    } catch {
      // kept in memory only
    }
  }

  clear() {
    this.#memory = null;
    try {
      this.#storage?.removeItem(this.#name);
    } catch {
      // nothing stored
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

/** A key was needed and the person gave none; `response` is the server's 401. */
export class KeyNeededError extends Error {
  constructor(response, serverError) {
    super(serverError?.message ?? 'This server needs an API key.');
    this.response = response;
    this.serverError = serverError ?? { code: 'unauthorized', message: this.message };
  }
}

/** The server answered an error other than 401; `serverError` is its {code, message} when it sent one. */
export class HttpError extends Error {
  constructor(response, serverError) {
    super(serverError?.message ?? `HTTP ${response.status}`);
    this.response = response;
    this.serverError = serverError ?? null;
  }
}

export class Api {
  #keys;
  #ask;
  #fetch;
  #base;
  #onKeyChange;
  #xhr;
  #asking = null; // the question on screen, shared by every call that got a 401 meanwhile
  #needsKey = false;

  /**
   * @param {{keys?:KeyStore, askForKey:AskForKey, fetch?:typeof fetch, base?:string,
   *          onKeyChange?:(hasKey:boolean)=>void, xhr?:()=>XMLHttpRequest}} options
   */
  constructor({ keys = new KeyStore(), askForKey, fetch = globalThis.fetch.bind(globalThis), base = document.baseURI,
    onKeyChange = () => {}, xhr = () => new XMLHttpRequest() }) {
    this.#xhr = xhr;
    this.#keys = keys;
    this.#ask = askForKey;
    this.#fetch = fetch;
    this.#base = base;
    this.#onKeyChange = onKeyChange;
  }

  /** A key is stored for this tab. */
  get hasKey() {
    return this.#keys.get() !== null;
  }

  /** The server has asked for a key in this tab (a 401), or one is stored. */
  get needsKey() {
    return this.#needsKey || this.hasKey;
  }

  /** Forgets the stored key; the next call that needs one asks again. */
  forgetKey() {
    this.#keys.clear();
    this.#onKeyChange(false);
  }

  /**
   * fetch() for a path relative to the page (`api/modules_info`), with the key when one is stored.
   * On 401 asks for a key and retries; resolves to the 401 response when the person declines.
   * Bodies must be retryable (a string, a Blob, FormData), not streams.
   */
  async fetch(path, init = {}) {
    const url = new URL(path, this.#base);
    for (;;) {
      const key = this.#keys.get();
      const response = await this.#fetch(url, { ...init, headers: this.#headers(init.headers, key) });
      if (response.status !== 401) return response;
      this.#needsKey = true;
      const current = this.#keys.get();
      if (current !== null && current !== key) continue; // another call got a new key meanwhile: use it
      const refused = key !== null;
      if (refused) this.forgetKey();
      if ((await this.#askOnce(refused)) === null) return response;
    }
  }

  /**
   * POSTs a form with XMLHttpRequest, whose upload reports the bytes sent (fetch has no upload
   * progress). Keys work as in fetch(): a 401 asks for a key and the form is sent again.
   * Resolves to a Response (any status); rejects with a TypeError when the server cannot be
   * reached, with an AbortError DOMException when `signal` aborts.
   * @param {string} path relative to the page
   * @param {FormData} form
   * @param {{onProgress?:(sent:number, total:number)=>void, signal?:AbortSignal}} options
   */
  async upload(path, form, { onProgress = () => {}, signal } = {}) {
    const url = new URL(path, this.#base);
    for (;;) {
      const key = this.#keys.get();
      const response = await this.#post(url, form, key, onProgress, signal);
      if (response.status !== 401) return response;
      this.#needsKey = true;
      const current = this.#keys.get();
      if (current !== null && current !== key) continue;
      const refused = key !== null;
      if (refused) this.forgetKey();
      if ((await this.#askOnce(refused)) === null) return response;
    }
  }

  #post(url, form, key, onProgress, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DOMException('upload aborted', 'AbortError'));
        return;
      }
      const xhr = this.#xhr();
      xhr.open('POST', url.toString());
      xhr.setRequestHeader('Accept', 'application/json');
      if (key !== null) xhr.setRequestHeader('Authorization', `Bearer ${key}`);
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0));
      const onAbort = () => xhr.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      xhr.addEventListener('load', () => {
        done();
        const headers = new Headers();
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
        }
        const status = xhr.status >= 200 && xhr.status <= 599 ? xhr.status : 502;
        const noBody = status === 204 || status === 205 || status === 304;
        resolve(new Response(noBody ? null : xhr.responseText, { status, headers }));
      });
      xhr.addEventListener('error', () => {
        done();
        reject(new TypeError('the server could not be reached'));
      });
      xhr.addEventListener('abort', () => {
        done();
        reject(new DOMException('upload aborted', 'AbortError'));
      });
      xhr.send(form);
    });
  }

  /** Asks for a key now, unless one is stored; resolves to whether there is a key afterwards. */
  async ensureKey() {
    return this.hasKey || (await this.#askOnce(false)) !== null;
  }

  /**
   * A single-use token for one /v1/listen connection, got with the key: null when the server has no
   * token route (one from before tokens). Throws KeyNeededError when the person gives no key,
   * HttpError on another refusal, TypeError when the server cannot be reached. Only asked for when
   * the server wants keys (Api.needsKey): with keys off the socket needs no token.
   */
  async listenToken() {
    const response = await this.fetch('api/tokens', { method: 'POST', headers: { Accept: 'application/json' } });
    if (response.status === 401) throw new KeyNeededError(response, await serverError(response));
    if (response.status === 404 || response.status === 405) return null;
    if (!response.ok) throw new HttpError(response, await serverError(response));
    const body = await response.json();
    return typeof body.token === 'string' && body.token !== '' ? body.token : null;
  }

  /**
   * Whether the server refuses this tab: it wants a key and none is stored, or it refuses the stored
   * one (which is then forgotten). Asked after a WebSocket failed before opening, since the browser
   * hides the upgrade's 401 behind a bare close (1006). Asks the person nothing; never throws.
   */
  async refusesThisTab() {
    const key = this.#keys.get();
    try {
      const response = await this.#fetch(new URL('api/modules_info', this.#base), {
        headers: this.#headers({ Accept: 'application/json' }, key),
      });
      if (response.status !== 401) return false;
    } catch {
      return false;
    }
    this.#needsKey = true;
    if (key !== null && this.#keys.get() === key) this.forgetKey();
    return true;
  }

  #headers(extra, key = this.#keys.get()) {
    const headers = new Headers(extra);
    if (key !== null) headers.set('Authorization', `Bearer ${key}`);
    return headers;
  }

  #askOnce(refused) {
    if (!this.#asking) {
      this.#asking = (async () => {
        try {
          const key = await this.#ask({ refused });
          if (key === null || key === undefined) return null;
          this.#keys.set(key);
          this.#onKeyChange(true);
          return key;
        } finally {
          this.#asking = null;
        }
      })();
    }
    return this.#asking;
  }
}

/** The {code, message} of a JSON error body (docs/errors.md), or null. */
export async function serverError(response) {
  try {
    const body = await response.clone().json();
    const error = body?.error;
    return error && typeof error.code === 'string' ? { code: error.code, message: String(error.message ?? '') } : null;
  } catch {
    return null;
  }
}
