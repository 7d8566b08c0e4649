// Builds the CSS with sass and copies the design systems' assets into static_build/.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static_build";
mkdirSync(`${out}/css`, { recursive: true });

const result = sass.compile("frontend/app.scss", {
  loadPaths: ["node_modules", "."],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import", "global-builtin"],
});
writeFileSync(`${out}/css/app.css`, result.css);

cpSync("node_modules/govuk-frontend/dist/govuk/assets", `${out}/govuk/assets`, { recursive: true });
cpSync("node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", `${out}/govuk/govuk-frontend.min.js`);
cpSync("node_modules/@ministryofjustice/frontend/moj/assets", `${out}/moj/assets`, { recursive: true });
cpSync("node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", `${out}/moj/moj-frontend.min.js`);
cpSync("frontend/js", `${out}/js`, { recursive: true });
console.log(`Built ${out}/css/app.css (${result.css.length} bytes)`);
