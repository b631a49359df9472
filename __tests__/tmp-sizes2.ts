import { userDataByRole } from "./support/rendered-files";
for (const [role, ud] of Object.entries(userDataByRole())) console.log(role, Buffer.byteLength(ud));
