// The optional interrupt sound (/wall?sound=on): tones generated with WebAudio
// oscillators, so there is no file to ship or fetch. Browsers start audio only
// after a user gesture unless the kiosk allows it (Chromium:
// --autoplay-policy=no-user-gesture-required); without that the wall stays silent
// and says so in the console once.

/** Frequency (Hz) and length (s) of each beep: an SOS is three high beeps, a new incident two rising ones. */
const TONES: Record<'incident' | 'sos', readonly (readonly [hz: number, seconds: number])[]> = {
  incident: [
    [660, 0.18],
    [880, 0.24],
  ],
  sos: [
    [988, 0.16],
    [988, 0.16],
    [988, 0.3],
  ],
};
const GAP_S = 0.08;
const VOLUME = 0.25;
/** A tone that could not start within this long is dropped. */
const STALE_AFTER_MS = 1_000;

let context: AudioContext | null = null;
let warned = false;

export function playInterruptSound(kind: 'incident' | 'sos'): void {
  context ??= new AudioContext();
  const ctx = context;
  const play = () => {
    let t = ctx.currentTime + 0.02;
    for (const [hz, seconds] of TONES[kind]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = hz;
      // Short ramps at both ends: a hard start or stop clicks.
      gain.gain.setValueAtTime(0, t);
      gain.gain.linearRampToValueAtTime(VOLUME, t + 0.015);
      gain.gain.setValueAtTime(VOLUME, t + seconds - 0.03);
      gain.gain.linearRampToValueAtTime(0, t + seconds);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t);
      osc.stop(t + seconds);
      t += seconds + GAP_S;
    }
  };
  if (ctx.state === 'running') return play();
  // Suspended (no gesture yet): resume() settles only once audio is allowed, which may be
  // much later; a tone for an old interruption then would only confuse.
  const askedAt = performance.now();
  ctx.resume().then(
    () => {
      if (performance.now() - askedAt < STALE_AFTER_MS) play();
    },
    (err: unknown) => warnOnce(err),
  );
  if (!warned) setTimeout(() => ctx.state !== 'running' && warnOnce('autoplay not allowed'), STALE_AFTER_MS);
}

function warnOnce(reason: unknown): void {
  if (warned) return;
  warned = true;
  console.warn('[wall] sound=on, but the browser does not allow audio without a gesture:', reason);
}
