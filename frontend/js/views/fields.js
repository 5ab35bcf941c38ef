// Form parts shared by the screens: labelled fields, taxonomy choices, chips, 1-5 scales, errors.

import { h, newId, say } from "/shared/dom.js";

/** A labelled input with an optional hint and a place for its error message. */
export function field({ label, name, hint, type = "text", ...attrs }) {
  const id = newId(name);
  const hintEl = hint ? h("p", { class: "hint", id: `${id}-hint`, text: hint }) : null;
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const input = h("input", {
    id,
    name,
    type,
    "aria-describedby": [hintEl && hintEl.id, error.id].filter(Boolean).join(" "),
    ...attrs,
  });
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id, text: label }),
    hintEl,
    input,
    error,
  );
}

/** Username and password, worded for a new account (with the rules) or for signing in. */
export function accountFields(newAccount) {
  return [
    field({
      label: "Username",
      name: "username",
      hint: newAccount
        ? "3 to 40 letters, numbers, dots, dashes or underscores. No need for your real name."
        : undefined,
      autocomplete: "username",
      autocapitalize: "none",
      spellcheck: "false",
      required: true,
    }),
    field({
      label: "Password",
      name: "password",
      type: "password",
      hint: newAccount ? "At least 8 characters." : undefined,
      autocomplete: newAccount ? "new-password" : "current-password",
      required: true,
    }),
  ];
}

/** A <select> of taxonomy items; `groups` (areas by region) gives <optgroup>s. */
export function selectField({ label, name, items, value, groupBy, groups, emptyText = "Prefer not to say" }) {
  const id = newId(name);
  const option = (item) =>
    h("option", { value: item.code, selected: item.code === value, text: item.label || item.name });
  let options;
  if (groupBy && groups && groups.length) {
    options = groups.map((group) =>
      h("optgroup", { label: group.name }, items.filter((item) => item[groupBy] === group.code).map(option)),
    );
  } else {
    options = (items || []).map(option);
  }
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const select = h(
    "select",
    { id, name, "aria-describedby": error.id },
    h("option", { value: "", text: emptyText, selected: !value }),
    options,
  );
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id, text: label }),
    select,
    error,
  );
}

/** Area, role group and setting choices from the taxonomy, with the person's current values. */
export function profileFields(taxonomy, user = {}) {
  const t = taxonomy || {};
  return [
    selectField({
      label: "Area",
      name: "area",
      items: t.areas || [],
      value: user.area,
      groupBy: "region",
      groups: t.regions,
    }),
    selectField({ label: "Role", name: "role_group", items: t.role_groups || [], value: user.role_group }),
    selectField({ label: "Where you work", name: "setting", items: t.settings || [], value: user.setting }),
  ];
}

/** A group of toggle chips (checkboxes) such as "what is affecting you". */
export function chips({ legend, hint, name, items, selected = [] }) {
  return h(
    "fieldset",
    { class: "chips" },
    h("legend", { text: legend }),
    hint ? h("p", { class: "hint", text: hint }) : null,
    h(
      "div",
      { class: "chip-list" },
      (items || []).map((item) =>
        h(
          "label",
          { class: "chip" },
          h("input", { type: "checkbox", name, value: item.code, checked: selected.includes(item.code) }),
          h("span", { text: item.label }),
        ),
      ),
    ),
  );
}

/** Let tapping a chosen radio button again clear it, for questions that are optional. */
export function clearable(input) {
  let wasChecked = false;
  input.addEventListener("pointerdown", () => {
    wasChecked = input.checked;
  });
  input.addEventListener("click", () => {
    if (wasChecked) input.checked = false;
    wasChecked = false;
  });
  return input;
}

/** A 1-5 choice with words; tapping the chosen one again clears it (these are optional). */
export function scale({ legend, name, words, value }) {
  const options = words.map((word, index) => {
    const input = h("input", { type: "radio", name, value: String(index + 1), checked: value === index + 1 });
    return h("label", { class: "scale-option" }, clearable(input), h("span", { text: word }));
  });
  return h(
    "fieldset",
    { class: "scale" },
    h("legend", { text: legend }),
    h("div", { class: "scale-list" }, options),
  );
}

/** The checked values of a checkbox group, or the number picked in a radio group (or null). */
export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((input) => input.value);
}

export function pickedNumber(form, name) {
  const picked = form.querySelector(`input[name="${name}"]:checked`);
  return picked ? Number(picked.value) : null;
}

/** Clear the messages of an earlier try. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.textContent = "";
    el.hidden = true;
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/**
 * Put the server's per-field messages under their fields and focus the first one.
 * Returns true when at least one field message was shown.
 */
export function showFieldErrors(form, fieldErrors) {
  let first = null;
  for (const [name, messages] of Object.entries(fieldErrors || {})) {
    const wrap = form.querySelector(`[data-field="${name}"]`);
    if (!wrap) continue;
    const control = wrap.querySelector("input, select, textarea");
    const error = wrap.querySelector(".field-error");
    error.textContent = [].concat(messages).join(" ");
    error.hidden = false;
    if (control) control.setAttribute("aria-invalid", "true");
    first = first || control;
  }
  if (first) first.focus();
  return Boolean(first);
}

/** A problem found before sending, shaped like the server's so it shows the same way. */
export function fieldProblem(name, message) {
  return Object.assign(new Error(message), { fieldErrors: { [name]: [message] } });
}

/**
 * Run `action(formData)` on submit with the button disabled meanwhile; show field messages
 * under their fields, anything else in `message` (worded by `explain`).
 */
export function onSubmit(form, message, action, explain = (error) => error.message) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    say(message, "");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await action(new FormData(form));
    } catch (error) {
      if (!showFieldErrors(form, error.fieldErrors)) say(message, explain(error));
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * A second step before something that cannot be undone: tapping `start` shows `question`
 * (text or an element) with a danger button `yes` and "No, keep it"; "No" hides it again.
 * Returns the step's element, to be placed after `start`.
 */
export function confirmStep({ start, question, yes, action, onYes }) {
  const yesButton = h("button", { type: "button", class: "button danger", "data-action": action, text: yes });
  const noButton = h("button", { type: "button", class: "button secondary", text: "No, keep it" });
  const step = h(
    "div",
    { class: "card confirm", hidden: true },
    typeof question === "string" ? h("p", { text: question }) : question,
    h("div", { class: "actions" }, yesButton, noButton),
  );
  start.addEventListener("click", () => {
    step.hidden = false;
    noButton.focus();
  });
  noButton.addEventListener("click", () => {
    step.hidden = true;
    start.focus();
  });
  yesButton.addEventListener("click", onYes);
  return step;
}
