/* Select2's words in Belarusian, which Select2 4.0.13 (bundled with Django's
   admin) does not have: its Russian and Ukrainian files, translated. Django
   loads it from this address for the autocomplete widget (see
   portal/admin_actions.py). */
(function () {
  "use strict";

  var amd = window.jQuery && jQuery.fn && jQuery.fn.select2 && jQuery.fn.select2.amd;
  if (!amd) {
    return;
  }
  function plural(count, one, few, many) {
    if (count % 10 === 1 && count % 100 !== 11) {
      return one;
    }
    if (count % 10 >= 2 && count % 10 <= 4 && (count % 100 < 12 || count % 100 > 14)) {
      return few;
    }
    return many;
  }
  function characters(count) {
    return count + " " + plural(count, "сімвал", "сімвалы", "сімвалаў");
  }

  amd.define("select2/i18n/be", [], function () {
    return {
      errorLoading: function () {
        return "Не атрымалася загрузіць вынікі";
      },
      inputTooLong: function (args) {
        return "Калі ласка, выдаліце " + characters(args.input.length - args.maximum);
      },
      inputTooShort: function (args) {
        return "Калі ласка, увядзіце яшчэ хоць бы " + characters(args.minimum - args.input.length);
      },
      loadingMore: function () {
        return "Загрузка іншых вынікаў…";
      },
      maximumSelected: function (args) {
        return (
          "Можна выбраць не больш за " + args.maximum + " " +
          plural(args.maximum, "элемент", "элементы", "элементаў")
        );
      },
      noResults: function () {
        return "Нічога не знойдзена";
      },
      searching: function () {
        return "Пошук…";
      },
      removeAllItems: function () {
        return "Выдаліць усе элементы";
      }
    };
  });
})();
