/**
 * Files written by cloud-config user data, as the host will write them: the JSON-flavoured
 * `#cloud-config` the platform renders (Terraform-template escaped in the synthesized JSON),
 * with `b64` and `gz+b64` contents decoded. User data in any other form yields no files.
 */
import { gunzipSync } from "zlib";
import { isObject } from "../values";

export interface WrittenFile {
  readonly path: string;
  readonly content: string;
}

export function filesOfUserData(userData: unknown): WrittenFile[] {
  if (typeof userData !== "string" || !userData.startsWith("#cloud-config")) return [];
  const body = userData.slice(userData.indexOf("\n") + 1).replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return [];
  }
  if (!isObject(doc) || !Array.isArray(doc.write_files)) return [];
  return doc.write_files.filter(isObject).flatMap((f) => {
    if (typeof f.path !== "string" || typeof f.content !== "string") return [];
    try {
      if (f.encoding === "gz+b64") return [{ path: f.path, content: gunzipSync(Buffer.from(f.content, "base64")).toString("utf8") }];
      if (f.encoding === "b64") return [{ path: f.path, content: Buffer.from(f.content, "base64").toString("utf8") }];
    } catch {
      return [];
    }
    return [{ path: f.path, content: f.content }];
  });
}
