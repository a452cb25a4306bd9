'use client';
// Keeps the first object seen for each `key`: a value rebuilt on every render
// (a camera target derived from the live incidents) stays the same object
// until its key changes, so a memoised child is not rendered for nothing.
import { useState } from 'react';

export function useSameKey<T extends { key: string }>(value: T | null): T | null {
  const [kept, setKept] = useState(value);
  // Adjusting state while rendering (React's documented pattern for derived state): no extra commit.
  if (kept?.key !== value?.key) setKept(value);
  return kept?.key === value?.key ? kept : value;
}
