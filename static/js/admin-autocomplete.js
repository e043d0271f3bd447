/*
 * Django's autocomplete fields (Select2 4.0.13) as ARIA 1.2 asks: the open
 * box names the list it controls (Select2 gives only aria-owns, which the
 * combobox of ARIA 1.2 no longer reads that way), and the list's search box
 * has a name, the field's (Select2 leaves it nameless).
 */
"use strict";
{
  const $ = django.jQuery;

  $(document).on("select2:open", (event) => {
    const select2 = $(event.target).data("select2");
    select2.$selection.attr("aria-controls", select2.$selection.attr("aria-owns"));
    select2.$dropdown
      .find(".select2-search__field")
      .attr("aria-label", event.target.dataset.placeholder);
  });

  $(document).on("select2:close", (event) => {
    $(event.target).data("select2").$selection.removeAttr("aria-controls");
  });
}
