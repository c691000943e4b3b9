// The practice explorer: a list of States or places filters as soon as one is chosen (without JavaScript, its button does).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.value) {
        select.form.submit();
      }
    });
  });
})();
