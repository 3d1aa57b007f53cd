// oidc-provider ships no type declarations: these are the parts of it we use, typed as we use them.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Client {
    clientId: string;
    redirectUris: string[];
    grantTypeAllowed(type: string): boolean;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  /** The request context oidc-provider hands to configuration callbacks (a Koa context). */
  export interface KoaContextWithOIDC {
    ip: string;
    type: string;
    body: unknown;
    /** A request header ('' when absent). */
    get(field: string): string;
    oidc: {
      /** The authorization request's parameters, once read. */
      params?: Record<string, unknown>;
      client: Client;
      provider: Provider;
      session: { accountId: string; grantIdFor(clientId: string): string | undefined };
      result?: { consent?: { grantId?: string } };
      entities: { RotatedRefreshToken?: { remainingTTL: number } };
    };
  }

  export interface InteractionDetails {
    uid: string;
    params: Record<string, unknown>;
  }

  export interface AccessToken {
    clientId?: string;
    accountId?: string;
    isExpired: boolean;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: 'grant.error', listener: (ctx: KoaContextWithOIDC) => void): this;
    on(event: 'server_error', listener: (ctx: unknown, err: Error) => void): this;
    interactionDetails(req: unknown, res: unknown): Promise<InteractionDetails>;
    interactionFinished(req: unknown, res: unknown, result: unknown, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    AccessToken: { find(token: string, options?: { ignoreExpiration?: boolean }): Promise<AccessToken | undefined> };
    Grant: { new (init: { clientId: string; accountId: string }): Grant; find(id: string): Promise<Grant | undefined> };
  }
}
