// Microphone capture: getUserMedia -> AudioContext -> the PCM capture worklet.
// Every way this can fail becomes a MicrophoneError with a reason the page can put in words.

export class MicrophoneError extends Error {
  /** @param {'insecure'|'denied'|'missing'|'busy'|'unsupported'|'failed'} reason */
  constructor(reason, detail) {
    super(detail || reason);
    this.reason = reason;
  }
}

export class Microphone {
  #stream;
  #context;
  #node;
  #source;
  #flushed;
  #active = false;

  /**
   * Opens the default microphone and starts delivering frames.
   * @param {{targetRate:number, frameMs:number, onFrame:(pcm:ArrayBuffer, level:{rms:number, peak:number})=>void, onEnded:()=>void}} options
   */
  static async open(options) {
    const mic = new Microphone();
    await mic.#start(options);
    return mic;
  }

  async #start({ targetRate, frameMs, onFrame, onEnded }) {
    if (!window.isSecureContext) {
      throw new MicrophoneError('insecure', 'Browsers only allow the microphone on https:// pages or on localhost.');
    }
    if (!navigator.mediaDevices?.getUserMedia || typeof AudioWorkletNode === 'undefined') {
      throw new MicrophoneError('unsupported', 'This browser cannot capture audio (getUserMedia or AudioWorklet missing).');
    }
    try {
      // Processing meant for calls (echo cancellation, noise suppression, gain control) hurts recognition.
      this.#stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
        video: false,
      });
    } catch (e) {
      throw toMicrophoneError(e);
    }
    try {
      this.#context = await sharedContext();
      this.#source = this.#context.createMediaStreamSource(this.#stream);
      this.#node = new AudioWorkletNode(this.#context, 'pcm-capture', {
        numberOfInputs: 1,
        numberOfOutputs: 1,
        outputChannelCount: [1],
        processorOptions: { targetRate, frameMs },
      });
      this.#flushed = new Promise((resolve) => {
        this.#node.port.onmessage = (event) => {
          const msg = event.data;
          if (msg.type === 'frame') onFrame(msg.pcm, { rms: msg.rms, peak: msg.peak });
          else if (msg.type === 'flushed') resolve();
        };
      });
      this.#source.connect(this.#node);
      // The node writes silence; connecting it keeps the graph pulling it in every browser.
      this.#node.connect(this.#context.destination);
      this.#active = true;
      activeMicrophones++;
      await this.#context.resume();
    } catch (e) {
      this.#release();
      throw new MicrophoneError('failed', `Could not start audio processing: ${e.message}`);
    }
    for (const track of this.#stream.getAudioTracks()) {
      track.addEventListener('ended', () => onEnded?.());
    }
  }

  get sampleRate() {
    return this.#context?.sampleRate;
  }

  /** Stops capture after delivering the last partial frame. */
  async stop() {
    if (!this.#node) return;
    this.#node.port.postMessage({ type: 'flush' });
    await Promise.race([this.#flushed, new Promise((r) => setTimeout(r, 500))]);
    this.#release();
  }

  #release() {
    this.#stream?.getTracks().forEach((t) => t.stop());
    this.#source?.disconnect();
    this.#node?.disconnect();
    this.#node = undefined;
    this.#source = undefined;
    if (this.#active) {
      this.#active = false;
      activeMicrophones--;
    }
    // A new session may already be capturing (Reconnect pressed while this one was flushing).
    if (activeMicrophones === 0) this.#context?.suspend().catch(() => {});
  }
}

// One AudioContext for the life of the page, with the worklet module loaded once: a later Start
// (a reconnect after the server came back, say) does not depend on fetching the module again.
let context = null;
let activeMicrophones = 0;

async function sharedContext() {
  if (!context) {
    context = (async () => {
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.audioWorklet.addModule(new URL('../audio/pcm-capture-worklet.js', import.meta.url));
      return ctx;
    })();
    context.catch(() => { context = null; }); // let the next Start try again
  }
  return context;
}

function toMicrophoneError(e) {
  switch (e?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new MicrophoneError('denied', e.message);
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new MicrophoneError('missing', e.message);
    case 'NotReadableError':
    case 'AbortError':
      return new MicrophoneError('busy', e.message);
    default:
      return new MicrophoneError('failed', e?.message ?? String(e));
  }
}
