/*
 * Corrections to the editor's own translations (news/editor.py holds them and
 * says why), written over those CKEditor's translations/<language>.js loaded
 * just before. The editors are made later, when the page has loaded.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var shipped = window.CKEDITOR_TRANSLATIONS;
  if (!script || !shipped) {
    return;
  }
  var corrections = JSON.parse(script.dataset.corrections);
  Object.keys(corrections).forEach(function (language) {
    if (shipped[language] && shipped[language].dictionary) {
      Object.assign(shipped[language].dictionary, corrections[language]);
    }
  });
})();
