// Starts every GOV.UK Frontend component on the page (a module, as GOV.UK Frontend 5 is).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();

// Conditional reveal for radios marked data-oi-reveal: GOV.UK's pattern (each option's own
// fields under it, hidden until chosen) without the aria-expanded GOV.UK's script puts on the
// radio inputs, which axe reports as an attribute a radio may not have (the revealed fields
// follow their radio, so they come next in reading order). Without JavaScript
// every option's fields stay shown (the hidden class only hides when GOV.UK is supported).
const reveals = document.querySelectorAll("input[type=radio][data-oi-reveal]");
const sync = () => reveals.forEach((input) => {
  const target = document.getElementById(input.dataset.oiReveal);
  if (target) target.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
});
reveals.forEach((input) => {
  document.querySelectorAll(`input[type=radio][name="${input.name}"]`)
    .forEach((other) => other.addEventListener("change", sync));
});
sync();
