/**
 * No Namecheap API key in the JSON: the namecheap provider reads NAMECHEAP_API_KEY
 * from the environment. Catches a literal api_key in the provider block or any
 * namecheap resource, `NAMECHEAP_API_KEY=…` assignments and `ApiKey=…` API URLs.
 *
 * Equivalents: checkov none (CKV_SECRET_6 high-entropy strings is the closest); trivy none built in; cdk-nag none.
 */
import { isLiteralSecret, secretRule } from "../../inspect/secret-rule";
import { mask } from "../../values";

const ASSIGNMENT = /namecheap_?api_?key["'\\\s]*[:=][\s"'\\]*([A-Za-z0-9]{16,})/gi;
const API_URL_PARAM = /[?&]ApiKey=([A-Za-z0-9]{16,})/gi;

export const SecretsNamecheapApiKey = secretRule({
  id: "SECRETS-NAMECHEAP-API-KEY",
  title: "No Namecheap API key in provider blocks, resources or strings",
  fix: "Remove it (and rotate it in the Namecheap dashboard); export NAMECHEAP_API_KEY in the pipeline environment instead.",
  detect(at, subject) {
    const hits = [...at.value.matchAll(ASSIGNMENT), ...at.value.matchAll(API_URL_PARAM)]
      .map((m) => `a Namecheap API key ${mask(m[1])}`);
    if (subject.type.startsWith("namecheap") && at.key === "api_key" && isLiteralSecret(at.value) && hits.length === 0) {
      hits.push(`a literal api_key ${mask(at.value)}`);
    }
    return hits;
  },
});
