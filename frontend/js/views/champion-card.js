// Support, "Your wellbeing champion": for people who joined with a champion's code, their
// champion's name and how to reach them, and leaving the code in one tap.

import { fill, h, notice, say } from "/shared/dom.js";

function card(ctx, holder, champion) {
  const message = notice();
  const leave = h("button", { type: "button", class: "button secondary", text: "Leave this code" });
  leave.addEventListener("click", async () => {
    leave.disabled = true;
    try {
      await ctx.updateUser(await ctx.api.leaveTeam());
      fill(holder, h("p", { class: "hint", role: "status", text: "Done. Your area stays as it is, as your own choice." }));
    } catch (error) {
      leave.disabled = false;
      say(message, error.message);
    }
  });
  return h(
    "section",
    { class: "card champion", "aria-labelledby": "champion-title" },
    h("h2", { id: "champion-title", text: "Your wellbeing champion" }),
    h("p", { class: "champion-name", text: champion.display_name }),
    h("p", { text: `How to reach them: ${champion.reach}` }),
    h("p", { class: "hint", text: "A colleague who can listen and point you to support. They never see your diary." }),
    leave,
    message,
  );
}

/** A holder that shows the card once known (nothing signed out, offline or without one). */
export function championCard(ctx) {
  const holder = h("div", { class: "champion-holder" });
  if (ctx.user && ctx.user.role === "staff") {
    ctx.api
      .myChampion()
      .then(({ champion }) => fill(holder, champion ? card(ctx, holder, champion) : null))
      .catch(() => fill(holder, null));
  }
  return holder;
}
