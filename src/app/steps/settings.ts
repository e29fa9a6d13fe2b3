/** The Settings step: the name written with every audit entry (the backend connection has its own store). */
import { SETTINGS } from "../sheets";
import { defineStep } from "../step";
import { ValidationError } from "../store";

export interface SettingsState {
  userName: string;
}

export interface SettingsActions {
  setUserName(name: string): Promise<void>;
}

declare module "../store" {
  interface StepStates {
    settings: SettingsState;
  }
  interface StepActions {
    settings: SettingsActions;
  }
}

export const settingsStep = defineStep({
  key: "settings",
  create(ctx) {
    const initial: SettingsState = { userName: ctx.gateway.settings.get<string>(SETTINGS.userName) ?? "" };
    const actions: SettingsActions = {
      async setUserName(name) {
        await ctx.task("Saving your name", async () => {
          try {
            await ctx.audit.setUserName(name);
          } catch (e) {
            throw new ValidationError("userName", (e as Error).message);
          }
          ctx.set({ userName: name.trim() });
          ctx.store.notice(`Audit entries will be signed "${name.trim()}".`);
        });
      },
    };
    return { initial, actions };
  },
});
