// What test_phone_pages.py measures on each page: sideways scrolling and the visible tap
// targets under minTarget CSS px (WCAG 2.5.5), with WCAG's exceptions (a link inside a block of
// text; a checkbox or radio button whose label is big enough), and the page's links.
(minTarget) => {
  const min = minTarget - 0.5;
  const big = (r) => r.width >= min && r.height >= min;
  const shown = (el, r) => {
    if (r.width <= 1 || r.height <= 1 || r.right <= 0 || r.bottom <= 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  };
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim();
    return el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : "")
      + (text ? " '" + text.slice(0, 40) + "'" : "");
  };
  const inText = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    return block.textContent.trim().length > el.textContent.trim().length + 1;
  };
  const small = [];
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, label");
  for (const el of targets) {
    if (el.tagName === "LABEL") {
      const control = el.control;
      if (!control || !["checkbox", "radio"].includes(control.type)) continue;
      if (el.contains(control)) continue;  // measured as the control's own label below
    }
    const r = el.getBoundingClientRect();
    if (!shown(el, r) || big(r)) continue;
    if (el.tagName === "INPUT" && ["checkbox", "radio"].includes(el.type)) {
      const label = el.closest("label") || (el.labels && el.labels[0]);
      if (label && big(label.getBoundingClientRect())) continue;
    }
    if (el.tagName === "A" && inText(el)) continue;
    small.push(name(el) + " " + Math.round(r.width) + "×" + Math.round(r.height));
  }
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    small: small,
    links: Array.from(document.querySelectorAll("a[href]"), (a) => a.getAttribute("href")),
  };
}
