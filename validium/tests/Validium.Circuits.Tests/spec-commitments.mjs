// SPEC.md's L1-side hashes computed with circomlibjs and BigInt only (no code of ours), following Validium.sol and
// PriceOracle.sol line by line: the deposit and forced-request chain steps, the oracle commitment and the withdrawals commitment.
// Usage: node spec-commitments.mjs '<json>'  with {"head","depositor","ax","ay","amount","fw":{account,recipient,amount},
//   "ft":{a,b,instrument,size,price,axA,ayA,axB,ayB},"round","timestamp","prices":[],"withdrawals":[[recipient, amount]]}
// Prints JSON {head, forced, oracle, withdrawals} as decimal strings (forced: the head after the deposit, a forced
// withdrawal and a forced trade).
import { buildPoseidon } from "circomlibjs";

const input = JSON.parse(process.argv[2]);
const poseidon = await buildPoseidon();
const H = (xs) => poseidon.F.toObject(poseidon(xs.map(BigInt)));

// Validium.deposit: _word(KIND_DEPOSIT, 0, msg.sender) = 1 | 0 << 8 | sender << 72; head = Poseidon(head, word, ax, ay, amount).
const word = 1n | (0n << 8n) | (BigInt(input.depositor) << 72n);
const head = H([input.head, word, input.ax, input.ay, input.amount]);

// Validium.forcedWithdrawal: _word(2, account, recipient); head' = Poseidon(head, word, ax, ay, amount).
const fwWord = 2n | (BigInt(input.fw.account) << 8n) | (BigInt(input.fw.recipient) << 72n);
const fwHead = H([head, fwWord, input.ax, input.ay, input.fw.amount]);

// Validium.forcedTrade: _word(3, A, B | instrument << 64); a = Poseidon(axA, ayA, axB, ayB); b = _signed(size); c = price.
const ft = input.ft;
const ftWord = 3n | (BigInt(ft.a) << 8n) | ((BigInt(ft.b) | (BigInt(ft.instrument) << 64n)) << 72n);
const keys = H([ft.axA, ft.ayA, ft.axB, ft.ayB]);
const size = BigInt(ft.size);
const signedSize = size < 0n ? poseidon.F.p + size : size;
const ftHead = H([fwHead, ftWord, keys, signedSize, ft.price]);

// PriceOracle.commit.
const prices = input.prices.map(BigInt);
let acc = (BigInt(input.round) << 64n) | BigInt(input.timestamp);
const words = Math.floor((prices.length + 2) / 3);
for (let k = 0; k < words; k += 4) {
  const inputs = [acc, 0n, 0n, 0n, 0n];
  for (let j = 0; j < 4 && k + j < words; j++) {
    let w = 0n;
    for (let m = 0; m < 3; m++) {
      const i = 3 * (k + j) + m;
      if (i < prices.length) w |= prices[i] << BigInt(64 * m);
    }
    inputs[1 + j] = w;
  }
  acc = H(inputs);
}

// Validium.withdrawalsCommitment.
let w = 0n;
for (const [recipient, amount] of input.withdrawals) w = H([w, (BigInt(amount) << 160n) | BigInt(recipient)]);

console.log(JSON.stringify({ head: head.toString(), forced: ftHead.toString(), oracle: acc.toString(), withdrawals: w.toString() }));
