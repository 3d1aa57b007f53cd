// An enum value with the colour the schema gives it. The colour is a marker beside the
// label, never the only carrier of meaning, and the text keeps its contrast.

export function Badge({ label, color, title }: { label: string; color: string; title?: string }) {
  return (
    <span className="badge" data-color={color} title={title}>
      <span className="badge-dot" style={{ backgroundColor: color }} aria-hidden="true" />
      {label}
    </span>
  );
}
