// Settings, "Your team": enter the join code a hub gave you, or leave the team in one tap.
// A code confirms the area (and setting) you work in, so your check-ins count in that area's
// totals; without one, your area is your own word and counts from region level up.

import { fill, h, notice, say } from "/shared/dom.js";
import { field, onSubmit } from "./fields.js";

function areaName(taxonomy, code) {
  const area = (taxonomy.areas || []).find((a) => a.code === code);
  return area ? area.name : code;
}

function joined(ctx, taxonomy, redraw) {
  const message = notice();
  const leave = h("button", { type: "button", class: "button secondary", text: "Leave the team" });
  leave.addEventListener("click", async () => {
    leave.disabled = true;
    try {
      await ctx.updateUser(await ctx.api.leaveTeam());
      redraw("Done. Your area stays as it is, as your own choice.");
    } catch (error) {
      leave.disabled = false;
      say(message, error.message);
    }
  });
  return [
    h("p", {
      text: `Your hub has confirmed you work in ${areaName(taxonomy, ctx.user.area)}. Your check-ins count in that area's totals.`,
    }),
    leave,
    message,
  ];
}

function joinForm(ctx, redraw) {
  const message = notice("alert");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", {
      text: "If your hub gave you a join code, enter it here. It confirms where you work, so your check-ins count in your area's totals, not only your region's.",
    }),
    field({
      label: "Join code",
      name: "join_code",
      hint: "For example ABCD-EFGH-JKMN. Spaces and capitals do not matter.",
      autocomplete: "off",
      autocapitalize: "characters",
      spellcheck: "false",
      required: true,
    }),
    message,
    h("button", { type: "submit", class: "button secondary", text: "Join" }),
  );
  onSubmit(form, message, async (data) => {
    const code = String(data.get("join_code") || "").trim();
    await ctx.updateUser(await ctx.api.joinTeam(code));
    redraw("Thank you. Your area is confirmed from the next update.");
  });
  return form;
}

/**
 * The "Your team" card's content, drawn again after joining or leaving; `container.redraw()`
 * draws it again after the profile changed the area by hand (which ends the vouching).
 */
export function teamParts(ctx, taxonomy) {
  const container = h("div", { class: "stack" });
  const status = notice();
  const redraw = (text) => {
    fill(container, ctx.user.area_vouched ? joined(ctx, taxonomy, redraw) : joinForm(ctx, redraw), status);
    say(status, text || "");
  };
  redraw();
  container.redraw = redraw;
  return container;
}
