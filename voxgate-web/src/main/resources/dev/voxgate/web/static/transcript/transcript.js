// The transcript of a page visit: finals with times relative to when the person first pressed
// Start (sessions after a reconnect continue the same timeline), plus the current partial.

export class Transcript {
  segments = [];
  partial = '';

  /** Adds a final; `offset` is the session's start on the page's timeline, in seconds. */
  addFinal(final, offset) {
    const text = (final.text ?? '').trim();
    this.partial = '';
    if (!text) return null;
    const segment = {
      text,
      start: offset + (Number.isFinite(final.start) ? final.start : 0),
      end: offset + (Number.isFinite(final.end) ? final.end : 0),
    };
    this.segments.push(segment);
    return segment;
  }

  clear() {
    this.segments = [];
    this.partial = '';
  }

  get isEmpty() {
    return this.segments.length === 0;
  }

  toText() {
    return this.segments.map((s) => s.text).join('\n') + (this.segments.length ? '\n' : '');
  }

  toSrt() {
    return this.segments
      .map((s, i) => `${i + 1}\n${timestamp(s.start, ',')} --> ${timestamp(Math.max(s.end, s.start), ',')}\n${s.text}\n`)
      .join('\n');
  }
}

/** hh:mm:ss,mmm (SubRip) or hh:mm:ss.mmm. */
export function timestamp(seconds, separator = '.') {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${String(ms % 1000).padStart(3, '0')}`;
}

/** m:ss (or h:mm:ss) for on-screen times. */
export function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}
