// AudioWorklet processor: microphone samples -> 16 kHz mono PCM16 frames of ~100 ms, with the
// frame's level for the meter. Runs on the audio rendering thread, so it only converts and
// posts; the page thread does the networking.
import { Downsampler, toPcm16 } from './downsampler.js';

class PcmCaptureProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { targetRate = 16000, frameMs = 100 } = options.processorOptions ?? {};
    // `sampleRate` is the AudioContext's rate, a global of the worklet scope.
    this.downsampler = new Downsampler(sampleRate, targetRate);
    this.frameSamples = Math.max(1, Math.round((targetRate * frameMs) / 1000));
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.stopped = false;
    this.port.onmessage = (event) => {
      if (event.data?.type === 'flush') {
        this.#post(true);
        this.stopped = true;
      }
    };
  }

  process(inputs) {
    if (this.stopped) return false;
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const mono = channels.length === 1 ? channels[0] : mixDown(channels);
    const converted = this.downsampler.process(mono);
    let offset = 0;
    while (offset < converted.length) {
      const n = Math.min(converted.length - offset, this.frameSamples - this.filled);
      const part = converted.subarray(offset, offset + n);
      for (let i = 0; i < part.length; i++) {
        const v = part[i];
        this.sumSquares += v * v;
        const a = Math.abs(v);
        if (a > this.peak) this.peak = a;
      }
      toPcm16(part, this.frame, this.filled);
      this.filled += n;
      offset += n;
      if (this.filled === this.frameSamples) this.#post(false);
    }
    return true;
  }

  #post(partial) {
    if (this.filled === 0) {
      if (partial) this.port.postMessage({ type: 'flushed' });
      return;
    }
    const pcm = partial ? this.frame.slice(0, this.filled) : this.frame;
    const rms = Math.sqrt(this.sumSquares / this.filled);
    this.port.postMessage({ type: 'frame', pcm: pcm.buffer, rms, peak: this.peak }, [pcm.buffer]);
    if (partial) this.port.postMessage({ type: 'flushed' });
    // The posted buffer was transferred (detached), so the next frame needs a fresh one.
    this.frame = new Int16Array(this.frameSamples);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
  }
}

function mixDown(channels) {
  const out = new Float32Array(channels[0].length);
  for (const ch of channels) for (let i = 0; i < out.length; i++) out[i] += ch[i] / channels.length;
  return out;
}

registerProcessor('pcm-capture', PcmCaptureProcessor);
