// Makes the signed-in JMAP client available to hooks below the app shell.

import { createContext, useContext } from 'react';
import type { JmapClient } from './client';

export const ClientContext = createContext<JmapClient | null>(null);

export function useClient(): JmapClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient outside of a signed-in session');
  return client;
}
