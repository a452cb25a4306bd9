// Frames that run in a task of their own right after the browser's animation
// frame, not inside it. All of a frame's requestAnimationFrame callbacks run in
// one task, so the map's frames (deck.gl's, MapLibre's) and React's render of a
// batch of live events made one long task whenever they fell in the same frame
// (docs/BENCHMARKS.md, wall load, 2026-12-03). The browser still paces these
// (none while the tab is hidden); the timer is started from inside the frame,
// so it is one more task, not a wait. Used by the live store
// (lib/hooks/use-live.ts) and deck.gl's loop on the wall
// (components/map/deck-idle.ts, as luma.gl's `animationFrameProvider`).

/** The shape of requestAnimationFrame and its cancel; luma.gl's AnimationLoop takes one as `animationFrameProvider`. */
export interface AnimationFrameProvider {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
}

interface Pending {
  frame: number;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * A provider whose callbacks run in a timer task started from the frame, with the frame's time. `prepare`,
 * when given, runs first in that task; when it did some work (it says so by returning true) it runs again in
 * the next task, and the callback runs in the first task where it did none, so the two never add up to one
 * long task (prepare must run out of work: deck.gl's waiting layers, handed in at most once a batch).
 */
export function frameThenTask(prepare?: () => boolean): AnimationFrameProvider {
  const pending = new Map<number, Pending>();
  let next = 0;
  return {
    requestAnimationFrame(callback) {
      const id = ++next;
      const entry: Pending = { frame: 0, timer: null };
      entry.frame = requestAnimationFrame((time) => {
        // The callback runs in a task where prepare found nothing left to do: work handed in after a task that
        // prepared some (the page's next batch of layers) is prepared in a task of its own again first.
        const step = () => {
          if (prepare?.()) {
            entry.timer = setTimeout(step, 0);
            return;
          }
          pending.delete(id);
          callback(time);
        };
        entry.timer = setTimeout(step, 0);
      });
      pending.set(id, entry);
      return id;
    },
    cancelAnimationFrame(id) {
      const entry = pending.get(id);
      if (!entry) return;
      pending.delete(id);
      cancelAnimationFrame(entry.frame);
      if (entry.timer !== null) clearTimeout(entry.timer);
    },
  };
}
