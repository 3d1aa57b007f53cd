// A blob, read-only: its id and a button that downloads it (a queued or set-aside message as
// an .eml file), fetched with the caller's credentials, saved under a name with the extension
// of the type the server sends.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../jmap/context';
import { explainError } from '../../lib/errors';

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml', 'text/plain': '.txt', 'text/html': '.html', 'application/json': '.json', 'application/pdf': '.pdf',
};

/** `message/rfc822; charset=…` → `.eml`; nothing for a type without a usual extension. */
export function extensionOf(type: string): string {
  return EXTENSIONS[type.split(';')[0].trim().toLowerCase()] ?? '';
}

/** `label`: what the blob is (the field's label), so the button says what it downloads. */
export function BlobDownload({ blobId, label, id, describedBy }: { blobId: string; label?: string; id?: string; describedBy?: string }) {
  const { t } = useTranslation('forms');
  const client = useClient();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  async function download() {
    setState({ busy: true });
    try {
      const blob = await client.download(blobId, blobId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${blobId}${extensionOf(blob.type)}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState({ busy: false });
    } catch (e) {
      setState({ busy: false, error: explainError(e).message });
    }
  }
  return (
    <span id={id} className="readonly-value blob-download" aria-describedby={describedBy}>
      <code>{blobId}</code>{' '}
      <button type="button" className="btn btn-small" disabled={state.busy} aria-label={label ? t('blob.downloadWhat', { label }) : undefined} onClick={() => void download()}>
        {state.busy ? t('blob.downloading') : t('blob.download')}
      </button>
      {state.error && <span className="field-error" role="alert"> {state.error}</span>}
    </span>
  );
}
