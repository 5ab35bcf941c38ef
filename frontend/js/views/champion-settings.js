// Settings, "Being a wellbeing champion" (only for an account the hub named one): the words
// colleagues see on their Support screen, and the join code for the service, shown once.

import { fill, h, notice, say } from "/shared/dom.js";
import { field, onSubmit } from "./fields.js";

function cardForm(ctx, mine) {
  const message = notice();
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { text: "Colleagues who joined with your code see this at the top of their Support screen." }),
    field({ label: "Your name, as colleagues see it", name: "display_name", value: mine.display_name, maxlength: 60, required: true }),
    field({
      label: "How colleagues can reach you",
      name: "reach",
      value: mine.reach,
      maxlength: 200,
      required: true,
      hint: "For example: ask for me at handover, or a work phone number.",
    }),
    message,
    h("button", { type: "submit", class: "button secondary", text: "Save my card" }),
  );
  onSubmit(form, message, async (data) => {
    await ctx.api.updateChampion({ display_name: data.get("display_name"), reach: data.get("reach") });
    say(message, "Saved.");
  });
  return form;
}

function codePart(ctx, mine) {
  const shown = h("div", { class: "stack", role: "status" });
  const state = mine.code
    ? `Your join code ends in ${mine.code.hint}.`
    : "You have no join code yet.";
  const make = h("button", { type: "button", class: "button secondary", text: mine.code ? "Make a new join code" : "Make my join code" });
  make.addEventListener("click", async () => {
    make.disabled = true;
    try {
      const { join_code: code } = await ctx.api.newChampionCode();
      fill(
        shown,
        h("p", { text: "Your new join code (write it down: it is shown only now):" }),
        h("p", { class: "join-code", text: code }),
        h("p", { class: "hint", text: "Your old code no longer works for new people; those who joined with it stay joined." }),
      );
    } catch (error) {
      say(shown, error.message);
    } finally {
      make.disabled = false;
    }
  });
  return [
    h("p", { text: `${state} Give it to colleagues in your service: it confirms where they work and shows them your card.` }),
    h("p", { class: "hint", text: "You never see who joined with it, nor anyone's diary." }),
    make,
    shown,
  ];
}

/** A holder that becomes the champion's section for a champion, and stays empty otherwise. */
export function championSettings(ctx, section) {
  const holder = h("div", { class: "champion-settings" });
  ctx.api
    .myChampionSettings()
    .then((mine) => fill(holder, section("Being a wellbeing champion", cardForm(ctx, mine), codePart(ctx, mine))))
    .catch(() => fill(holder, null)); // not a champion (404), or offline
  return holder;
}
