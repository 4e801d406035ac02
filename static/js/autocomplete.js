/* Searchable drop-downs for long choice lists (stations, representatives, regions,
   departments): Select2 asks the page's endpoint as the user types. */
(function ($) {
  "use strict";
  if (!$ || !$.fn.select2) { return; }
  var language = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0 ? "zh-CN" : "en";
  $(function () {
    $("select[data-autocomplete-url]").each(function () {
      var $select = $(this);
      $select.select2({
        width: "100%",
        language: language,
        allowClear: !$select.prop("required"),
        placeholder: $select.data("placeholder") || "",
        ajax: {
          url: $select.data("autocompleteUrl"),
          dataType: "json",
          delay: 250,
          data: function (params) { return { q: params.term || "", page: params.page || 1 }; }
        }
      });
    });
  });
}(window.jQuery));
