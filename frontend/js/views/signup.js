// Sign up: a username, a password, the research choice, and optionally where and how you work.

import { add, fill, h, notice, screenTitle } from "/shared/dom.js";
import { accountFields, field, fieldProblem, onSubmit, profileFields } from "./fields.js";

function researchChoice() {
  const error = h("p", { class: "field-error", id: "research-error", hidden: true });
  const option = (value, text) =>
    h(
      "label",
      { class: "choice" },
      h("input", { type: "radio", name: "research_consent", value, required: true }),
      h("span", { text }),
    );
  return h(
    "fieldset",
    { class: "field", "data-field": "research_consent", "aria-describedby": "research-hint research-error" },
    h("legend", { text: "Count my check-ins in the hub's totals?" }),
    h("p", {
      class: "hint",
      id: "research-hint",
      text: "Your hub sees only totals for groups of at least 10 people, never your diary. You can change this at any time.",
    }),
    option("yes", "Yes, count them"),
    option("no", "No, keep them out"),
    error,
  );
}

function profileSection(taxonomy) {
  return h(
    "fieldset",
    { class: "group" },
    h("legend", { text: "About your work (optional)" }),
    h("p", {
      class: "hint",
      text: "This helps your hub send support where it is needed. It is never shown with your name.",
    }),
    profileFields(taxonomy),
    field({
      label: "Join code",
      name: "join_code",
      hint: "Only if your hub gave you one. It confirms where you work, and sets your area for you.",
      autocomplete: "off",
    }),
  );
}

export function render(screen, ctx) {
  const message = notice("alert");
  const profile = h("div");
  const form = h(
    "form",
    { novalidate: true, class: "stack" },
    accountFields(true),
    researchChoice(),
    profile,
    message,
    h("button", { type: "submit", class: "button", text: "Create my diary" }),
  );
  add(
    screen,
    screenTitle("Create your diary"),
    form,
    h("p", {}, "Already have one? ", h("a", { href: "#/sign-in", text: "Sign in" })),
  );
  ctx.getTaxonomy().then((taxonomy) => fill(profile, profileSection(taxonomy)));

  onSubmit(
    form,
    message,
    async (data) => {
      const consent = data.get("research_consent");
      if (!consent) throw fieldProblem("research_consent", "Please choose yes or no.");
      const details = {
        username: String(data.get("username") || "").trim(),
        password: String(data.get("password") || ""),
        research_consent: consent === "yes",
      };
      for (const key of ["area", "role_group", "setting", "join_code"]) {
        const value = String(data.get(key) || "").trim();
        if (value) details[key] = value;
      }
      // The recovery key is shown once and never kept on the phone with the profile.
      const { recovery_key: key, ...user } = await ctx.api.register(details);
      await ctx.signedIn(user);
      ctx.recoveryKey = key;
      // The recovery key and a passkey, then the optional questions about you and support.
      ctx.go("keep-safe");
    },
    (error) => (error.status === 409 ? "That username is taken. Please try another." : error.message),
  );
}
