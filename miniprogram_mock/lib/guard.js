// Event handlers are async; an API refusal has already been shown to the person by
// api.js, so it ends the handler quietly. Anything else is a bug and stays loud.
import { ApiError } from "../api.js";
import { showError } from "./feedback.js";

export function guard(handler) {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof ApiError) {
        if (!error.shown) showError(error);
        return undefined;
      }
      throw error;
    }
  };
}
