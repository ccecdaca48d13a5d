// A real OpenID Connect provider for tests (the `oidc-provider` package, certified by the OpenID
// Foundation), on 127.0.0.1: one confidential client, a few people with groups, and the login and
// consent steps completed at once for whoever the test says signs in next. Discovery, PKCE, state,
// nonce, signed ID tokens: all real; only the person at the keyboard is scripted.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestPerson {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdentityProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who completes the next login at the provider. */
  signInNext(sub: string): void;
  /** Adds or replaces a person. */
  put(person: TestPerson): void;
  close(): Promise<void>;
}

export async function startTestIdentityProvider(opts: { redirectUris: string[]; people: TestPerson[]; clientId?: string; clientSecret?: string }): Promise<TestIdentityProvider> {
  // ESM only, and a test dependency: loaded when a test starts a provider.
  const { default: Provider } = await import("oidc-provider");
  const people = new Map(opts.people.map((p) => [p.sub, p]));
  const clientId = opts.clientId ?? "war-room";
  const clientSecret = opts.clientSecret ?? "test-client-secret-0123456789abcdef";
  let next: string | null = null;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: opts.redirectUris, grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic" }],
    findAccount: (_ctx: unknown, sub: string) => {
      const person = people.get(sub);
      return person ? { accountId: sub, claims: () => ({ ...person }) } : undefined;
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    // The claims go into the ID token, where next-auth reads them (idToken: true).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ["test-cookie-key-0123456789abcdef"] },
    // oidc-provider's own interaction pages are replaced by the scripted person below.
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  });
  const handle = provider.callback();

  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!req.url?.startsWith("/interaction/")) return void handle(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (!next || !people.has(next)) {
          res.statusCode = 400;
          return res.end("nobody is scripted to sign in");
        }
        return provider.interactionFinished(req, res, { login: { accountId: next } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signInNext: (sub) => void (next = sub),
    put: (person) => void people.set(person.sub, person),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
