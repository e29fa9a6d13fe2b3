/**
 * Token administration: `npm run token -- create --role planner --name alice [--team "EU planning"]`, `list`,
 * `revoke --id <id>` or `revoke --name <name>`. Uses the same storage as the server
 * (DATABASE_URL, else SEG_DATA_DIR/seg.sqlite) and runs its migrations first.
 * `create` writes the token alone on stdout (shown once, never stored) and the rest on stderr,
 * so `TOKEN=$(npm run -s token -- create ...)` works.
 */
import { parseArgs } from "node:util";
import { TOKEN_NAME_PATTERN } from "../../api";
import { issueToken } from "../auth";
import { loadServerKey } from "../keys";
import { openStorage } from "../storage";
import { ROLES, type Role, type TokenRecord } from "../storage/types";

const USAGE = `usage:
  token create --role <${ROLES.join("|")}> --name <name> [--team <team>]
                                    (--team: the token reads and saves that team's mapping profiles)
  token list
  token revoke --id <token id>
  token revoke --name <name>        (every active token of that name)
  token server-key                  (the public key that signs tree heads and receipts, with its key id;
                                     SEG_SIGNING_KEY_FILE, default SEG_DATA_DIR/server-signing-key.pem)
storage: DATABASE_URL (PostgreSQL) or SEG_DATA_DIR (SQLite, default ./data)`;

class UsageError extends Error {}

function table(tokens: TokenRecord[]): string {
  const rows = tokens.map((t) => [t.id, t.role, t.revokedAt ? `revoked ${t.revokedAt}` : "active", t.createdAt, t.team ?? "-", t.name]);
  const head = ["id", "role", "state", "created", "team", "name"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ")).join("\n");
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "help" || command === "--help") {
    console.log(USAGE);
    return 0;
  }
  if (command === "server-key") {
    if (rest.length > 0) throw new UsageError("server-key takes no options");
    const { key, created } = loadServerKey(process.env, process.env.SEG_DATA_DIR?.trim() || "data");
    if (created) console.error(`Created a new signing key in ${key.source} (mode 0600).`);
    console.error(`Key id ${key.current.keyId} (Ed25519, ${key.source}); the public key as JSON on stdout:`);
    console.log(JSON.stringify({ current: key.current, retired: key.retired }, null, 2));
    return 0;
  }
  if (!["create", "list", "revoke"].includes(command)) throw new UsageError(`unknown command "${command}"`);
  const { values } = parseArgs({
    args: rest,
    options: { role: { type: "string" }, name: { type: "string" }, id: { type: "string" }, team: { type: "string" } },
    strict: true,
  });
  const storage = openStorage({ databaseUrl: process.env.DATABASE_URL?.trim() || undefined, dataDir: process.env.SEG_DATA_DIR?.trim() || undefined });
  try {
    await storage.migrate();
    switch (command) {
      case "create": {
        const role = values.role as Role | undefined;
        const name = values.name?.trim();
        if (!role || !(ROLES as readonly string[]).includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
        if (!name) throw new UsageError("--name is required (the person or system using the token)");
        if (!new RegExp(TOKEN_NAME_PATTERN, "u").test(name)) throw new UsageError("--name: at most 100 printable characters");
        const team = values.team?.trim();
        if (values.team !== undefined && !team) throw new UsageError("--team: give the team's name");
        if (team !== undefined && !new RegExp(TOKEN_NAME_PATTERN, "u").test(team)) throw new UsageError("--team: at most 100 printable characters");
        const { token, record } = await issueToken(storage, name, role, new Date(), team ?? null);
        console.error(`Created ${role} token for "${name}"${team ? ` in team "${team}"` : ""} (id ${record.id}) in ${storage.kind} ${storage.location}.`);
        console.error("It is shown only now; the server keeps only its hash:");
        console.log(token);
        return 0;
      }
      case "list": {
        const tokens = await storage.listTokens();
        console.log(tokens.length ? table(tokens) : "no tokens");
        return 0;
      }
      case "revoke": {
        const at = new Date().toISOString();
        if (values.id && values.name) throw new UsageError("give --id or --name, not both");
        const revoked = values.id
          ? await storage.revokeToken(values.id, at)
          : values.name
            ? await storage.revokeTokensByName(values.name, at)
            : (() => {
                throw new UsageError("revoke needs --id or --name");
              })();
        if (revoked.length === 0) {
          console.error(`no active token matches ${values.id ? `id ${values.id}` : `name "${values.name}"`}`);
          return 1;
        }
        for (const t of revoked) console.log(`revoked ${t.id} (${t.role}, "${t.name}")`);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await storage.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e instanceof UsageError || e.name === "TypeError" ? `${e.message}\n${USAGE}` : `token: ${e.message}`);
    process.exit(2);
  },
);
