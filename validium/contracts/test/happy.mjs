// deposit -> batch -> withdrawal on anvil, with every public input recomputed from the spec (system.mjs) and a real
// Groth16 proof of the stand-in batch circuit from the C# test. Reports the gas of each step and of submitBatch's parts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { prove, run, tx } from "./lib.mjs";
import { accountLeaf, deploySystem, H, KIND, l2Key, opHead, tree, withdrawalsCommitment, word } from "./system.mjs";

const verifierSource = readFileSync(process.argv[2], "utf8");

await run(async (ctx) => {
  const sys = await deploySystem(ctx, verifierSource);
  const { validium, token } = sys;
  const users = ctx.wallets.slice(1, 4);
  const deposits = [5_000_000n, 7_250_000n, 1_000_000n];
  const keys = users.map((_, i) => l2Key(i + 1));
  let head = 0n;
  const gas = {};
  for (let i = 0; i < users.length; i++) {
    await tx(token.mint(users[i].address, deposits[i]));
    await tx(token.connect(users[i]).approve(sys.address, deposits[i]));
    const r = await tx(validium.connect(users[i]).deposit(deposits[i], keys[i].ax, keys[i].ay));
    gas.deposit = Number(r.gasUsed);
    head = opHead(head, word(KIND.deposit, 0, users[i].address), keys[i].ax, keys[i].ay, deposits[i]);
    assert.equal(await validium.opsHead(i + 1), head, `chain head after deposit ${i}`);
  }
  assert.equal(await token.balanceOf(sys.address), deposits.reduce((a, b) => a + b));

  const prices = [30_000n, 2_000n, 150n, 1n];
  const oracleRound = await sys.publishPrices(prices);
  assert.equal(await sys.oracle.commitmentOf(oracleRound.round), oracleRound.commitment, "oracle commitment");

  // The L2 after the batch: one account per deposit, account 0 has withdrawn 1.5 tUSD to its L1 address.
  const emptyPositions = tree(sys.positionsDepth, new Map()).root;
  const withdrawals = [{ recipient: users[0].address, amount: 1_500_000n }];
  const leaves = new Map(keys.map((k, i) => [i, accountLeaf({ ax: k.ax, ay: k.ay, nonce: i === 0 ? 1n : 0n, collateral: deposits[i] - (i === 0 ? 1_500_000n : 0n), positionsRoot: emptyPositions })]));
  const oldRoot = tree(sys.accountDepth, new Map()).root;
  assert.equal(await validium.stateRoot(), oldRoot, "genesis root is the empty account tree");
  const newRoot = tree(sys.accountDepth, leaves).root;
  const dataCommitment = H([111n, 222n, 333n]);
  const header = { newRoot, dataCommitment, opsProcessed: 3n, oracleRound: oracleRound.round };
  const inputs = [oldRoot, newRoot, dataCommitment, 0n, head, oracleRound.commitment, withdrawalsCommitment(withdrawals), 1n];
  assert.deepEqual([...(await validium.publicInputs(header, withdrawals))], inputs, "publicInputs() against the spec");
  const proof = await prove(inputs);
  const sigs = sys.attest(1n, dataCommitment);
  const receipt = await tx(validium.submitBatch(header, proof, withdrawals, sigs));
  gas.submitBatch = Number(receipt.gasUsed);
  assert.equal(await validium.stateRoot(), newRoot);
  assert.equal(await validium.batchNumber(), 1n);
  assert.equal(await validium.processedOps(), 3n);
  assert.equal(await validium.claimable(users[0].address), 1_500_000n);

  const before = await token.balanceOf(users[0].address);
  const claim = await tx(validium.connect(users[0]).claimWithdrawal());
  gas.claimWithdrawal = Number(claim.gasUsed);
  assert.equal((await token.balanceOf(users[0].address)) - before, 1_500_000n);
  assert.equal(await validium.claimable(users[0].address), 0n);

  // A second batch with no operations, no withdrawals: the chain heads stay, the batch number moves on.
  const root2 = H([newRoot, 2n]) % 2n ** 250n;
  const header2 = { newRoot: root2, dataCommitment: 5n, opsProcessed: 3n, oracleRound: oracleRound.round };
  const inputs2 = [newRoot, root2, 5n, head, head, oracleRound.commitment, 0n, 2n];
  gas.submitBatchNoWithdrawals = Number((await tx(validium.submitBatch(header2, await prove(inputs2), [], sys.attest(2n, 5n)))).gasUsed);
  assert.equal(await validium.batchNumber(), 2n);
  return { gas };
});
