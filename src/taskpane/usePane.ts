/** React access to the PaneSession: state through useSyncExternalStore, actions on the session. */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { PaneSession, PaneState } from "../app/session";

export const SessionContext = createContext<PaneSession | null>(null);

export function usePane(): [PaneState, PaneSession] {
  const session = useContext(SessionContext);
  if (!session) throw new Error("usePane needs a SessionContext provider");
  const state = useSyncExternalStore(session.subscribe, session.getState, session.getState);
  return [state, session];
}
