'use client';
// A single-key shortcut for the desk (e.g. `N` starts a report). Ignored
// while the user types in a field, with a modifier held, or on a repeat, so
// it never eats a letter meant for an input.
import { useEffect, useRef } from 'react';

/** True when the key went to something that takes text (or a select), where a letter is not a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  return el.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** Calls `onKey` when `key` (compared case-insensitively) is pressed outside any field; `enabled: false` turns it off. */
export function useHotkey(key: string, onKey: () => void, enabled = true): void {
  const handler = useRef(onKey);
  useEffect(() => {
    handler.current = onKey;
  });
  useEffect(() => {
    if (!enabled) return;
    const want = key.toLowerCase();
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (e.key.toLowerCase() !== want || isTypingTarget(e.target)) return;
      e.preventDefault();
      handler.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, enabled]);
}
