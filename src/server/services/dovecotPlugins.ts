// The mail plugins of the IMAP instance's dovecot.conf: full-text search (dovecotFts.ts),
// quotas (dovecotQuota.ts) and Sieve (dovecotSieve.ts), each a pure function of the
// paths and settings that returns its part; this file only puts the parts together.

import path from 'node:path';
import type { ServicePaths } from './driver';
import type { RenderContext } from './dovecotConfig';
import { ftsConfig } from './dovecotFts';
import { quotaConfig } from './dovecotQuota';
import { sieveConfig } from './dovecotSieve';

export interface PluginContext {
  protocol: 'imap' | 'pop3';
  paths: ServicePaths;
  render: RenderContext;
  /** DATA_DIR: the services directory's grandparent. */
  dataDir: string;
}

export interface PluginSection {
  /** Added to `mail_plugins` for every protocol. */
  mailPlugins: string[];
  /** Added to the imap protocol's `mail_plugins`. */
  imapPlugins?: string[];
  /** Added to the lmtp protocol's `mail_plugins`. */
  lmtpPlugins?: string[];
  /** Added to `protocols` (e.g. sieve). */
  protocols?: string[];
  /** Top-level lines (plugin { … } settings, service sections). */
  lines: string[];
}

type Part = (ctx: PluginContext) => PluginSection;

/** The parts, in the order they are written. */
const PARTS: Part[] = [ftsConfig, quotaConfig, sieveConfig];

export function pluginContext(protocol: 'imap' | 'pop3', paths: ServicePaths, render: RenderContext): PluginContext {
  return { protocol, paths, render, dataDir: path.dirname(path.dirname(paths.dir)) };
}

/** The composed plugin configuration; empty for an instance that does not serve mail (pop3 has its own). */
export function dovecotPluginConfig(ctx: PluginContext, parts: Part[] = PARTS): { protocols: string[]; lines: string[] } {
  if (ctx.protocol !== 'imap') return { protocols: [], lines: [] };
  const sections = parts.map((p) => p(ctx));
  const all = (pick: (s: PluginSection) => string[] | undefined) => [...new Set(sections.flatMap((s) => pick(s) ?? []))];
  const mail = all((s) => s.mailPlugins);
  const imap = all((s) => s.imapPlugins);
  const lmtp = all((s) => s.lmtpPlugins);
  const lines: string[] = [];
  if (mail.length) lines.push(`mail_plugins = $mail_plugins ${mail.join(' ')}`);
  if (imap.length) lines.push(`protocol imap {`, `  mail_plugins = $mail_plugins ${imap.join(' ')}`, `}`);
  if (lmtp.length && ctx.render.lmtp !== false) lines.push(`protocol lmtp {`, `  mail_plugins = $mail_plugins ${lmtp.join(' ')}`, `}`);
  for (const s of sections) if (s.lines.length) lines.push('', ...s.lines);
  return { protocols: all((s) => s.protocols), lines };
}
