// Talk to someone at the hub: urgent help first, then the person's requests and their state,
// then the form. A request is saved on this phone first and sent from there (hub-outbox.js),
// so it is never lost for want of signal; withdrawing one erases it.

import { add, fill, h, notice, say, screenTitle } from "/shared/dom.js";
import * as hubOutbox from "../hub-outbox.js";
import { freshOrKept } from "../local.js";
import { urgentButtons } from "../urgent.js";
import { formatDay, formatTime } from "../words.js";
import { confirmStep, onSubmit, showFieldErrors } from "./fields.js";
import { requestFields } from "./talk-form.js";

const STATES = {
  sent: "Sent. We'll get back to you.",
  seen: "Seen by the hub. We'll get back to you.",
  contacted: "The hub has been in touch.",
  closed: "Closed.",
};

const when = (iso) => {
  const date = new Date(iso);
  return `${formatDay(date)} at ${formatTime(date)}`;
};

function urgentCard(ctx, hours) {
  return h(
    "section",
    { class: "card urgent", "aria-labelledby": "talk-urgent-title" },
    h("h2", { id: "talk-urgent-title", text: "If you need help now" }),
    h("p", { text: "The hub is not an emergency service. These are there for you straight away, day or night." }),
    urgentButtons(ctx).list,
    h("p", { class: "hint", "data-hours": true, text: `The hub answers requests ${hours}.` }),
  );
}

function requestItem(ctx, item, redraw) {
  const withdraw = h("button", { type: "button", class: "button secondary", text: "Withdraw this request" });
  const step = confirmStep({
    start: withdraw,
    question: "Withdraw it? It will be erased, and the hub will no longer see it.",
    yes: "Yes, withdraw and erase it",
    action: "withdraw",
    onYes: async () => {
      try {
        if (item.waiting) await hubOutbox.discard(item.id);
        else await ctx.api.withdrawHubRequest(item.id);
        redraw("Your request was withdrawn and erased.");
      } catch (error) {
        redraw(error.offline ? "You're offline. Please withdraw it again when you have signal." : error.message);
      }
    },
  });
  const state = item.waiting
    ? item.refused
      ? `Not sent: ${item.refused.message}`
      : "Waiting to send. It will go by itself when you're back online."
    : STATES[item.state];
  return h(
    "li",
    { class: "card hub-request", "data-request": item.id },
    h("p", {}, h("strong", { text: state })),
    item.created_at ? h("p", { class: "hint", text: `Sent ${when(item.created_at)}.` }) : null,
    item.waiting
      ? null
      : h("p", { class: "hint", text: item.first_read_at ? `First read ${when(item.first_read_at)}.` : "Not read yet." }),
    h("div", { class: "actions" }, withdraw),
    step,
  );
}

async function showRequests(ctx, list, message) {
  const redraw = (text) => {
    say(message, text);
    showRequests(ctx, list, message);
  };
  const waiting = (await hubOutbox.waiting()).map((w) => ({ id: w.id, waiting: true, refused: w.refused }));
  let sent = [];
  let offline = false;
  try {
    sent = (await ctx.api.hubRequests()).items;
  } catch {
    offline = true;
  }
  fill(
    list,
    offline ? h("p", { class: "hint", text: "Requests already sent will show here when you're back online." }) : null,
    waiting.length || sent.length
      ? h("ul", { class: "plain-list" }, [...waiting, ...sent].map((item) => requestItem(ctx, item, redraw)))
      : offline
        ? null
        : h("p", { class: "muted", text: "You have not asked the hub for a conversation yet." }),
  );
}

export function render(screen, ctx) {
  const message = notice("status");
  const problem = notice("alert");
  const list = h("div", { class: "hub-requests" });
  const hours = h("div");
  const { fields, read } = requestFields(ctx);
  const form = h(
    "form",
    { novalidate: true, class: "stack", "aria-labelledby": "talk-form-title" },
    h("h2", { id: "talk-form-title", text: "Ask for a conversation" }),
    fields,
    problem,
    h("button", { type: "submit", class: "button", text: "Send my request" }),
  );
  add(
    screen,
    screenTitle("Talk to someone at the hub"),
    h("p", {
      text: "Someone from the Staff Wellbeing Hub will get back to you for a conversation, as a colleague. Only the hub's practitioners see what you send, and only what you choose to include: nothing else of your diary goes with it.",
    }),
    hours,
    h("section", { class: "card", "aria-labelledby": "talk-mine-title" }, h("h2", { id: "talk-mine-title", text: "Your requests" }), message, list),
    form,
  );
  freshOrKept("hub-about", () => ctx.api.hubAbout())
    .then(({ value }) => fill(hours, urgentCard(ctx, value.opening_hours)))
    .catch(() => fill(hours, urgentCard(ctx, "in its opening hours (they will show here when you're online)")));
  showRequests(ctx, list, message);
  const stop = hubOutbox.onChange(() => (screen.isConnected ? showRequests(ctx, list, message) : stop()));

  onSubmit(form, problem, async (data) => {
    const body = read(data);
    const id = crypto.randomUUID();
    await hubOutbox.queue({ id, ...body });
    const result = await hubOutbox.replay(ctx.api);
    const left = (await hubOutbox.waiting()).find((w) => w.id === id);
    if (left && left.refused) {
      await hubOutbox.discard(id); // the person corrects the form and sends it afresh
      if (!showFieldErrors(form, left.refused.fields)) say(problem, left.refused.message);
      return;
    }
    form.reset();
    form.querySelector(".summary-preview").hidden = true;
    say(message, left ? "Saved on this phone. It will be sent by itself when you're back online." : "Sent. We'll get back to you.");
    if (result.kind === "sign-in") ctx.sync();
    showRequests(ctx, list, message);
  });
}
