/*
 * Django's autocomplete fields (Select2 4.0.13) as ARIA 1.2 asks:
 * - the box is named by the field's label, then its value («Рубрика
 *   Экономика»): Select2 names it by the value alone, which says nothing of
 *   the field;
 * - it carries the field's errors (aria-invalid, aria-describedby), which
 *   Django puts on the hidden <select>;
 * - the open box names the list it controls (Select2 gives only aria-owns,
 *   which the combobox of ARIA 1.2 no longer reads that way), and the list's
 *   search box has a name, the field's (Select2 leaves it nameless);
 * - the search box points to the highlighted option (aria-activedescendant):
 *   Select2 gives the options of a list loaded from the server no id, and
 *   moving through them said nothing.
 */
"use strict";
{
  const $ = django.jQuery;
  const DESCRIBING = ["aria-invalid", "aria-describedby"];

  function improve(select) {
    const select2 = $(select).data("select2");
    const label = document.querySelector(`label[for="${select.id}"]`);
    if (!select2 || select2.portalImproved) {
      return;
    }
    select2.portalImproved = true;
    if (label) {
      label.id = label.id || `${select.id}_label`;
      const value = select2.$selection.find(".select2-selection__rendered").attr("id");
      select2.$selection.attr("aria-labelledby", `${label.id} ${value}`);
    }
    for (const name of DESCRIBING) {
      if (select.hasAttribute(name)) {
        select2.$selection.attr(name, select.getAttribute(name));
      }
    }
    select2.on("results:focus", (params) => {
      const option = params.element[0];
      option.id = option.id || `${select2.$results.attr("id")}-${params.data.id}`;
      select2.$dropdown.find(".select2-search__field").attr("aria-activedescendant", option.id);
    });
  }

  // After Django's own script has made the fields (on the same event, earlier).
  $(() => document.querySelectorAll("select.admin-autocomplete").forEach(improve));

  $(document).on("select2:open", (event) => {
    const select2 = $(event.target).data("select2");
    improve(event.target);
    select2.$selection.attr("aria-controls", select2.$selection.attr("aria-owns"));
    select2.$dropdown
      .find(".select2-search__field")
      .attr("aria-label", event.target.dataset.placeholder);
  });

  $(document).on("select2:close", (event) => {
    $(event.target).data("select2").$selection.removeAttr("aria-controls");
  });
}
