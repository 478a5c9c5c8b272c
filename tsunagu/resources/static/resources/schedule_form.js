// The schedule form shows, for each schedule, only the fields its kind uses (a phone screen
// would otherwise scroll past a dozen empty ones). Without JavaScript every field shows.
(function () {
  "use strict";
  var RULE = ["weekly", "monthly"];
  var KINDS = {
    weekdays: RULE,
    weeks: ["monthly"],
    every: ["weekly"],
    dtstart: ["weekly"],
    date: ["opening", "closed"],
    end_date: ["closed"],
    opens_at: ["weekly", "monthly", "opening"],
    closes_at: ["weekly", "monthly", "opening"],
    valid_from: RULE,
    valid_to: RULE
  };

  function nameOf(field) {
    var input = field.querySelector("input, select, textarea");
    return input ? input.name.split("-").pop() : "";
  }

  function update(row) {
    var kind = row.querySelector('select[name$="-kind"]').value;
    var every = row.querySelector('select[name$="-every"]');
    row.querySelectorAll(".field").forEach(function (field) {
      var name = nameOf(field);
      var kinds = KINDS[name];
      // A new row shows only its kind until one is chosen.
      var hidden = kind ? Boolean(kinds && kinds.indexOf(kind) < 0) : name !== "kind";
      if (name === "dtstart" && every && every.value !== "2") {
        hidden = true;
      }
      field.hidden = hidden;
    });
  }

  document.querySelectorAll("[data-schedule]").forEach(function (row) {
    row.addEventListener("change", function () { update(row); });
    update(row);
  });
})();
