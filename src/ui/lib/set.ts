/** Members of a JMAP set value: `{member: true}` on the wire, though some servers send arrays. */
export function setMembers(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (value && typeof value === 'object') return Object.entries(value).filter(([, v]) => v).map(([k]) => k);
  return [];
}

export function toSet(members: Iterable<string>): Record<string, true> {
  const out: Record<string, true> = {};
  for (const m of members) out[m] = true;
  return out;
}
