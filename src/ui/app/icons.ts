// The schema's `icon` names (lucide's kebab-case names, as Stalwart's layouts use them) to
// lucide components, imported one by one so only these reach the bundle. Icons are
// decorative: they always stand beside a text label (aria-hidden).

import {
  Activity, Archive, AtSign, Bell, Bug, Calendar, ChartBar, Clock, Cloud, Cpu, Database, Dot, FileText, Filter,
  BookOpen, CircleQuestionMark, Fingerprint, Folder, Gauge, Globe, HardDrive, HeartPulse, History, Inbox, Info, Key, LayoutDashboard, ListChecks, Lock, Mail,
  MailCheck, Monitor, Network, Route, ScrollText, Send, Server, Settings, Shield, ShieldCheck, SlidersHorizontal, Tag,
  User, UserCog, Users, Webhook, Zap, type LucideIcon,
} from 'lucide-react';

const ICONS: Record<string, LucideIcon> = {
  activity: Activity,
  archive: Archive,
  'at-sign': AtSign,
  bell: Bell,
  'book-open': BookOpen,
  bug: Bug,
  calendar: Calendar,
  'chart-bar': ChartBar,
  'circle-help': CircleQuestionMark,
  clock: Clock,
  cloud: Cloud,
  cpu: Cpu,
  database: Database,
  db: Database,
  'file-text': FileText,
  filter: Filter,
  fingerprint: Fingerprint,
  folder: Folder,
  gauge: Gauge,
  globe: Globe,
  'hard-drive': HardDrive,
  'heart-pulse': HeartPulse,
  history: History,
  inbox: Inbox,
  info: Info,
  key: Key,
  'layout-dashboard': LayoutDashboard,
  'list-checks': ListChecks,
  lock: Lock,
  mail: Mail,
  'mail-check': MailCheck,
  monitor: Monitor,
  network: Network,
  route: Route,
  'scroll-text': ScrollText,
  send: Send,
  server: Server,
  settings: Settings,
  shield: Shield,
  'shield-check': ShieldCheck,
  'sliders-horizontal': SlidersHorizontal,
  tag: Tag,
  user: User,
  'user-cog': UserCog,
  users: Users,
  webhook: Webhook,
  zap: Zap,
};

/** The component for a schema icon name; a plain dot for a name this console does not know. */
export function iconFor(name: string | undefined): LucideIcon {
  return (name && ICONS[name]) || Dot;
}

/** Whether the console draws this name as itself rather than the fallback. */
export function knowsIcon(name: string): boolean {
  return name in ICONS;
}
