// This week's four ONS personal wellbeing questions: 0 to 10 each, worded exactly as the
// server gives them (ONS's own words), all four needed, changeable during the week.

import { add, fill, h, newId, notice, screenTitle } from "/shared/dom.js";
import { ITEMS, currentWeek, keepOverview, loadOverview, thisWeeksAnswers } from "../ons4.js";
import { onSubmit, pickedNumber } from "./fields.js";

/** ONS is credited wherever its questions or figures appear. */
export function sourceLine(reference) {
  const source = (reference && reference.source) || {};
  return h(
    "p",
    { class: "hint source" },
    "Questions from the Office for National Statistics (ONS), ",
    source.url
      ? h("a", {
          href: source.url,
          target: "_blank",
          rel: "noopener noreferrer",
          text: source.title || "Personal well-being in the UK",
        })
      : source.title || "Personal well-being in the UK",
    source.edition ? `. UK figures: ${source.edition}.` : ".",
  );
}

function question(q, value) {
  const id = newId(q.item);
  const scale = q.scale || { min: 0, max: 10, min_label: "Not at all", max_label: "Completely" };
  const ends = { [scale.min]: scale.min_label, [scale.max]: scale.max_label };
  const options = [];
  for (let n = scale.min; n <= scale.max; n += 1) {
    options.push(
      h(
        "label",
        { class: "scale-option ons4-option" },
        h("input", { type: "radio", name: q.item, value: String(n), checked: value === n }),
        h("span", { text: String(n) }),
        ends[n] ? h("span", { class: "visually-hidden", text: `, ${ends[n]}` }) : null,
      ),
    );
  }
  return h(
    "fieldset",
    { class: "ons4-question", "data-field": q.item, "aria-describedby": `${id}-ends ${id}-error` },
    h("legend", { text: q.text }),
    h(
      "p",
      { class: "hint ons4-ends", id: `${id}-ends` },
      h("span", { text: `${scale.min} = ${scale.min_label}` }),
      h("span", { text: `${scale.max} = ${scale.max_label}` }),
    ),
    h("div", { class: "ons4-scale" }, options),
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

function saved(screen) {
  const title = screenTitle("Thank you. Your answers are saved.");
  fill(
    screen,
    title,
    h("p", { text: "You can change them until the end of the week." }),
    h(
      "div",
      { class: "actions" },
      h("a", { class: "button", href: "#/trends", text: "See them over time" }),
      h("a", { class: "button secondary", href: "#/check-in", text: "Back to check-in" }),
    ),
  );
  title.focus();
}

function build(screen, ctx, overview) {
  const week = currentWeek();
  const given = thisWeeksAnswers(overview) || {};
  const message = notice("alert");
  const form = h(
    "form",
    { class: "stack questions", novalidate: true },
    overview.questions.map((q) => question(q, given[q.item])),
    message,
    h("button", { type: "submit", class: "button save", text: "Save my answers" }),
  );
  add(
    screen,
    h("p", { text: "There are no right answers: choose the number that feels closest." }),
    sourceLine(overview.reference),
    form,
  );
  onSubmit(form, message, async () => {
    const answers = {};
    const missing = {};
    for (const item of ITEMS) {
      answers[item] = pickedNumber(form, item);
      if (answers[item] === null) missing[item] = ["Please choose a number from 0 to 10."];
    }
    if (Object.keys(missing).length) {
      throw Object.assign(new Error("Please answer all four questions."), { fieldErrors: missing });
    }
    await ctx.api.saveOns4(week, answers);
    const answer = { week, ...answers };
    await keepOverview({
      ...overview,
      due: false,
      answers: [answer, ...overview.answers.filter((a) => a.week !== week)],
    });
    saved(screen);
  });
}

export function render(screen, ctx) {
  const title = screenTitle("Four questions about your week");
  add(screen, title);
  loadOverview(ctx.api)
    .then(({ overview }) => {
      if (thisWeeksAnswers(overview)) title.textContent = "Change this week's answers";
      build(screen, ctx, overview);
    })
    .catch((error) => add(screen, h("p", { text: error.message })));
}
