// Censorship resistance end to end: a proven state with open positions, forced requests the operator ignores, freeze
// after the deadline, escape withdrawals that pay each account exactly its value at the last committed prices and
// nothing twice, refunds of deposits no batch consumed, and a contract balance that covers every payout.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { expectRevert, increaseTime, prove, run, tx } from "./lib.mjs";
import { accountLeaf, deploySystem, H, KIND, l2Key, opHead, positionLeaf, signed, tree, word } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource, { accountDepth: 4, positionsDepth: 3, instruments: 4, forcedDelay: 3600 });
  const { validium, token } = sys;
  const [a, b, c, d] = ctx.wallets.slice(1, 5);
  const keys = [l2Key(21), l2Key(22), l2Key(23), l2Key(24)];
  const amounts = [5_000_000n, 3_000_000n, 2_000_000n, 500_000n];
  const gas = {};
  let head = 0n;
  for (const [i, w] of [a, b, c].entries()) {
    await tx(token.mint(w.address, amounts[i]));
    await tx(token.connect(w).approve(sys.address, amounts[i]));
    await tx(validium.connect(w).deposit(amounts[i], keys[i].ax, keys[i].ay));
    head = opHead(head, word(KIND.deposit, 0, w.address), keys[i].ax, keys[i].ay, amounts[i]);
  }
  const prices = [30_000n, 2_000n, 150n, 7n];
  const round = await sys.publishPrices(prices);

  // The proven state: A long 10 of instrument 0 from B; B long 100 of instrument 2 from C (funding index 5).
  const accounts = [
    { collateral: 5_000_000n, nonce: 1n, positions: [{ instrument: 0, size: 10n, openNotional: 290_000n, fundingIndex: 0n }] },
    { collateral: 3_000_000n, nonce: 2n, positions: [{ instrument: 0, size: -10n, openNotional: -290_000n, fundingIndex: 0n }, { instrument: 2, size: 100n, openNotional: 14_000n, fundingIndex: 5n }] },
    { collateral: 2_000_000n, nonce: 1n, positions: [{ instrument: 2, size: -100n, openNotional: -14_000n, fundingIndex: 5n }] },
  ];
  const leaves = new Map();
  for (const [i, acc] of accounts.entries()) {
    acc.positionsRoot = tree(sys.positionsDepth, new Map(acc.positions.map((p) => [p.instrument, positionLeaf(p)]))).root;
    acc.expected = acc.positions.reduce((v, p) => v + p.size * prices[p.instrument] - p.openNotional, acc.collateral);
    leaves.set(i, accountLeaf({ ax: keys[i].ax, ay: keys[i].ay, nonce: acc.nonce, collateral: acc.collateral, positionsRoot: acc.positionsRoot }));
  }
  const state = tree(sys.accountDepth, leaves);
  const oldRoot = await validium.stateRoot();
  const header = { newRoot: state.root, dataCommitment: 99n, opsProcessed: 3n, oracleRound: round.round };
  await tx(validium.submitBatch(header, await prove([oldRoot, state.root, 99n, 0n, head, round.commitment, 0n, 1n]), [], sys.attest(1n, 99n)));

  // Operations the operator will ignore: D's deposit, A's forced withdrawal, a forced trade between A and C.
  await tx(token.mint(d.address, amounts[3]));
  await tx(token.connect(d).approve(sys.address, amounts[3]));
  await tx(validium.connect(d).deposit(amounts[3], keys[3].ax, keys[3].ay));
  head = opHead(head, word(KIND.deposit, 0, d.address), keys[3].ax, keys[3].ay, amounts[3]);

  const fwWord = word(KIND.forcedWithdrawal, 0, a.address);
  const fwSig = keys[0].sign(H([sys.domain, fwWord, 1_000_000n, 0n, 0n]));
  assert.equal(await expectRevert(validium, "forcedWithdrawal", [0, keys[0].ax, keys[0].ay, 1_000_000n, b.address, fwSig]), "BadEdDsaSignature", "recipient not the signed one");
  assert.equal(await expectRevert(validium, "forcedWithdrawal", [0, keys[1].ax, keys[1].ay, 1_000_000n, a.address, fwSig]), "BadEdDsaSignature", "someone else's key");
  assert.equal(await expectRevert(validium, "forcedWithdrawal", [16, keys[0].ax, keys[0].ay, 1_000_000n, a.address, fwSig]), "AccountOutOfRange(16)");
  gas.forcedWithdrawal = Number((await tx(validium.connect(a).forcedWithdrawal(0, keys[0].ax, keys[0].ay, 1_000_000n, a.address, fwSig))).gasUsed);
  head = opHead(head, fwWord, keys[0].ax, keys[0].ay, 1_000_000n);
  assert.equal(await expectRevert(validium, "forcedWithdrawal", [0, keys[0].ax, keys[0].ay, 1_000_000n, a.address, fwSig]), "BadEdDsaSignature", "replayed request (nonce moved on)");

  const trade = { accountA: 0n, accountB: 2n, instrument: 1, size: -3n, price: 2_100n, axA: keys[0].ax, ayA: keys[0].ay, axB: keys[2].ax, ayB: keys[2].ay };
  const ftWord = word(KIND.forcedTrade, 0, 2n | (1n << 64n));
  const ftMessage = H([sys.domain, ftWord, signed(-3n), 2_100n, 1n | (0n << 64n)]);
  gas.forcedTrade = Number((await tx(validium.forcedTrade(trade, keys[0].sign(ftMessage), keys[2].sign(ftMessage)))).gasUsed);
  head = opHead(head, ftWord, H([keys[0].ax, keys[0].ay, keys[2].ax, keys[2].ay]), signed(-3n), 2_100n);
  assert.equal(await validium.opsHead(6), head, "chain head after the forced requests");

  // Freeze only after the oldest ignored operation's deadline.
  assert.equal(await expectRevert(validium, "freeze", []), "NoDeadlineMissed");
  await increaseTime(ctx.provider, 3601);
  gas.freeze = Number((await tx(validium.freeze())).gasUsed);
  assert.equal(await expectRevert(validium, "freeze", []), "Frozen");
  assert.equal(await expectRevert(validium.connect(d), "deposit", [1n, keys[3].ax, keys[3].ay]), "Frozen");
  assert.equal(await expectRevert(validium, "submitBatch", [header, { a: [0, 0], b: [[0, 0], [0, 0]], c: [0, 0] }, [], []]), "Frozen");

  const escapeArgs = (i, recipient, positions = accounts[i].positions) => {
    const acc = accounts[i];
    const sig = keys[i].sign(H([sys.domain, word(KIND.escape, i, recipient), 0n, 0n, 0n]));
    return [i, { ax: keys[i].ax, ay: keys[i].ay, nonce: acc.nonce, collateral: acc.collateral }, positions, state.siblings(i), recipient, sig];
  };
  assert.equal(await expectRevert(validium, "escapeWithdraw", escapeArgs(0, a.address)), "EscapePricesNotSet");
  assert.equal(await expectRevert(validium, "setEscapePrices", [round.timestamp, [30_000n, 2_000n, 151n, 7n]]), "OracleRoundNotUsable(1,1)");
  await tx(validium.setEscapePrices(round.timestamp, prices));

  // Cheating escapes first: a losing position left out, positions out of order, another key, another account's proof.
  assert.equal(await expectRevert(validium, "escapeWithdraw", escapeArgs(1, b.address, [accounts[1].positions[1]])), "NotInState", "losing position left out");
  assert.equal(await expectRevert(validium, "escapeWithdraw", escapeArgs(1, b.address, [...accounts[1].positions].reverse())), "PositionsNotAscending(1)");
  const stolen = escapeArgs(0, d.address);
  stolen[5] = keys[3].sign(H([sys.domain, word(KIND.escape, 0, d.address), 0n, 0n, 0n]));
  assert.equal(await expectRevert(validium, "escapeWithdraw", stolen), "BadEdDsaSignature", "escape signed by another key");
  const wrongProof = escapeArgs(0, a.address);
  wrongProof[3] = state.siblings(1);
  assert.equal(await expectRevert(validium, "escapeWithdraw", wrongProof), "NotInState");

  const payouts = [];
  for (const [i, w] of [a, b, c].entries()) {
    const before = await token.balanceOf(w.address);
    const r = await tx(validium.connect(d).escapeWithdraw(...escapeArgs(i, w.address)));
    gas[`escapeWithdraw${accounts[i].positions.length}`] = Number(r.gasUsed);
    const paid = (await token.balanceOf(w.address)) - before;
    assert.equal(paid, accounts[i].expected, `account ${i} paid its value`);
    payouts.push(paid);
    assert.equal(await expectRevert(validium, "escapeWithdraw", escapeArgs(i, w.address)), `AlreadyEscaped(${i})`);
  }
  assert.equal(await expectRevert(validium, "refundDeposit", [0n]), "NotRefundable(0)", "a consumed deposit is in the state");
  const beforeD = await token.balanceOf(d.address);
  await tx(validium.refundDeposit(3n));
  assert.equal((await token.balanceOf(d.address)) - beforeD, amounts[3]);
  assert.equal(await expectRevert(validium, "refundDeposit", [3n]), "NotRefundable(3)");
  assert.equal(await expectRevert(validium, "refundDeposit", [4n]), "NotRefundable(4)", "a forced withdrawal is no deposit");

  const remaining = await token.balanceOf(sys.address);
  const deposited = amounts.reduce((x, y) => x + y);
  assert.equal(remaining, deposited - payouts.reduce((x, y) => x + y) - amounts[3], "the contract paid out exactly what it held for them");
  return { payouts: payouts.map(String), expected: accounts.map((x) => String(x.expected)), remaining: String(remaining), gas };
});
