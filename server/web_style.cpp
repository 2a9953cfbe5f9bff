// The web intake's stylesheet. One narrow column that reflows down to 320 CSS pixels and
// 200% zoom without sideways scrolling; contrast of at least 4.5:1 everywhere; urgency,
// errors and the referral marked by words and thick borders, never by colour alone.

#include "web_pages.hpp"

namespace stepcare::server::web {

const std::string& stylesheet() {
    static const std::string css = R"css(*, *::before, *::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
  text-size-adjust: 100%;
}

body {
  margin: 0;
  padding-bottom: 2rem;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
    "Liberation Sans", sans-serif;
  font-size: 1.125rem;
  line-height: 1.5;
  color: #1a1a1a;
  background: #fff;
  /* Long words and links wrap instead of widening the page. */
  overflow-wrap: anywhere;
}

body > header,
body > nav,
body > main {
  max-width: 40rem;
  margin: 0 auto;
  padding: 0 1rem;
}

h1, h2, h3 {
  line-height: 1.25;
  margin: 1.5rem 0 0.75rem;
}

h1 { font-size: 1.75rem; }
h2 { font-size: 1.375rem; }
h3 { font-size: 1.2rem; }

p, ul { margin: 0 0 1rem; }

a {
  color: #0b57d0;
  text-decoration: underline;
  text-underline-offset: 0.15em;
}

a:visited { color: #5b2a86; }

a:hover { text-decoration-thickness: 0.15em; }

/* One visible focus for everything that takes it: dark on white, outside the element. */
:focus-visible {
  outline: 3px solid #1a1a1a;
  outline-offset: 3px;
}

a:focus-visible {
  background: #fff0a8;
  color: #1a1a1a;
}

.skip-link {
  position: absolute;
  top: -20rem;
  left: 0.5rem;
  padding: 0.75rem 1rem;
  background: #fff;
  border: 3px solid #1a1a1a;
  z-index: 1;
}

.skip-link:focus {
  top: 0.5rem;
}

.masthead {
  border-bottom: 1px solid #6b6b6b;
}

.masthead p {
  margin: 0;
  padding: 0.75rem 0;
  font-weight: 700;
}

.languages form {
  display: flex;
  flex-wrap: wrap;
  justify-content: flex-end;
  gap: 0.5rem;
  margin: 0.5rem 0;
}

.label {
  font-weight: 700;
}

.section-title {
  font-size: 1.2rem;
  color: #4a4a4a;
}

.progress {
  margin-top: 1rem;
  color: #4a4a4a;
}

fieldset {
  min-width: 0;
  margin: 0;
  padding: 0;
  border: 0;
}

legend {
  max-width: 100%;
  padding: 0;
}

.question {
  font-size: 1.5rem;
}

.help, .hint {
  color: #4a4a4a;
}

.field {
  margin: 1rem 0 1.5rem;
}

.field-error {
  padding-left: 1rem;
  border-left: 5px solid #b3261e;
}

.error-message {
  color: #b3261e;
  font-weight: 700;
}

.options {
  margin: 0.5rem 0;
}

.option {
  display: flex;
  align-items: flex-start;
  gap: 0.75rem;
  margin: 0.25rem 0;
}

.option input {
  flex: none;
  width: 1.75rem;
  height: 1.75rem;
  margin: 0.5rem 0 0;
  accent-color: #0b57d0;
}

.option label {
  flex: 1;
  min-width: 0;
  min-height: 44px;
  padding: 0.5rem 0;
  cursor: pointer;
}

input[type="text"], select, textarea {
  width: 100%;
  max-width: 100%;
  min-height: 44px;
  padding: 0.5rem;
  font: inherit;
  color: #1a1a1a;
  background: #fff;
  border: 2px solid #1a1a1a;
  border-radius: 0;
}

textarea {
  min-height: 8rem;
}

.number-field {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.5rem;
}

.number-field input[type="text"] {
  width: 12rem;
}

/* As specific as the field rules above (input[type="text"]), and after them, so that the
   refused field's own border turns red and thick, not only the bar beside it. */
input[aria-invalid="true"], textarea[aria-invalid="true"] {
  border-width: 4px;
  border-color: #b3261e;
}

.notice {
  padding: 0.5rem 1rem;
  border-left: 5px solid #1a1a1a;
}

button {
  min-width: 44px;
  min-height: 44px;
  padding: 0.5rem 1.25rem;
  font: inherit;
  color: #1a1a1a;
  background: #fff;
  border: 2px solid #1a1a1a;
  border-radius: 4px;
  cursor: pointer;
}

button:hover {
  background: #ececec;
}

button.primary {
  font-weight: 700;
  color: #fff;
  background: #0b57d0;
  border-color: #0b57d0;
}

button.primary:hover {
  background: #0842a0;
  border-color: #0842a0;
}

.buttons {
  display: flex;
  flex-wrap: wrap;
  gap: 0.75rem;
  margin: 1.5rem 0;
}

.error-summary, .urgent, .referral {
  margin: 1.5rem 0;
  padding: 0.25rem 1.25rem 0.5rem;
}

.error-summary {
  border: 5px solid #b3261e;
}

.urgent {
  border: 9px double #b3261e;
}

.referral {
  border: 4px solid #1a1a1a;
}

.error-summary h2, .urgent h2, .referral h2 {
  margin-top: 0.75rem;
}

.referral .label {
  margin: 0.75rem 0 0;
}

.outcome {
  margin: 0 0 1.5rem;
}

.outcome + .outcome {
  padding-top: 0.5rem;
  border-top: 1px solid #6b6b6b;
}

.sources-label {
  margin-bottom: 0.25rem;
  font-weight: 700;
}

.sources {
  padding-left: 1.25rem;
  font-size: 1rem;
}

.resume-url {
  padding: 0.75rem;
  background: #f3f3f3;
  border: 2px solid #1a1a1a;
}

.actions {
  margin: 2rem 0;
}

@media print {
  body {
    padding: 0;
    font-size: 12pt;
    color: #000;
    background: #fff;
  }

  body > header, body > main {
    max-width: none;
    padding: 0;
  }

  form, button, nav, .skip-link, .actions {
    display: none !important;
  }

  a, a:visited {
    color: #000;
  }

  .urgent, .referral, .outcome {
    break-inside: avoid;
  }

  h1, h2, h3 {
    break-after: avoid;
  }
}
)css";
    return css;
}

}  // namespace stepcare::server::web
