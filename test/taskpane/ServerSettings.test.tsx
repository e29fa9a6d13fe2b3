/**
 * @jest-environment jsdom
 * @jest-environment-options {"url": "https://localhost:3000/taskpane.html"}
 */
import { FluentProvider, webLightTheme } from "@fluentui/react-components";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ApiError, type Me } from "../../src/client";
import { SERVER_SETTINGS_KEYS, ServerSettingsStore, type ServerSettings as Settings } from "../../src/app/serverSettings";
import { ServerSettings } from "../../src/taskpane/components/ServerSettings";

const TOKEN = "seg_dGhpcyBpcyBub3QgYSByZWFsIHRva2VuIGF0IGFsbA";

function show(store: ServerSettingsStore, testConnection?: (s: Settings) => Promise<Me>) {
  render(
    <FluentProvider theme={webLightTheme}>
      <ServerSettings store={store} testConnection={testConnection} />
    </FluentProvider>,
  );
}

const urlField = () => screen.getByLabelText(/Server URL/) as HTMLInputElement;
const tokenField = () => screen.getByLabelText(/^Token/) as HTMLInputElement;

beforeAll(() => {
  // jsdom has no ResizeObserver; Fluent's MessageBar measures itself with one
  if (!("ResizeObserver" in window)) {
    class ResizeObserverStub {
      observe() {}
      unobserve() {}
      disconnect() {}
    }
    Object.defineProperty(window, "ResizeObserver", { value: ResizeObserverStub });
  }
});

beforeEach(() => localStorage.clear());

test("shows what is stored; the token field is masked", async () => {
  localStorage.setItem(SERVER_SETTINGS_KEYS.url, "https://seg.example.com");
  localStorage.setItem(SERVER_SETTINGS_KEYS.token, TOKEN);
  show(new ServerSettingsStore());
  await waitFor(() => expect(urlField().value).toBe("https://seg.example.com"));
  expect(tokenField().value).toBe(TOKEN);
  expect(tokenField().type).toBe("password");
});

const planner = async (): Promise<Me> => ({ name: "alice", role: "planner", tokenId: "t1" });

test("Save tests the connection, then stores the normalised URL and the token in the browser's storage (localStorage here)", async () => {
  const user = userEvent.setup();
  const store = new ServerSettingsStore();
  let changes = 0;
  store.subscribe(() => changes++);
  const asked: Settings[] = [];
  show(store, async (s) => {
    asked.push(s);
    return planner();
  });
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "https://localhost:3001/api/v1/");
  await user.type(tokenField(), TOKEN);
  await user.click(screen.getByRole("button", { name: "Save" }));
  expect((await screen.findByRole("status")).textContent).toBe("Saved. The audit trail syncs to https://localhost:3001.");
  expect(localStorage.getItem(SERVER_SETTINGS_KEYS.url)).toBe("https://localhost:3001");
  expect(localStorage.getItem(SERVER_SETTINGS_KEYS.token)).toBe(TOKEN);
  expect(urlField().value).toBe("https://localhost:3001");
  expect(changes).toBe(1);
  expect(asked).toEqual([{ url: "https://localhost:3001", token: TOKEN }]);
});

test("Save refuses settings the server does not accept, and offers Save anyway for a server that is away", async () => {
  const user = userEvent.setup();
  const store = new ServerSettingsStore();
  show(store, async () => {
    throw new ApiError({ kind: "network", message: "Cannot reach the server at https://localhost:3001." });
  });
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "https://localhost:3001");
  await user.type(tokenField(), TOKEN);
  await user.click(screen.getByRole("button", { name: "Save" }));
  expect((await screen.findByRole("alert")).textContent).toContain("Not saved: Cannot reach the server at https://localhost:3001.");
  expect(localStorage.length).toBe(0);
  await user.click(screen.getByRole("button", { name: "Save anyway" }));
  expect((await screen.findByRole("status")).textContent).toBe("Saved without a test. The audit trail syncs to https://localhost:3001 once it answers.");
  expect(localStorage.getItem(SERVER_SETTINGS_KEYS.token)).toBe(TOKEN);
});

test("bad input: each field says what is wrong, nothing is stored", async () => {
  const user = userEvent.setup();
  show(new ServerSettingsStore(), planner);
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "localhost:3001");
  await user.type(tokenField(), "seg_abc def");
  await user.click(screen.getByRole("button", { name: "Save" }));
  expect(await screen.findByText(/The server URL must start with https:\/\//)).toBeTruthy();
  expect(screen.getByText(/The token has characters a token never has/)).toBeTruthy();
  expect(localStorage.length).toBe(0);
});

test("an http:// URL from the https pane gets a warning", async () => {
  const user = userEvent.setup();
  show(new ServerSettingsStore());
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "http://localhost:3001");
  expect(screen.getByText("The pane is served over https and cannot call an http:// server: use https://.")).toBeTruthy();
});

test("Test connection calls /me with the typed (unsaved) settings and names the token's owner", async () => {
  const user = userEvent.setup();
  const asked: Settings[] = [];
  show(new ServerSettingsStore(), async (s) => {
    asked.push(s);
    return { name: "alice", role: "planner", tokenId: "t1" };
  });
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "https://localhost:3001/");
  await user.type(tokenField(), ` ${TOKEN}`);
  await user.click(screen.getByRole("button", { name: "Test connection" }));
  expect((await screen.findByRole("status")).textContent).toBe("Connected to https://localhost:3001 as alice (planner).");
  expect(asked).toEqual([{ url: "https://localhost:3001", token: TOKEN }]);
  expect(localStorage.length).toBe(0);
});

test("a controller token connects but is flagged: syncing needs a planner token", async () => {
  const user = userEvent.setup();
  show(new ServerSettingsStore(), async () => ({ name: "carol", role: "controller", tokenId: "t2" }));
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "https://localhost:3001");
  await user.type(tokenField(), TOKEN);
  await user.click(screen.getByRole("button", { name: "Test connection" }));
  expect((await screen.findByRole("status")).textContent).toBe(
    "Connected to https://localhost:3001 as carol (controller), but syncing and publishing need a planner token.",
  );
});

test("a failed test shows the client's message as an alert", async () => {
  const user = userEvent.setup();
  const message = "The server at https://localhost:3001 does not accept the token: the bearer token was revoked at 2026-11-25T09:00:00.000Z. Paste a valid token in Settings.";
  show(new ServerSettingsStore(), async () => {
    throw new ApiError({ kind: "http", status: 401, message });
  });
  await waitFor(() => expect(urlField().disabled).toBe(false));
  await user.type(urlField(), "https://localhost:3001");
  await user.type(tokenField(), TOKEN);
  await user.click(screen.getByRole("button", { name: "Test connection" }));
  expect((await screen.findByRole("alert")).textContent).toBe(message);
});

test("Forget token removes it from storage and the form; the URL stays", async () => {
  const user = userEvent.setup();
  localStorage.setItem(SERVER_SETTINGS_KEYS.url, "https://localhost:3001");
  localStorage.setItem(SERVER_SETTINGS_KEYS.token, TOKEN);
  const store = new ServerSettingsStore();
  show(store);
  await waitFor(() => expect(tokenField().value).toBe(TOKEN));
  await user.click(screen.getByRole("button", { name: "Forget token" }));
  expect((await screen.findByRole("status")).textContent).toMatch(/^The token was removed from this computer/);
  expect(tokenField().value).toBe("");
  expect(localStorage.getItem(SERVER_SETTINGS_KEYS.token)).toBeNull();
  expect(localStorage.getItem(SERVER_SETTINGS_KEYS.url)).toBe("https://localhost:3001");
  expect(await store.load()).toBeNull();
});
