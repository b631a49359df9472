/** A systemd unit file read as systemd reads it: section → key → values in order (a key may repeat). */
export type UnitSections = Record<string, Record<string, string[]>>;

export function readUnitSections(text: string): UnitSections {
  const sections: UnitSections = {};
  let current: Record<string, string[]> | undefined;
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = sections[header[1]] = {};
      continue;
    }
    const setting = /^(\w+)=(.*)$/.exec(line);
    if (current === undefined || setting === null) throw new Error(`not a setting inside a section: ${JSON.stringify(line)}`);
    (current[setting[1]] ??= []).push(setting[2]);
  }
  return sections;
}
