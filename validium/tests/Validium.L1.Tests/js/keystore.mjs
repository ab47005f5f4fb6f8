// ethers v6's keystore side of KeystoreTests: decrypts our files and writes its own for us to decrypt.
//
//   node keystore.mjs decrypt FILE PASSWORD_FILE     → { address, privateKey }
//   node keystore.mjs encrypt KEY N PASSWORD_FILE    → the keystore JSON, scrypt cost N
import { readFileSync } from "node:fs";
import { ethers } from "ethers";

const [mode, ...args] = process.argv.slice(2);
if (mode === "decrypt") {
  const w = await ethers.Wallet.fromEncryptedJson(readFileSync(args[0], "utf8"), readFileSync(args[1], "utf8"));
  console.log(JSON.stringify({ address: w.address.toLowerCase(), privateKey: w.privateKey }));
} else if (mode === "encrypt") {
  const w = new ethers.Wallet(args[0]);
  console.log(await ethers.encryptKeystoreJson({ address: w.address, privateKey: w.privateKey }, readFileSync(args[2], "utf8"), { scrypt: { N: Number(args[1]) } }));
} else {
  console.error("usage: keystore.mjs decrypt FILE PASSWORD_FILE | encrypt KEY N PASSWORD_FILE");
  process.exit(2);
}
