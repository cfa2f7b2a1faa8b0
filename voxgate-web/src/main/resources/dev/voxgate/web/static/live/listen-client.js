// Client for the native streaming protocol (docs/protocol.md): PCM16 binary frames up,
// JSON ready/partial/final/error down, {"type":"end_stream"} to finish.

/** ws:// or wss:// URL of the listen endpoint on the page's own origin and path prefix. */
export function listenUrl(params = {}, base = document.baseURI) {
  const url = new URL('v1/listen', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return url.toString();
}

// Audio produced while the socket is still opening (or its token is being fetched) is held, up to
// this many bytes (~10 s at 16 kHz).
const MAX_PENDING_BYTES = 320000;

export class ListenClient {
  #ws = null;
  #pending = [];
  #pendingBytes = 0;
  #opened = false;
  #ended = false;
  #aborted = false;
  #lastError = null;

  /**
   * @param {string|Promise<string>} url the listen URL, or its promise while a token is being fetched
   *   (audio sent meanwhile is held as while the socket opens; a rejected promise ends the session
   *   before it opened, with the rejection as `cause` and its `serverError` as `error`)
   * @param {{onOpen?:()=>void, onReady?:(m:object)=>void, onPartial?:(text:string)=>void,
   *          onFinal?:(segment:object)=>void, onClose?:(outcome:object)=>void}} handlers
   */
  constructor(url, handlers) {
    this.handlers = handlers;
    if (typeof url === 'string') this.#connect(url);
    else url.then((u) => this.#connect(u), (e) => this.#closeBeforeConnecting(e));
  }

  #connect(url) {
    if (this.#aborted) {
      this.#closeBeforeConnecting(null);
      return;
    }
    const handlers = this.handlers;
    this.#ws = new WebSocket(url);
    this.#ws.binaryType = 'arraybuffer';
    this.#ws.onopen = () => {
      this.#opened = true;
      for (const frame of this.#pending) this.#ws.send(frame);
      this.#pending = [];
      this.#pendingBytes = 0;
      if (this.#ended) this.#sendEnd();
      handlers.onOpen?.();
    };
    this.#ws.onmessage = (event) => this.#onMessage(event.data);
    this.#ws.onclose = (event) => {
      handlers.onClose?.({
        code: event.code,
        reason: event.reason,
        opened: this.#opened,
        ended: this.#ended,
        error: this.#lastError,
        normal: event.code === 1000 && this.#lastError === null,
      });
    };
  }

  /** No socket was opened: aborted while the URL was pending (normal), or the URL could not be had. */
  #closeBeforeConnecting(cause) {
    const error = this.#aborted ? null : cause?.serverError ?? null;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.handlers.onClose?.({
      code: this.#aborted ? 1000 : 1006,
      reason: this.#aborted ? 'client stopped' : '',
      opened: false,
      ended: this.#ended,
      error,
      cause: this.#aborted ? null : cause,
      normal: this.#aborted,
    });
  }

  #onMessage(data) {
    if (typeof data !== 'string') return;
    let msg;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    switch (msg.type) {
      case 'ready': this.handlers.onReady?.(msg); break;
      case 'partial': this.handlers.onPartial?.(msg.text ?? ''); break;
      case 'final': this.handlers.onFinal?.(msg); break;
      case 'error': this.#lastError = { code: msg.code, message: msg.message }; break;
      default: break; // newer servers may add message types
    }
  }

  /** Sends one PCM16 frame (queued while the socket opens). */
  send(pcm) {
    if (this.#ended) return;
    if (this.#ws?.readyState === WebSocket.OPEN) {
      this.#ws.send(pcm);
    } else if ((this.#ws === null || this.#ws.readyState === WebSocket.CONNECTING)
      && this.#pendingBytes + pcm.byteLength <= MAX_PENDING_BYTES) {
      this.#pending.push(pcm);
      this.#pendingBytes += pcm.byteLength;
    }
  }

  /** No more audio: the server sends the remaining finals and closes with 1000. */
  end() {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#ws?.readyState === WebSocket.OPEN) this.#sendEnd();
  }

  #sendEnd() {
    this.#ws.send(JSON.stringify({ type: 'end_stream' }));
  }

  /** Drops the connection without waiting for finals. */
  abort() {
    this.#ended = true;
    this.#aborted = true;
    if (this.#ws !== null && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000, 'client stopped');
  }

  get bufferedAmount() {
    return this.#ws?.bufferedAmount ?? 0;
  }
}
