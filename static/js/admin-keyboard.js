/*
 * Every admin page (templates/admin/base_site.html), for the keyboard and
 * screen readers. The few words of its own come in the page's language on
 * its <script> element.
 *
 * - A refused form: the note «Исправьте ошибки ниже» takes the focus when the
 *   page opens, followed by a link to each field in error. Django left the
 *   focus at the top of the page, or in the form's first field. A change
 *   form's links come from the server (without JavaScript too); here they
 *   lead into the editor's and Select2's boxes. Other forms' (a password's,
 *   a withdrawal's) are made here.
 * - Django's calendar and clock (DateTimeShortcuts.js): their buttons have
 *   names (Chromium takes none from the icon's title), each opens a dialog
 *   with the focus in it, Tab stays in it, Escape and "Отмена" close it and
 *   give the focus back to the button, and the arrows to the month before and
 *   after are named, the month they show said. Each day is named by its
 *   whole date («15 декабря 2026», not «15»), in every month the calendar
 *   draws; the day in the field is said to be chosen, today is the current
 *   date (aria-current).
 * - A list's «Выбрать все 41 …» and «Снять выделение» give the focus to
 *   what replaces them (the count is a live region: templates/admin/actions.html).
 * - The rows of an inline (a news item's documents): "Add another" puts the
 *   focus in the row it adds; the ✕ of a row not saved yet names the row;
 *   removing it gives the focus to "Add another", not the page's top.
 * - Django's links that act as buttons (role="button": add a row, remove
 *   one, select all the list's items) answer the space bar as buttons do.
 * - A date and time (a news item's publication time, a notice's times) is a
 *   group named by its row's label and described by its errors and help:
 *   Django's label belongs to neither field, and links neither to them.
 */
"use strict";
{
  const words = document.currentScript.dataset;
  const FOCUSABLE = [
    "a[href]",
    "button:enabled",
    "input:not([type=hidden]):enabled",
    "select:enabled",
    "textarea:enabled",
    "[tabindex]:not([tabindex='-1'])",
  ].join(", ");

  // An inline's row: a table's row, or a stacked inline's box.
  const ROW = "tr.form-row[id], .inline-related[id]";

  const shown = (element) => Boolean(element) && element.getClientRects().length > 0;

  function firstFocusable(container) {
    return Array.from(container.querySelectorAll(FOCUSABLE)).find(shown);
  }

  function rowsOf(group) {
    return Array.from(group.querySelectorAll(ROW)).filter((row) => !row.matches(".empty-form"));
  }

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  // A refused form.

  /** Where an error list's field takes the focus: CKEditor's and Select2's boxes stand in for their hidden fields. */
  function fieldInError(errors) {
    const field = document.getElementById(errors.id.replace(/_error$/, ""));
    if (shown(field)) {
      return field;
    }
    const describedByIt = Array.from(
      document.querySelectorAll(`[aria-describedby~="${CSS.escape(errors.id)}"]`),
    ).find(shown);
    return describedByIt || firstFocusable(errors.closest(".form-row, td") || errors.parentNode);
  }

  /** The field's name as its label says it; in an inline's row, with the inline's heading and the row's number. */
  function fieldName(errors) {
    const id = errors.id.replace(/_error$/, "");
    const field = document.getElementById(id);
    const box = errors.closest(".fieldBox, .form-row");
    const label =
      document.querySelector(`label[for="${CSS.escape(id)}"]`) ||
      document.getElementById(`${id}_label`) ||
      (box && box.querySelector("label, legend")); // a date and time's
    let name = label ? text(label) : (field && field.getAttribute("aria-label")) || "";
    name = name.replace(/:$/, "");
    const row = errors.closest(ROW);
    const group = errors.closest(".inline-group");
    if (row && group) {
      const number = rowsOf(group).indexOf(row) + 1;
      name = `${text(group.querySelector(".inline-heading"))} ${number}, ${name}`;
    }
    return name;
  }

  function summariseErrors() {
    const note = document.querySelector("#content .errornote");
    if (!note || document.body.classList.contains("login")) {
      return; // The login's fields carry its error themselves (templates/admin/login.html).
    }
    const leadTo = (link, errors) =>
      link.addEventListener("click", (event) => {
        const field = errors && fieldInError(errors);
        if (field) {
          event.preventDefault();
          field.focus();
          field.scrollIntoView({block: "center"});
        }
      });
    // A change form's list comes from the server (templates/admin/change_form.html).
    const listed = document.querySelectorAll("#content .error-summary a[data-errors]");
    for (const link of listed) {
      leadTo(link, document.getElementById(link.dataset.errors));
    }
    const errorLists = document.querySelectorAll("#content ul.errorlist[id$=_error]");
    if (errorLists.length && !listed.length) {
      const summary = document.createElement("ul");
      summary.className = "error-summary";
      for (const errors of errorLists) {
        const link = document.createElement("a");
        link.href = `#${errors.id.replace(/_error$/, "")}`;
        link.textContent = `${fieldName(errors)}: ${text(errors)}`;
        leadTo(link, errors);
        summary.appendChild(document.createElement("li")).appendChild(link);
      }
      note.after(summary);
    }
    note.tabIndex = -1;
    note.focus();
  }

  // A date and time.

  function groupDateAndTime(pair) {
    const row = pair.closest(".form-row");
    const label = row && row.querySelector(".flex-container > label:not([for])");
    const name = pair.querySelector("input") && pair.querySelector("input").name.replace(/_0$/, "");
    if (!label || !name) {
      return;
    }
    label.id = `id_${name}_label`;
    pair.setAttribute("role", "group");
    pair.setAttribute("aria-labelledby", label.id);
    // Django gives the error list its id, not the help.
    const help = row.querySelector(".help");
    if (help) {
      help.id = `id_${name}_helptext`;
    }
    const notes = [row.querySelector(".errorlist"), help].filter(Boolean).map((note) => note.id);
    if (notes.length) {
      for (const input of pair.querySelectorAll("input")) {
        input.setAttribute("aria-describedby", notes.join(" "));
      }
    }
  }

  // Django's calendar and clock.

  function trapTab(event, box) {
    const stops = Array.from(box.querySelectorAll("a[href]")).filter(shown);
    const [first, last] = [stops[0], stops[stops.length - 1]];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  /** The button (an icon in a link) and its pop-up, made a named dialog that Escape closes. */
  function makeDialog(button, box, dismiss) {
    const name = button.querySelector("[title]").title;
    button.setAttribute("aria-label", name);
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", name);
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        dismiss();
      } else if (event.key === "Tab") {
        trapTab(event, box);
      }
    });
  }

  /**
   * Names each day of the month Django's calendar has just drawn by its whole
   * date, as the admin writes it: the day, the month's name after a day
   * (from the server: Chromium's Intl has no Belarusian), the year.
   */
  function nameDays(box, month, year) {
    const months = words.months.split("|");
    for (const link of box.querySelectorAll("td:not(.nonday) a")) {
      const cell = link.parentNode;
      const date = `${text(link)} ${months[month - 1]} ${year}`;
      const chosen = cell.classList.contains("selected");
      link.setAttribute("aria-label", chosen ? words.chosenDay.replace("%(date)s", date) : date);
      if (cell.classList.contains("today")) {
        link.setAttribute("aria-current", "date");
      }
    }
  }

  /** Django's calendar draws a month anew (opened, the month before or after): its days are named each time. */
  function nameDaysAsDrawn(calendars) {
    const django = calendars.draw;
    calendars.draw = function (month, year, boxId, ...rest) {
      const result = django.call(this, month, year, boxId, ...rest);
      nameDays(document.getElementById(boxId), Number(month), Number(year));
      return result;
    };
  }

  function improveDateTimeShortcuts(shortcuts) {
    const calendar = (num) => ({
      button: document.getElementById(shortcuts.calendarLinkName + num),
      box: document.getElementById(shortcuts.calendarDivName1 + num),
    });
    const clock = (num) => ({
      button: document.getElementById(shortcuts.clockLinkName + num),
      box: document.getElementById(shortcuts.clockDivName + num),
    });

    /** Replaces shortcuts[name] with one that calls Django's, then `after`. */
    function follow(name, after) {
      const django = shortcuts[name];
      shortcuts[name] = function (...args) {
        const result = django.apply(this, args);
        after(...args);
        return result;
      };
    }

    follow("addCalendar", () => {
      const num = shortcuts.calendars.length - 1;
      const {button, box} = calendar(num);
      makeDialog(button, box, () => shortcuts.dismissCalendar(num));
      box.querySelector(".calendarnav-previous").setAttribute("aria-label", words.previousMonth);
      box.querySelector(".calendarnav-next").setAttribute("aria-label", words.nextMonth);
      const month = document.createElement("p");
      month.className = "visually-hidden";
      month.setAttribute("role", "status");
      box.appendChild(month);
    });
    follow("addClock", () => {
      const num = shortcuts.clockInputs.length - 1;
      const {button, box} = clock(num);
      makeDialog(button, box, () => shortcuts.dismissClock(num));
    });
    follow("openCalendar", (num) => {
      const {box} = calendar(num);
      const day = ["td.selected a", "td.today a", "td a"].map((day) => box.querySelector(day));
      day.find(Boolean).focus();
    });
    follow("openClock", (num) => firstFocusable(clock(num).box).focus());
    // Closed with the focus in it (Escape, "Отмена"), it gives the focus back to its button.
    for (const [name, part] of [["dismissCalendar", calendar], ["dismissClock", clock]]) {
      const django = shortcuts[name];
      shortcuts[name] = function (num) {
        const {button, box} = part(num);
        const focusWasIn = box.contains(document.activeElement);
        django.call(this, num);
        if (focusWasIn) {
          button.focus();
        }
      };
    }
    for (const name of ["drawPrev", "drawNext"]) {
      follow(name, (num) => {
        const {box} = calendar(num);
        box.querySelector("[role=status]").textContent = text(box.querySelector("caption"));
      });
    }
  }

  // The rows of an inline.

  function nameNewRows(group) {
    rowsOf(group).forEach((row, index) => {
      const remove = row.querySelector(".inline-deletelink");
      if (remove) {
        remove.setAttribute("aria-label", words.removeRow.replace("%(number)s", index + 1));
      }
    });
  }

  document.addEventListener("formset:added", (event) => {
    nameNewRows(event.target.closest(".inline-group"));
    const field = firstFocusable(event.target);
    if (field) {
      field.focus();
    }
  });

  document.addEventListener("formset:removed", (event) => {
    const group = document.getElementById(`${event.detail.formsetName}-group`);
    if (!group) {
      return;
    }
    nameNewRows(group);
    if (!group.contains(document.activeElement)) {
      const add = group.querySelector(".add-row a");
      if (shown(add)) {
        add.focus();
      }
    }
  });

  // A list's «Выбрать все 41 …» and «Снять выделение» hide themselves once
  // pressed (after Django's own handlers): the focus goes to what replaces
  // them, not the page's top.
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest(".actions a");
    const actions = link && link.closest(".actions");
    if (link && link.closest(".question")) {
      actions.querySelector(".clear a").focus();
    } else if (link && link.closest(".clear")) {
      document.getElementById("action-toggle").focus();
    }
  });

  // Links that act as buttons: the space bar presses them (on its release, as
  // a button's), instead of scrolling the page.
  const linkButton = (event) =>
    event.key === " " && event.target instanceof Element && event.target.matches("a[role=button]");
  document.addEventListener("keydown", (event) => {
    if (linkButton(event)) {
      event.preventDefault();
    }
  });
  document.addEventListener("keyup", (event) => {
    if (linkButton(event)) {
      event.preventDefault();
      event.target.click();
    }
  });

  if (window.DateTimeShortcuts) {
    improveDateTimeShortcuts(window.DateTimeShortcuts);
  }
  if (window.CalendarNamespace) {
    nameDaysAsDrawn(window.CalendarNamespace);
  }
  // After Django's own scripts, which focus an add form's first field and
  // give an inline's new rows their ✕, before the page has loaded.
  window.addEventListener("load", () => {
    document.querySelectorAll("#content p.datetime").forEach(groupDateAndTime);
    summariseErrors();
    document.querySelectorAll(".inline-group").forEach(nameNewRows);
  });
}
