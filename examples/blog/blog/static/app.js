// Small enhancements; every page works without them.
(function () {
  "use strict";

  // The menu button on narrow screens.
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("site-nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Ask before destructive actions: <form data-confirm="Delete this?">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A live word count under the Markdown editor.
  var body = document.querySelector(".markdown-input textarea");
  if (body) {
    var counter = document.createElement("p");
    counter.className = "hint";
    counter.setAttribute("aria-live", "polite");
    body.insertAdjacentElement("afterend", counter);
    var update = function () {
      var words = body.value.trim() ? body.value.trim().split(/\s+/).length : 0;
      counter.textContent = words + (words === 1 ? " word" : " words") + " · about " + Math.max(1, Math.round(words / 220)) + " min read";
    };
    body.addEventListener("input", update);
    update();
  }
})();
