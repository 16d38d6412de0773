// Starts every GOV.UK Frontend component on the page (a module, as GOV.UK Frontend 5 is).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
