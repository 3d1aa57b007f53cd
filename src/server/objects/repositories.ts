// Management › Mail › Repositories: x:MailRepository and x:RepositoryMail, Postern extensions
// for James's mail repositories (seed 002; Stalwart 0.16 has none). Postern's after-queue
// content filter (src/server/mail/filter/) parks mails here: a processing error in `error`,
// a local recipient without a mailbox in `address-error`, a DLP match in `quarantine`.
// Administrators may add their own repositories (WebAdmin PUT /mailRepositories/…) and
// send their mails back into Postfix through the x:Task kinds of tasks/repositories.ts.
//
// Mails are written only by the server (the filter, tasks); clients read and delete them.
// Deleting a mail also deletes its message (the blob) and lowers its repository's size,
// in the same transaction.

import type { SetError } from '../../shared/jmap/errors';
import { utcDateTime } from '../../shared/schema/validate';
import { ascending, descriptionProperty, labelled, listPage, textProperty } from './builders';
import type { ObjectDef } from './define';
import { BUILT_IN_REPOSITORIES, forgetRepositoryMail, MAIL, REPOSITORY } from '../mail/filter/repositoryStore';

type Obj = Record<string, unknown>;

/** A repository path as James writes it: relative segments of letters, digits, `.`, `_`, `-`, ending in `/`. */
export function repositoryPathProblem(path: string): string | null {
  if (path.length === 0 || path.length > 255) return 'must be 1 to 255 characters long';
  if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?$/.test(path)) return 'must be segments of letters, digits, ".", "_" or "-" separated by "/", such as var/mail/error/';
  if (path.split('/').some((s) => s === '.' || s === '..')) return 'may not contain "." or ".." segments';
  return null;
}

const builtInRefusal = (prev: Obj): SetError => ({
  type: 'forbidden',
  description: `The "${String(prev.path)}" repository is built in: Postern's content filter puts mails there, so it cannot be changed or deleted (its mails can)`,
});

export const mailRepository: ObjectDef = {
  name: REPOSITORY,
  description:
    'Postern extension (Stalwart 0.16 has no such object; from James\u2019s mail repositories): a place where mail processing sets mails aside for an administrator to read, delete or send on again.',
  permissionPrefix: 'sysMailRepository',
  fields: {
    properties: {
      path: textProperty('Where the repository is, as James names it: such as var/mail/error/. Fixed once created', 'immutable', { maxLength: 255 }),
      protocol: textProperty('How James would store it (file, db, cassandra…). Postern keeps every repository in its own database and records this only as a name', 'immutable', { maxLength: 32 }),
      purpose: {
        description: 'What lands here: the three built-in repositories receive the content filter\u2019s mails; repositories an administrator creates are custom',
        type: { type: 'enum', enumName: 'MailRepositoryPurpose' },
        update: 'serverSet',
      },
      description: descriptionProperty('Description of the repository'),
      builtIn: { description: 'Made by the server; cannot be changed or deleted', type: { type: 'boolean' }, update: 'serverSet' },
      size: { description: 'How many mails it holds', type: { type: 'number', format: 'unsignedInteger' }, update: 'serverSet' },
      createdAt: { description: 'When the repository was created', type: { type: 'utcDateTime' }, update: 'serverSet' },
    },
    defaults: { protocol: 'file' },
  },
  enums: {
    MailRepositoryPurpose: [
      { name: 'error', label: 'Processing errors', explanation: 'Mails the content filter could not process' },
      { name: 'addressError', label: 'Address errors', explanation: 'Mails for a local address that has no mailbox' },
      { name: 'quarantine', label: 'Quarantine', explanation: 'Mails that matched a DLP rule of their sender\u2019s domain' },
      { name: 'custom', label: 'Custom', explanation: 'Made by an administrator' },
    ],
  },
  builtInProperty: 'builtIn',
  unique: ['path'],
  indexed: ['path'],
  onCreate(value) {
    value.createdAt = utcDateTime();
    value.purpose = 'custom';
    value.builtIn = false;
    value.size = 0;
  },
  check(_ctx, _id, next, prev) {
    if (prev?.builtIn === true && prev.description !== next.description) return builtInRefusal(prev);
    if (prev) return null;
    const path = String(next.path);
    const problem = repositoryPathProblem(path);
    if (problem) return { type: 'validationFailed', description: `path: ${problem}`, properties: ['path'], validationErrors: [{ type: 'Invalid', property: 'path', description: problem, value: path }] };
    if (!/^[A-Za-z][A-Za-z0-9+.-]{0,31}$/.test(String(next.protocol))) {
      const description = 'must be a URL scheme such as file';
      return { type: 'validationFailed', description: `protocol: ${description}`, properties: ['protocol'], validationErrors: [{ type: 'Invalid', property: 'protocol', description, value: next.protocol }] };
    }
    return null;
  },
  checkDestroy: (_ctx, _id, prev) => (prev.builtIn === true ? builtInRefusal(prev) : null),
  form: {
    title: 'Mail repository',
    subtitle: 'Mails set aside by mail processing',
    sections: [
      { title: 'Repository', fields: labelled({ path: 'Path', protocol: 'Protocol', description: 'Description' }) },
      { title: 'Details', fields: labelled({ purpose: 'Purpose', size: 'Mails', builtIn: 'Built in', createdAt: 'Created' }) },
    ],
  },
  list: listPage({
    title: 'Mail repositories',
    subtitle: 'Mails that processing set aside: errors, unknown addresses, quarantine',
    singularName: 'mail repository', pluralName: 'mail repositories',
    labelProperty: 'path',
    columns: labelled({ path: 'Path', purpose: 'Purpose', size: 'Mails', description: 'Description' }),
    filters: [{ type: 'text', field: 'path', label: 'Path' }],
    sort: ascending('path'),
    related: [{ type: 'query', label: 'Show mails', objectName: MAIL, fieldName: 'repositoryId' }],
  }),
};

const serverSetText = (description: string, nullable = true, format: 'string' | 'text' = 'string') => textProperty(description, 'serverSet', { nullable, format });

export const repositoryMail: ObjectDef = {
  name: MAIL,
  description:
    'Postern extension (Stalwart 0.16 has no such object): one mail held in a mail repository, with its envelope, why it is there, its headers and text. The message itself downloads as .eml through blobId.',
  permissionPrefix: 'sysRepositoryMail',
  fields: {
    properties: {
      repositoryId: { description: 'The repository holding the mail', type: { type: 'objectId', objectName: REPOSITORY }, update: 'serverSet' },
      sender: { description: 'Envelope sender (MAIL FROM); none for a bounce', type: { type: 'string', format: 'emailAddress', nullable: true }, update: 'serverSet' },
      recipients: { description: 'Envelope recipients this mail was set aside for', type: { type: 'set', class: { type: 'string', format: 'emailAddress' } }, update: 'serverSet' },
      state: serverSetText('The processing step the mail was in when it was set aside: error, address-error or dlp', false),
      error: serverSetText('Why it was set aside', true, 'text'),
      remoteHost: serverSetText('Name of the client that sent the mail to this server, as it said in HELO/EHLO'),
      remoteAddr: { description: 'Address of the client that sent the mail to this server', type: { type: 'string', format: 'ipAddress', nullable: true }, update: 'serverSet' },
      lastUpdated: { description: 'When the mail was set aside', type: { type: 'utcDateTime', nullable: true }, update: 'serverSet' },
      subject: serverSetText('The Subject header'),
      size: { description: 'Size of the message', type: { type: 'number', format: 'size' }, update: 'serverSet' },
      headers: serverSetText('The message\u2019s header section as received', false, 'text'),
      textBody: serverSetText('The message\u2019s text (text/plain parts, or the HTML parts turned into text): never shown as HTML', false, 'text'),
      blobId: { description: 'The message as received (RFC 5322): download it as an .eml file', type: { type: 'blobId' }, update: 'serverSet' },
    },
  },
  clientVerbs: ['Get', 'Query', 'Destroy'],
  indexed: ['repositoryId', 'sender', 'lastUpdated', 'remoteAddr'],
  checkDestroy(ctx, id, prev) {
    forgetRepositoryMail(ctx.store, id, prev);
    return null;
  },
  form: {
    title: 'Repository mail',
    subtitle: 'A mail set aside by mail processing',
    sections: [
      { title: 'Envelope', fields: labelled({ repositoryId: 'Repository', sender: 'Sender', recipients: 'Recipients', remoteHost: 'Remote host', remoteAddr: 'Remote address' }) },
      { title: 'Processing', fields: labelled({ state: 'State', error: 'Error', lastUpdated: 'Last updated', size: 'Size' }) },
      { title: 'Message', fields: labelled({ subject: 'Subject', headers: 'Headers', textBody: 'Text', blobId: 'Message (.eml)' }) },
    ],
  },
  list: listPage({
    title: 'Repository mails',
    subtitle: 'Mails set aside in mail repositories',
    singularName: 'mail', pluralName: 'mails',
    labelProperty: 'subject',
    columns: labelled({ sender: 'Sender', recipients: 'Recipients', subject: 'Subject', error: 'Error', lastUpdated: 'Last updated', size: 'Size' }),
    filters: [
      { type: 'objectId', field: 'repositoryId', label: 'Repository', objectName: REPOSITORY },
      { type: 'text', field: 'sender', label: 'Sender' },
      { type: 'text', field: 'recipients', label: 'Recipient' },
      { type: 'date', field: 'lastUpdated', label: 'Last updated' },
      { type: 'text', field: 'remoteAddr', label: 'Remote address' },
    ],
    sort: [{ property: 'lastUpdated', isAscending: false }],
  }),
};

export { BUILT_IN_REPOSITORIES };
