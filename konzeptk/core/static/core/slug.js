/* Progressive enhancement: an identifier field with data-kk-slug-from="<id of the title field>"
   follows the title while staff type it, until they edit the identifier themselves. Without
   JavaScript the server makes the identifier from the title when the field is left empty.
   Same rule as konzeptk/core/slugs.py: umlauts written out, lower case, hyphens. */
(function () {
  "use strict";
  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss" };
  function slug(text, max) {
    var s = text.replace(/[äöüÄÖÜß]/g, function (c) { return UMLAUTS[c]; });
    s = s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    s = s.replace(/[^\w\s-]/g, "").trim().replace(/[-\s]+/g, "-");
    return s.slice(0, max).replace(/^-+|-+$/g, "");
  }
  document.querySelectorAll("input[data-kk-slug-from]").forEach(function (target) {
    var source = document.getElementById(target.getAttribute("data-kk-slug-from"));
    if (!source) { return; }
    var max = parseInt(target.getAttribute("maxlength") || "80", 10);
    var followed = target.value === "" || target.value === slug(source.value, max);
    target.addEventListener("input", function () { followed = target.value === ""; });
    source.addEventListener("input", function () {
      if (followed) { target.value = slug(source.value, max); }
    });
  });
})();
