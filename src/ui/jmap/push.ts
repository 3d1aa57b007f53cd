// Reading the server's push stream (RFC 8620 §7.3): what one `state` event says changed.

/** The new state of each data type named by one server-sent `state` event; empty for other events. */
export function stateChanges(event: string): Record<string, string> {
  const lines = event.split('\n');
  if (!lines.some((l) => l === 'event: state')) return {};
  const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('');
  try {
    const change = JSON.parse(data) as { '@type'?: string; changed?: Record<string, Record<string, unknown>> };
    if (change['@type'] !== 'StateChange' || !change.changed) return {};
    const out: Record<string, string> = {};
    for (const types of Object.values(change.changed)) {
      for (const [type, state] of Object.entries(types)) out[type] = String(state);
    }
    return out;
  } catch {
    return {};
  }
}
