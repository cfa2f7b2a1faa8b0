// Band-limited sample-rate conversion for the microphone path (usually 48 or 44.1 kHz -> 16 kHz).
// Dropping samples without a low-pass filter would fold everything above 8 kHz back into the
// speech band; the recognizer hears that as noise. A windowed-sinc kernel, tabulated per
// fractional phase, filters and interpolates in one step and keeps its state across blocks,
// so frames of any size can be fed as they arrive from the AudioWorklet.

const PHASES = 512;

function sinc(x) {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

// Zeroth-order modified Bessel function, for the Kaiser window.
function bessel0(x) {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

export class Downsampler {
  /**
   * @param {number} inputRate  rate of the samples given to process()
   * @param {number} outputRate rate of the samples it returns
   */
  constructor(inputRate, outputRate, { beta = 8.6, zeroCrossings = 16 } = {}) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('sample rates must be positive');
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    this.step = inputRate / outputRate;
    this.passthrough = inputRate === outputRate;
    // Cut-off a little under the output Nyquist so the transition band ends before aliasing starts.
    const scale = Math.min(1, outputRate / inputRate);
    this.cutoff = 0.5 * scale * 0.92;
    this.halfWidth = Math.ceil(zeroCrossings / scale);
    this.table = this.#buildTable(beta);
    this.history = new Float32Array(this.halfWidth); // zeros before the first sample
    this.position = this.halfWidth; // input index (into history) of the next output sample
  }

  #buildTable(beta) {
    const taps = 2 * this.halfWidth;
    const table = new Float32Array((PHASES + 1) * taps);
    const norm = bessel0(beta);
    for (let p = 0; p <= PHASES; p++) {
      const frac = p / PHASES;
      for (let t = 0; t < taps; t++) {
        const x = t - this.halfWidth + 1 - frac; // distance from the output instant, in input samples
        const r = x / this.halfWidth;
        const window = Math.abs(r) >= 1 ? 0 : bessel0(beta * Math.sqrt(1 - r * r)) / norm;
        table[p * taps + t] = 2 * this.cutoff * sinc(2 * this.cutoff * x) * window;
      }
    }
    return table;
  }

  /**
   * Converts the next block of input and returns the output samples it completes.
   * @param {Float32Array} input samples in [-1, 1]
   * @returns {Float32Array}
   */
  process(input) {
    if (this.passthrough) return Float32Array.from(input);
    const buffer = new Float32Array(this.history.length + input.length);
    buffer.set(this.history);
    buffer.set(input, this.history.length);

    const taps = 2 * this.halfWidth;
    const out = [];
    let pos = this.position;
    while (pos + this.halfWidth < buffer.length) {
      const base = Math.floor(pos);
      const phase = (pos - base) * PHASES;
      const p0 = Math.floor(phase);
      const mix = phase - p0;
      const row0 = p0 * taps;
      const row1 = row0 + taps;
      const first = base - this.halfWidth + 1;
      let acc = 0;
      for (let t = 0; t < taps; t++) {
        const weight = this.table[row0 + t] + mix * (this.table[row1 + t] - this.table[row0 + t]);
        acc += buffer[first + t] * weight;
      }
      out.push(acc);
      pos += this.step;
    }
    // Keep only what the next output samples still need.
    const keepFrom = Math.max(0, Math.floor(pos) - this.halfWidth + 1);
    this.history = buffer.slice(keepFrom);
    this.position = pos - keepFrom;
    return Float32Array.from(out);
  }
}

/** Converts float samples in [-1, 1] to signed 16-bit PCM, clipping rather than wrapping. */
export function toPcm16(samples, target = new Int16Array(samples.length), offset = 0) {
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    target[offset + i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
  }
  return target;
}
