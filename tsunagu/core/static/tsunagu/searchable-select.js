// A long <select data-searchable> gets a search box above it: typing narrows the choices
// (any part of the text, as a worker remembers 「本町」 of 「本町小学校」). Without JavaScript the
// select works as before.
(function () {
  "use strict";
  var LONG = 15;

  function enhance(select) {
    if (select.options.length <= LONG || select.dataset.searchReady) return;
    select.dataset.searchReady = "1";
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.dataset.searchable || "絞り込み";
    box.setAttribute("aria-label", (select.labels[0] ? select.labels[0].textContent : "") + " " + box.placeholder);
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var words = box.value.trim().toLowerCase();
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !option.value || option.text.toLowerCase().indexOf(words) !== -1;
        option.hidden = !shown;
        if (shown && option.value && first === null) first = option;
      });
      if (words && first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        first.selected = true;
      }
    });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-searchable]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
