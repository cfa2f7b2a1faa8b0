// Client for the native streaming protocol (docs/protocol.md): PCM16 binary frames up,
// JSON ready/partial/final/error down, {"type":"end_stream"} to finish.

/** ws:// or wss:// URL of the listen endpoint on the page's own origin and path prefix. */
export function listenUrl(params = {}, base = document.baseURI) {
  const url = new URL('v1/listen', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  return url.toString();
}

// Audio produced while the socket is still opening is held, up to this many bytes (~10 s at 16 kHz).
const MAX_PENDING_BYTES = 320000;

export class ListenClient {
  #ws;
  #pending = [];
  #pendingBytes = 0;
  #opened = false;
  #ended = false;
  #lastError = null;

  /**
   * @param {string} url
   * @param {{onOpen?:()=>void, onReady?:(m:object)=>void, onPartial?:(text:string)=>void,
   *          onFinal?:(segment:object)=>void, onClose?:(outcome:object)=>void}} handlers
   */
  constructor(url, handlers) {
    this.handlers = handlers;
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
    if (this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.send(pcm);
    } else if (this.#ws.readyState === WebSocket.CONNECTING && this.#pendingBytes + pcm.byteLength <= MAX_PENDING_BYTES) {
      this.#pending.push(pcm);
      this.#pendingBytes += pcm.byteLength;
    }
  }

  /** No more audio: the server sends the remaining finals and closes with 1000. */
  end() {
    if (this.#ended) return;
    this.#ended = true;
    if (this.#ws.readyState === WebSocket.OPEN) this.#sendEnd();
  }

  #sendEnd() {
    this.#ws.send(JSON.stringify({ type: 'end_stream' }));
  }

  /** Drops the connection without waiting for finals. */
  abort() {
    this.#ended = true;
    if (this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000, 'client stopped');
  }

  get bufferedAmount() {
    return this.#ws.bufferedAmount;
  }
}
