/* A copy button without inline script (the Content-Security-Policy allows none).
 *
 * <button data-copy="ID" data-copied="…" data-copy-failed="…"> copies the text of the element
 * ID (its value for a form field) and says so in the [data-copy-status] beside it. The button
 * sits in a hidden box that this script shows, so without script nobody sees a dead button.
 */
(function () {
  "use strict";

  function textOf(element) {
    return "value" in element && element.tagName !== "BUTTON"
      ? element.value
      : element.textContent.trim();
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function say(button, text) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (status) {
      status.textContent = text;
    }
  }

  function start() {
    var buttons = document.querySelectorAll("button[data-copy]");
    Array.prototype.forEach.call(buttons, function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) {
        return;
      }
      button.parentNode.hidden = false;
      button.addEventListener("click", function () {
        var failed = function () {
          // Leave the address selected, so that the person can copy it by hand.
          selectText(source);
          say(button, button.getAttribute("data-copy-failed"));
        };
        if (!navigator.clipboard || !navigator.clipboard.writeText) {
          failed();
          return;
        }
        navigator.clipboard.writeText(textOf(source)).then(function () {
          say(button, button.getAttribute("data-copied"));
        }, failed);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
