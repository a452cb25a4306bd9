'use client';
// The window's inner height in CSS pixels, following resizes. The wall sizes
// its type from it (the map's labels scale with innerHeight / 1080, as the
// page's CSS does with 100vh / 1080); null on the server.
import { useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  return () => window.removeEventListener('resize', onChange);
}

const getSnapshot = () => window.innerHeight;
const getServerSnapshot = () => null;

export function useViewportHeight(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
