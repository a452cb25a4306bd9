// The GridSight mark: a grid with one lit cell.
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1.5" y="1.5" width="29" height="29" rx="7" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M1.5 12 H30.5 M1.5 21 H30.5 M12 1.5 V30.5 M21 1.5 V30.5" stroke="currentColor" strokeOpacity="0.45" strokeWidth="1.4" />
      <circle cx="21" cy="12" r="4.2" fill="#f97316" />
      <circle cx="21" cy="12" r="7" fill="none" stroke="#f97316" strokeOpacity="0.5" strokeWidth="1.3" />
    </svg>
  );
}
