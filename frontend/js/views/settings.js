// Settings: profile, your team (join code), signing in (passkeys, recovery key), the research
// choice, reminders, export, sign out and deleting the account.

import { add, h, notice, say, screenTitle } from "/shared/dom.js";
import { field, fieldProblem, onSubmit, profileFields } from "./fields.js";
import { forgetThisDevice, mountReminders } from "./reminders.js";
import { signInSection } from "./sign-in-settings.js";
import { signOutParts } from "./sign-out.js";
import { teamParts } from "./team.js";
import { championSettings } from "./champion-settings.js";

function section(title, ...children) {
  const id = `settings-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id, text: title }), children);
}

function profileSection(ctx, taxonomy, team) {
  const message = notice();
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", {
      class: "hint",
      text: "Helps your hub send support where it is needed. Never shown with your name.",
    }),
    profileFields(taxonomy, ctx.user),
    message,
    h("button", { type: "submit", class: "button secondary", text: "Save profile" }),
  );
  onSubmit(form, message, async (data) => {
    const changes = {};
    for (const key of ["area", "role_group", "setting"]) changes[key] = data.get(key) || null;
    const vouched = ctx.user.area_vouched;
    await ctx.updateUser(await ctx.api.updateProfile(changes));
    if (vouched && !ctx.user.area_vouched) {
      team.redraw();
      say(message, "Saved. Your area is now your own choice: your hub's join code no longer applies.");
    } else {
      say(message, "Saved.");
    }
  });
  return section("Your profile", form);
}

function researchSection(ctx) {
  const message = notice();
  const box = h("input", {
    type: "checkbox",
    id: "research",
    checked: Boolean(ctx.user.research_consent),
    "aria-describedby": "research-hint",
  });
  box.addEventListener("change", async () => {
    const wanted = box.checked;
    try {
      await ctx.updateUser(await ctx.api.updateProfile({ research_consent: wanted }));
      say(
        message,
        wanted
          ? "Thank you. Your check-ins will count in the hub's totals."
          : "Done. Your check-ins are left out from the next update.",
      );
    } catch (error) {
      box.checked = !wanted;
      say(message, error.message);
    }
  });
  return section(
    "Research",
    h(
      "div",
      { class: "switch-row" },
      box,
      h("label", { for: "research", text: "Count my check-ins in the hub's totals" }),
    ),
    h("p", {
      class: "hint",
      id: "research-hint",
      text: "Your hub sees only totals for groups of at least 10 people, never your diary.",
    }),
    message,
  );
}

function remindersSection(ctx) {
  const container = h("div", {}, h("p", { class: "muted", text: "Loading…" }));
  mountReminders(container, ctx.api);
  return section("Reminders", container);
}

function aboutYouSection(flash) {
  return section(
    "About you and support",
    flash ? h("p", { class: "notice", role: "status", text: flash }) : null,
    h("p", {
      text: "A few optional questions about your job and the support you know how to reach. Answer them again whenever things change.",
    }),
    h("a", { class: "button secondary", href: "#/about-you", text: "Answer the questions" }),
  );
}

function dataSection(ctx) {
  const message = notice();
  const download = h("button", { type: "button", class: "button secondary", text: "Download my data" });
  download.addEventListener("click", async () => {
    try {
      const data = await ctx.api.exportData();
      const url = URL.createObjectURL(
        new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }),
      );
      const link = h("a", { href: url, download: "wellbeing-diary.json", hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say(message, "Your data has been downloaded.");
    } catch (error) {
      say(message, error.message);
    }
  });
  return section(
    "Your data",
    h("p", { text: "Everything the diary holds about you, as a file." }),
    download,
    message,
  );
}

function deleteSection(ctx) {
  const message = notice("alert");
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("p", { text: "This deletes your account and every check-in, for good. It cannot be undone." }),
    // Lets password managers know whose password this is.
    h("input", {
      type: "text",
      name: "username",
      autocomplete: "username",
      value: ctx.user.username,
      hidden: true,
    }),
    field({
      label: "Your password",
      name: "password",
      type: "password",
      autocomplete: "current-password",
      required: true,
    }),
    message,
    h("button", { type: "submit", class: "button danger", text: "Delete my account" }),
  );
  onSubmit(
    form,
    message,
    async (data) => {
      const password = String(data.get("password") || "");
      if (!password) throw fieldProblem("password", "Please enter your password.");
      await ctx.api.deleteAccount(password);
      // The server erased the subscription with the account; the browser's goes too.
      await forgetThisDevice(ctx.api, false).catch(() => {});
      await ctx.signedOut("Your account and diary have been deleted.");
    },
    (error) => (error.status === 401 || error.status === 403 ? "That password is not right." : error.message),
  );
  return section("Delete my account", form);
}

export function render(screen, ctx) {
  const flash = ctx.flash;
  ctx.flash = null;
  const rest = h("div", { class: "stack" });
  add(
    screen,
    screenTitle("Settings"),
    h("p", { class: "muted", text: `Signed in as ${ctx.user.username}` }),
    rest,
  );
  ctx.getTaxonomy().then((taxonomy) => {
    const team = teamParts(ctx, taxonomy);
    add(
      rest,
      profileSection(ctx, taxonomy, team),
      section("Your team", team),
      ctx.user.role === "staff" ? championSettings(ctx, section) : null,
      section("Signing in", signInSection(ctx)),
      researchSection(ctx),
      aboutYouSection(flash),
      remindersSection(ctx),
      dataSection(ctx),
      section("Sign out", signOutParts(ctx)),
      deleteSection(ctx),
    );
  });
}
