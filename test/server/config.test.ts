/* Environment settings: defaults, and errors that name the variable. */
import { loadConfig, plainHttpWarning } from "../../src/server/config";

describe("loadConfig", () => {
  const tls = { SEG_TLS_CERT: "/etc/seg/cert.pem", SEG_TLS_KEY: "/etc/seg/key.pem" };
  test("defaults: https on localhost:3001, SQLite in ./data, the add-in origin, 5 MiB, rate limit on", () => {
    expect(loadConfig(tls)).toEqual({
      port: 3001,
      host: "localhost",
      http: false,
      tlsCertFile: "/etc/seg/cert.pem",
      tlsKeyFile: "/etc/seg/key.pem",
      dataDir: "data",
      databaseUrl: undefined,
      dbConnectTimeoutMs: 3000,
      dbStatementTimeoutMs: 30000,
      corsOrigins: ["https://localhost:3000"],
      bodyLimit: 5 * 1024 * 1024,
      snapshotBodyLimit: 64 * 1024 * 1024,
      rateLimit: { max: 1200, timeWindow: 60000 },
      authFailureLimit: { max: 30, timeWindow: 60000 },
      logLevel: "warn",
    });
  });

  test("reads every variable", () => {
    const c = loadConfig({
      SEG_API_PORT: "0",
      SEG_API_HOST: "127.0.0.1",
      SEG_HTTP: "1",
      SEG_DATA_DIR: "/tmp/x",
      DATABASE_URL: "postgres://u@h/db",
      SEG_CORS_ORIGINS: "https://a.example, https://b.example:8443",
      SEG_BODY_LIMIT: "2048",
      SEG_SNAPSHOT_BODY_LIMIT: "4096",
      SEG_RATE_LIMIT_MAX: "0",
      SEG_AUTH_FAILURE_MAX: "0",
      SEG_LOG_LEVEL: "info",
    });
    expect(c).toMatchObject({
      port: 0,
      host: "127.0.0.1",
      http: true,
      dataDir: "/tmp/x",
      databaseUrl: "postgres://u@h/db",
      corsOrigins: ["https://a.example", "https://b.example:8443"],
      bodyLimit: 2048,
      snapshotBodyLimit: 4096,
      rateLimit: false,
      authFailureLimit: false,
      logLevel: "info",
    });
  });

  test.each([
    [{ SEG_API_PORT: "70000" }, /SEG_API_PORT/],
    [{ SEG_API_PORT: "abc" }, /SEG_API_PORT/],
    [{ SEG_BODY_LIMIT: "-1" }, /SEG_BODY_LIMIT/],
    [{ SEG_RATE_LIMIT_MAX: "1.5" }, /SEG_RATE_LIMIT_MAX/],
    [{ SEG_CORS_ORIGINS: "*" }, /SEG_CORS_ORIGINS/],
    [{ SEG_CORS_ORIGINS: "https://a.example/path" }, /SEG_CORS_ORIGINS/],
  ])("refuses %p", (env, message) => {
    expect(() => loadConfig({ ...tls, ...env })).toThrow(message);
  });

  test("https without a configured certificate is refused, naming the variables", () => {
    expect(() => loadConfig({})).toThrow(/SEG_TLS_CERT and SEG_TLS_KEY/);
    expect(() => loadConfig({ SEG_TLS_CERT: "/etc/seg/cert.pem" })).toThrow(/only SEG_TLS_CERT is set/);
    expect(loadConfig({ SEG_HTTP: "1" })).toMatchObject({ http: true, tlsCertFile: undefined, tlsKeyFile: undefined });
  });

  test("plain HTTP on an address other machines can reach is warned about (issue 8, defect 16)", () => {
    expect(plainHttpWarning({ http: true, host: "0.0.0.0" })).toMatch(/plain HTTP on 0\.0\.0\.0.*SEG_TLS_CERT/);
    expect(plainHttpWarning({ http: true, host: "192.168.1.20" })).not.toBeNull();
    for (const host of ["localhost", "127.0.0.1", "::1", "[::1]"]) expect(plainHttpWarning({ http: true, host })).toBeNull();
    expect(plainHttpWarning({ http: false, host: "0.0.0.0" })).toBeNull();
  });
});
