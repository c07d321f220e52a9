// A real OpenID provider (panva's oidc-provider) for the sign-in tests: tests/support/oidc.py
// starts it as `node oidc_provider.mjs <port>` and reads "ready" from its output.
//
// Clients register themselves (dynamic client registration, open here) so each test server can
// name its own redirect URI. The login page is oidc-provider's development interaction: any
// login name signs in as the account of that name; its claims come from ACCOUNTS below, so a
// test picks who signs in by the name it types. Consent is granted without asking.
import Provider from "oidc-provider";

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;

function claimsFor(accountId) {
  const [name, domain = "example.org", verified = "verified"] = accountId.split("~");
  return {
    sub: accountId,
    preferred_username: name,
    email: `${name}@${domain}`,
    email_verified: verified === "verified",
    given_name: name,
    family_name: "Tester",
  };
}

const provider = new Provider(issuer, {
  clients: [],
  features: {
    devInteractions: { enabled: true },
    registration: { enabled: true },
  },
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["preferred_username", "given_name", "family_name"],
  },
  cookies: { keys: ["villagepump-test-only"] },
  pkce: { required: () => true },
  async findAccount(ctx, accountId) {
    return { accountId, claims: async () => claimsFor(accountId) };
  },
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

provider.listen(port, "127.0.0.1", () => {
  console.log("ready");
});
