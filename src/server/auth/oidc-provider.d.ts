// oidc-provider ships no type declarations; we use a small, loosely typed surface of it.
declare module 'oidc-provider' {
  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
    on(event: string, listener: (...args: any[]) => void): this;
    interactionDetails(req: unknown, res: unknown): Promise<any>;
    interactionFinished(req: unknown, res: unknown, result: unknown, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    AccessToken: { find(token: string, options?: { ignoreExpiration?: boolean }): Promise<any> };
  }
}
