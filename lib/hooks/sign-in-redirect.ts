/**
 * Leaves for the sign-in page with a full page load, on purpose: when a
 * session ends, every live connection and cached snapshot of the old session
 * must go too, which a client-side route change would keep.
 */
export function goToSignIn(): void {
  // replace(): the page of the ended session should not stay in the history.
  const target = new URL(`/login?next=${encodeURIComponent(window.location.pathname)}`, window.location.origin);
  window.location.replace(target);
}
