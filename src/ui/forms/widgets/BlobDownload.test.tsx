// @vitest-environment jsdom
// A blob downloads through the session's downloadUrl with the caller's credentials, saved
// with the extension of the type the server keeps (a message: .eml).

import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JmapClient } from '../../jmap/client';
import { ClientContext } from '../../jmap/context';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole } from '../../test/render';
import { BlobDownload, extensionOf } from './BlobDownload';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const SESSION = {
  apiUrl: '/jmap/', accounts: { a1: {} }, primaryAccounts: { 'urn:stalwart:jmap': 'a1' }, capabilities: {},
  downloadUrl: 'http://localhost/jmap/download/{accountId}/{blobId}/{name}?accept={type}',
};

describe('BlobDownload', () => {
  it('fetches the blob with credentials and saves it as .eml', async () => {
    const asked: { url: string; auth: string | null }[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url.endsWith('/.well-known/jmap') || url.endsWith('/jmap/session')) return Response.json(SESSION);
      asked.push({ url, auth: new Headers(init?.headers).get('Authorization') });
      return new Response('Subject: hi\r\n\r\nbody', { headers: { 'Content-Type': 'message/rfc822' } });
    }) as typeof globalThis.fetch;
    const client = new JmapClient({ authorization: () => 'Bearer t', fetch, origin: 'http://localhost' });
    const saved: string[] = [];
    URL.createObjectURL = () => 'blob:x';
    URL.revokeObjectURL = () => undefined;
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    renderWithConsole(<BlobDownload blobId="B1" />, { doc: testSchema, wrap: (p) => <ClientContext.Provider value={client}>{p}</ClientContext.Provider> });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download' }));
    await vi.waitFor(() => expect(saved).toEqual(['B1.eml']));
    expect(asked).toEqual([{ url: 'http://localhost/jmap/download/a1/B1/B1', auth: 'Bearer t' }]);
    expect([extensionOf('text/plain; charset=utf-8'), extensionOf('application/x-unknown')]).toEqual(['.txt', '']);
  });

  it('says so when the server offers no downloads', async () => {
    renderWithConsole(<BlobDownload blobId="B1" />, { doc: testSchema });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Download' }));
    expect((await screen.findByRole('alert')).textContent).toContain('This server offers no downloads.');
  });
});
