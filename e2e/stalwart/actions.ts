// x:Action: commands that run during the /set that creates them and answer inside
// `created`. Nothing is kept: a Stalwart server answers notFound to every x:Action/get.

import type { Store } from './store';

type Obj = Record<string, unknown>;

/** Runs one action on the stand-in's state; the returned values go into `created`. */
export function runAction(store: Store, action: Obj): Obj {
  switch (action['@type']) {
    case 'ReloadSettings':
      store.reloads += 1;
      return {};
    case 'InvalidateCaches':
      return {};
    case 'PauseMtaQueue':
      store.queuePaused = true;
      return {};
    case 'ResumeMtaQueue':
      store.queuePaused = false;
      return {};
    case 'ClassifySpam':
      return classify(action);
    default:
      throw new Error(`no runner for ${String(action['@type'])}`);
  }
}

interface Rule {
  name: string;
  score: number;
  test: (m: { headers: Map<string, string>; body: string; action: Obj }) => boolean;
}

/**
 * A toy spam filter with a handful of rules, enough for the console to show a real
 * verdict that depends on what was typed: each matching rule adds its score.
 */
const RULES: Rule[] = [
  { name: 'MISSING_MESSAGE_ID', score: 1.5, test: ({ headers }) => !headers.has('message-id') },
  { name: 'MISSING_DATE', score: 1, test: ({ headers }) => !headers.has('date') },
  { name: 'SUBJECT_ALL_CAPS', score: 2.5, test: ({ headers }) => /^[^a-z]*[A-Z]{4}[^a-z]*$/.test(headers.get('subject') ?? '') },
  { name: 'FREE_MONEY', score: 4, test: ({ body, headers }) => /\b(free money|you have won|lottery)\b/i.test(`${headers.get('subject') ?? ''} ${body}`) },
  { name: 'NO_TLS', score: 0.5, test: ({ action }) => action.isTls === false },
  { name: 'FROM_ENVELOPE_MISMATCH', score: 1, test: ({ headers, action }) => !!headers.get('from') && !headers.get('from')!.includes(String(action.envFrom)) },
];

function classify(action: Obj): Obj {
  const source = String(action.message ?? '').replace(/\r\n/g, '\n');
  const split = source.indexOf('\n\n');
  const head = split === -1 ? source : source.slice(0, split);
  const body = split === -1 ? '' : source.slice(split + 2);
  const headers = new Map<string, string>();
  for (const line of head.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const tags: Record<string, { disposition: string; score: number }> = {};
  let score = 0;
  for (const rule of RULES) {
    if (!rule.test({ headers, body, action })) continue;
    tags[rule.name] = { disposition: 'score', score: rule.score };
    score += rule.score;
  }
  score = Math.round(score * 100) / 100;
  return { score, result: score >= 5 ? 'spam' : 'ham', tags };
}
