// GOV.UK Frontend styles its components for JavaScript only when these classes are on <body>.
// A file, not an inline script, so the Content-Security-Policy can forbid inline scripts.
document.body.className += " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
