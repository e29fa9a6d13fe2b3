/** React access to the pane: state through useSyncExternalStore, actions from the session. */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from "react";
import type { PaneSession } from "../app/session";
import type { CommonState, StepActions, StepKey, StepStates } from "../app/store";

export const SessionContext = createContext<PaneSession | null>(null);

export function useSession(): PaneSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error("usePane needs a SessionContext provider");
  return session;
}

/** The common part of the state: what runs, its progress, the last message. */
export function useCommon(): CommonState {
  const session = useSession();
  return useSyncExternalStore(session.subscribe, () => session.getState().common, () => session.getState().common);
}

/** One step's state and actions, and the common state (a view re-renders when either changes). */
export function useStep<K extends StepKey>(key: K): [StepStates[K], StepActions[K], CommonState] {
  const session = useSession();
  const state = useSyncExternalStore(session.subscribe, session.getState, session.getState);
  return [state.steps[key], session.step(key), state.common];
}

/** Another step's state, read only (e.g. the Write tab showing what Classify has). */
export function usePeek<K extends keyof StepStates>(key: K): StepStates[K] | undefined {
  const session = useSession();
  const state = useSyncExternalStore(session.subscribe, session.getState, session.getState);
  return state.steps[key];
}

/** What the host hands to views beyond the session (the Settings view's backend fields). */
export const PaneExtras = createContext<{ settingsExtra?: ReactNode }>({});

export function usePaneExtras(): { settingsExtra?: ReactNode } {
  return useContext(PaneExtras);
}
