// The optional questions about you and support: asked once after sign-up ("Skip for now" in
// one tap) and answerable again from Settings. Every question may be left blank.

import { add, fill, h, notice, screenTitle } from "/shared/dom.js";
import { chips, clearable, onSubmit } from "./fields.js";

// The order the questions are asked in; the words and choices come from the server.
const ORDER = ["time_in_job", "career_conversation", "knows_training", "knows_how_to_reach", "would_like"];

function oneOf(field, question, value) {
  return h(
    "fieldset",
    { class: "field", "data-field": field },
    h("legend", { text: question.text }),
    question.choices.map((c) =>
      h(
        "label",
        { class: "choice" },
        // All optional: a second tap on the chosen answer takes it back.
        clearable(h("input", { type: "radio", name: field, value: c.code, checked: value === c.code })),
        h("span", { text: c.label }),
      ),
    ),
    h("p", { class: "field-error", hidden: true }),
  );
}

function questionFor(field, question, latest) {
  const value = latest ? latest[field] : undefined;
  if (question.multiple) {
    const group = chips({
      legend: question.text,
      hint: "Choose any that apply.",
      name: field,
      items: question.choices,
      selected: value || [],
    });
    group.dataset.field = field;
    group.append(h("p", { class: "field-error", hidden: true }));
    return group;
  }
  return oneOf(field, question, value);
}

function answersFrom(form, questions) {
  const data = new FormData(form);
  const answers = {};
  for (const field of ORDER) {
    if (!questions[field]) continue;
    answers[field] = questions[field].multiple ? data.getAll(field) : data.get(field) || null;
  }
  return answers;
}

function skipButton(ctx) {
  return h("button", {
    type: "button",
    class: "button secondary",
    onclick: () => ctx.go("check-in"),
    text: "Skip for now",
  });
}

function build(ctx, overview, starting) {
  const message = notice("alert");
  const questions = overview.questions || {};
  const done = () => {
    ctx.flash = starting ? null : "Thank you. Your answers are saved.";
    ctx.go(starting ? "check-in" : "settings");
  };
  const form = h(
    "form",
    { class: "stack questions", novalidate: true },
    ORDER.filter((f) => questions[f]).map((f) => questionFor(f, questions[f], overview.latest)),
    message,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", class: "button", text: "Save my answers" }),
      starting
        ? skipButton(ctx)
        : h("a", { class: "button secondary", href: "#/settings", text: "Back to settings" }),
    ),
  );
  onSubmit(form, message, async () => {
    await ctx.api.saveOnboarding(answersFrom(form, questions));
    done();
  });
  return form;
}

export function render(screen, ctx, param) {
  const starting = param === "start";
  const body = h("div", {}, h("p", { class: "muted", text: "Loading…" }));
  add(
    screen,
    screenTitle(starting ? "A few questions to start" : "About you and support"),
    h("p", {
      text: "These help your hub know whether people can find the support that is there. Answer any you like; all are optional.",
    }),
    h("p", {
      class: "hint",
      text: "Your answers are counted only in totals for groups of at least 10 people, and only if you said yes to that.",
    }),
    // Skipping is one tap from the top, and works before the questions have arrived.
    starting ? skipButton(ctx) : null,
    body,
  );
  ctx.api
    .onboarding()
    .then((overview) => fill(body, build(ctx, overview, starting)))
    .catch((error) => fill(body, h("p", { text: error.message })));
}
