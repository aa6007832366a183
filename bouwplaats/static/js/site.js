/* Site-wide behaviour without inline script (the Content-Security-Policy allows none).
 *
 * - A form with errors: focus moves to its error summary, whose links lead to the fields
 *   (NL Design System / GOV.UK error summary).
 * - After an action, the confirmation is announced and focused where the page shows it.
 * - A table wider than the screen scrolls inside its own box, which keyboard users can reach.
 */
(function () {
  "use strict";

  function focusFirst(selector) {
    var element = document.querySelector(selector);
    if (element) {
      element.focus();
      return true;
    }
    return false;
  }

  function fieldFor(link) {
    var id = decodeURIComponent((link.getAttribute("href") || "").slice(1));
    return id ? document.getElementById(id) : null;
  }

  function linkSummary(summary) {
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && fieldFor(link);
      if (!field) {
        return;
      }
      event.preventDefault();
      // Show the label with the field, as the error summary pattern asks.
      var holder = field.closest(".bp-field") || field;
      holder.scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  }

  function scrollingTables() {
    var tables = document.querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      if (table.closest(".bp-scroll, .leaflet-container")) {
        return;
      }
      var box = document.createElement("div");
      box.className = "bp-scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
    markScrolling();
  }

  function labelOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var heading = null;
    var node = box;
    while (node && !heading) {
      node = node.previousElementSibling || node.parentElement;
      if (node && /^H[1-6]$/.test(node.tagName)) {
        heading = node;
      }
    }
    return heading ? heading.textContent.trim() : box.getAttribute("data-label") || "";
  }

  // A box that scrolls is a region in the tab order (WCAG 2.1.1); one that fits is not.
  function markScrolling() {
    var boxes = document.querySelectorAll(".bp-scroll");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", labelOf(box) || document.title);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function start() {
    scrollingTables();
    window.addEventListener("resize", markScrolling);
    var summaries = document.querySelectorAll("[data-error-summary]");
    Array.prototype.forEach.call(summaries, linkSummary);
    if (!focusFirst("[data-error-summary]")) {
      focusFirst("[data-confirmation]");
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
